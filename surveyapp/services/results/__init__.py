"""Survey results: counted and suppressed round data, the dashboard, unit pages, follow-up, reports, exports, raw data and API data."""
