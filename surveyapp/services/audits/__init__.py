"""Clinical audits ("spørg 10 personaler"): recording samples, audit templates, their pages and exports."""
