"""hu2019: rate–distortion view of learning (Blahut–Arimoto, β-BNN) and VID.

Experiments (see config.toml): `ba`; `bbnn_anchor` (plain training of the β-BNN's MLP at
several n: the anchor of the reconstruction); `bbnn_<variant>` for the four β-BNN rows at
the anchored n and `bbnn_<variant>_n1000` at n = 1,000 (separate experiments so `--jobs` runs
them side by side); `vid_mnist` (the MNIST analogue of the transfer tables); `vid_cifar10`,
`vid_cub200`, `vid_mit67` (published scale, paper profile only, need data + GPU).
"""

from functools import partial

from replications.hu2019.anchor import run_anchor
from replications.hu2019.ba import run_ba
from replications.hu2019.bbnn_sweep import VARIANTS, run_variant
from replications.hu2019.paper_scale import run_cifar10, run_cub200, run_mit67
from replications.hu2019.transfer import run_transfer

EXPERIMENTS = {
    "ba": run_ba,
    "bbnn_anchor": run_anchor,
    **{f"bbnn_{name}": partial(run_variant, name) for name in VARIANTS},
    **{f"bbnn_{name}_n1000": partial(run_variant, name) for name in VARIANTS},
    "vid_mnist": run_transfer,
    "vid_cifar10": run_cifar10,
    "vid_cub200": run_cub200,
    "vid_mit67": run_mit67,
}
