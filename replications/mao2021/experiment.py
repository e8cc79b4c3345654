"""Mao et al. (CIKM 2021) + Fu et al. (NeurIPS 2022): experiment name → run function.

Every Table 1/2 cell is one experiment (`<init>_mlp<layers>_<method>`), every NSR row another
(`nsr_mlp<net>_<ce|nsr>`); the config carries what differs between them.
"""

from replications.mao2021 import init_runs, nsr_runs
from replications.mao2021.tables import FU, MAO, mao_name, nsr_name

EXPERIMENTS = {
    **{mao_name(init, layers, method): init_runs.run for init, layers, method in MAO},
    **{nsr_name(net, method): nsr_runs.run for net, method in FU},
}
