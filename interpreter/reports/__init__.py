"""Reports: rendering values and derivations, diffs, coverage and graph export."""
