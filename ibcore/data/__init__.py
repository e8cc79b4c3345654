"""Data sets used by the replications: MNIST (offline-capable) and the 12-bit task."""

from ibcore.data.errors import DataError
from ibcore.data.mnist_source import MnistSplits, mnist
from ibcore.data.szt import szt

__all__ = ["DataError", "MnistSplits", "mnist", "szt"]
