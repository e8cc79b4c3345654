"""ibcore: the paper-independent library behind ibrep (estimators, data, store, claims, reports)."""

__version__ = "0.1.0"
