"""Paper replications: each sub-package is a config, a list of claims and experiment functions."""
