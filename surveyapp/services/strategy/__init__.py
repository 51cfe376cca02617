"""The rest of the quality strategy: DPSD cases, indicators from report extracts, the strategy page."""
