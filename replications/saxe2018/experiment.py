"""Saxe et al. (ICLR 2018): experiment name → run function (see docs/CONTRACTS.md).

Several names share one function and differ only in config.toml, so that each is cached and
run over seeds on its own.
"""

from ibcore.seed_blocks import BlockExperiment
from replications.saxe2018 import (
    advani_saxe,
    linear_experiments,
    mnist_experiment,
    szt_experiment,
    three_neuron,
)

# BLAS threads are pinned by the runner for every run (ibcore.runner.execute). The 12-bit-task
# networks train several seeds in one stack when their config sets seed_block (ibcore.seed_blocks).
SZT = BlockExperiment(szt_experiment.run_block)

EXPERIMENTS = {
    "three_neuron": three_neuron.run,
    "szt_tanh": SZT,
    "szt_relu": SZT,
    "szt_tanh_torchinit": SZT,
    "szt_relu_torchinit": SZT,
    "szt_softsign": SZT,
    "szt_softplus": SZT,
    "szt_overfit": SZT,
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
