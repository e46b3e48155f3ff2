"""`make bench`: builds a large dataset on the configured database and measures, in one run,
each page and list against a baseline measured in the same run (ratios, never absolute targets)."""
