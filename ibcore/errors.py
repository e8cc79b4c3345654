"""The error every malformed config.toml or claims.toml raises (kept apart so that the config,
grid and claim-template modules can share it without importing each other)."""


class ConfigError(ValueError):
    """A config.toml or claims.toml is malformed; the message names file, profile and key."""
