"""Report figures. Kept in a sub-package: the run store hashes only the replication's top-level
modules, so editing a figure does not invalidate stored runs."""
