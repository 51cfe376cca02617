"""Benchmarks of the respondent flow, run by `make bench` (python -m bench). Not part of `make test`."""
