"""Saxe et al. (ICLR 2018): experiment name → run function (see docs/CONTRACTS.md).

Several names share one function and differ only in config.toml, so that each is cached and
run over seeds on its own.
"""

from replications.saxe2018 import (
    advani_saxe,
    linear_experiments,
    mnist_experiment,
    szt_experiment,
    three_neuron,
)

# BLAS threads are pinned by the runner for every run (ibcore.runner.execute).
EXPERIMENTS = {
    "three_neuron": three_neuron.run,
    "szt_tanh": szt_experiment.run,
    "szt_relu": szt_experiment.run,
    "szt_tanh_torchinit": szt_experiment.run,
    "szt_relu_torchinit": szt_experiment.run,
    "szt_softsign": szt_experiment.run,
    "szt_softplus": szt_experiment.run,
    "szt_overfit": szt_experiment.run,
    "gd_tanh": szt_experiment.run_gd,
    "gd_relu": szt_experiment.run_gd,
    "linear_bgd": linear_experiments.teacher_student,
    "linear_sgd": linear_experiments.teacher_student,
    "linear_bgd_p4n": linear_experiments.teacher_student,
    "linear_deep": linear_experiments.teacher_student,
    "linear111_snr": linear_experiments.linear111_snr,
    "relevant_irrelevant": linear_experiments.relevant_irrelevant,
    "advani_saxe": advani_saxe.run,
    "mnist_tanh": mnist_experiment.run,
    "mnist_relu": mnist_experiment.run,
}
