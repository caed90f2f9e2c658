"""Judging reports: validation, statuses between files, coverage of the roster."""
