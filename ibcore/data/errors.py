"""The one exception type the data layer raises for missing or corrupted data."""


class DataError(RuntimeError):
    """A data set is missing, corrupted, or fails its checksum. The message names the file."""
