"""The estimator-sensitivity atlas: does each information-plane claim survive every estimator?

Saxe et al. (ICLR 2018; binning, KDE) find that ReLU networks do not compress; Noshad, Zeng &
Hero (2019; EDGE) find that they do; Chelombiev, Houghton & O'Donnell (ICLR 2019; adaptive
binning) and Goldfeld et al. (ICML 2019; noisy networks) find that the answer depends on the
estimator and its scale parameter. The atlas re-estimates I(X;T) from the layer activations
that the replications store (no retraining) over a grid of estimator settings, evaluates each
compression claim with the replication's own rule and margin, and writes `reports/atlas.html`.

Modules, one job each:

* :mod:`grid` — the estimator settings, as a data table;
* :mod:`adaptive` — equal-mass adaptive binning (Chelombiev et al. 2019);
* :mod:`estimate` — I(X;T) (and I(T;Y) for the plane figure) of one layer under one setting;
* :mod:`sources` — which stored runs feed the atlas and how their activations are read;
* :mod:`cache` — per-(run, estimator, setting) results under ``$IBREP_HOME/atlas``;
* :mod:`verdicts` — the atlas claims and the verdict of each (claim, setting) cell;
* :mod:`page` — the self-contained HTML page;
* :mod:`build` — the whole pipeline behind ``ibrep atlas``.
"""

from ibcore.atlas.build import build_atlas
from ibcore.atlas.grid import GRID, Setting
from ibcore.atlas.sources import AtlasError

__all__ = ["GRID", "AtlasError", "Setting", "build_atlas"]
