"""Domain actions and queries. Services flush; the caller commits."""
