"""The estimator-sensitivity atlas: does each information-plane claim survive every estimator?

Saxe et al. (ICLR 2018; binning, KDE) find that ReLU networks do not compress; Noshad, Zeng &
Hero (2019; EDGE) find that they do; Chelombiev, Houghton & O'Donnell (ICLR 2019; adaptive
binning) and Goldfeld et al. (ICML 2019; noisy networks) find that the answer depends on the
estimator and its scale parameter. The atlas re-estimates I(X;T) from the layer activations
that the replications store (no retraining) over a grid of estimator settings, evaluates each
compression claim with the replication's own rule and margin, and writes `reports/atlas.html`.

A study, not a replication: it has no config.toml and runs nothing of its own. Its data is
``atlas.toml`` (sampling sizes, the estimator settings, the claims); it reads the stored runs
only through :func:`ibcore.stored_runs.stored_runs`. Modules, one job each:

* :mod:`study` — reads and checks ``atlas.toml``;
* :mod:`grid` — the estimator settings (``[[settings]]``);
* :mod:`adaptive` — equal-mass adaptive binning (Chelombiev et al. 2019);
* :mod:`estimate` — I(X;T) (and I(T;Y) for the plane figure) of one layer under one setting;
* :mod:`sources` — which stored runs feed the atlas and how their activations are read;
* :mod:`cache` — per-(run, estimator, setting) results under ``$IBREP_HOME/atlas``;
* :mod:`verdicts` — the atlas claims (``[[claims]]``) and the verdict of each (claim, setting) cell;
* :mod:`page` — the self-contained HTML page;
* :mod:`build` — the whole pipeline behind ``ibrep atlas``.
"""

from replications.atlas.build import build_atlas
from replications.atlas.grid import GRID, Setting
from replications.atlas.sources import AtlasError

__all__ = ["GRID", "AtlasError", "Setting", "build_atlas"]
