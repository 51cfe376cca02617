"""Demo data for `make run`: the NSR organisation, rounds with synthetic responses, and a year of audits."""
