"""Training: M same-shaped MLPs at once (`fit_stacked`), or one model at a time (`fit`).

- `stacked.StackedMLP` — M MLPs as stacked weights, one `bmm` per layer.
- `batched.fit_stacked` — the batched trainer (own init, minibatch order, hyper-parameters per
  model; extra per-model loss terms; hooks at chosen epochs). Read its docstring for the
  determinism guarantee.
- `optim` — SGD with momentum and Adam with per-model hyper-parameters.
- `evaluate` — activations, error rates and losses of all stacked models.
- `losses` — per-model cross-entropy and sigmoid binary cross-entropy, (M, B, C) → (M,).
- `aligned` — why and how `exp`-based element-wise functions run on vector-aligned slices.
- `loop` — seeded `minibatches`, `error_rate` and the plain one-model `fit` for what does not
  fit a stack (CNN / WRN teachers).
"""

from ibcore.train.batched import Schedule, Step, fit_stacked, stacked_minibatches
from ibcore.train.loop import epoch_order, error_rate, fit, minibatches, train_epoch
from ibcore.train.stacked import StackedMLP

__all__ = [
    "Schedule",
    "StackedMLP",
    "Step",
    "epoch_order",
    "error_rate",
    "fit",
    "fit_stacked",
    "minibatches",
    "stacked_minibatches",
    "train_epoch",
]
