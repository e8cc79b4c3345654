"""Mao et al. (CIKM 2021) + Fu et al. (NeurIPS 2022): experiment name → run function.

One experiment per depth of Tables 1/2 and score arm (`mlp<layers>_<score>`: every init × method
of one seed in one ensemble) and one per NSR net and layer arm (`nsr_mlp<net>_<layer>`); the
config carries what differs between them.
"""

from replications.mao2021 import init_runs, nsr_runs
from replications.mao2021.tables import (
    ARCHS,
    NSR_ARCHS,
    NSR_LAYERS,
    SCORES,
    mao_experiment,
    nsr_experiment,
)

EXPERIMENTS = {
    **{mao_experiment(layers, score): init_runs.run for layers in ARCHS for score in SCORES},
    **{nsr_experiment(net, layer): nsr_runs.run for net in NSR_ARCHS for layer in NSR_LAYERS},
}
