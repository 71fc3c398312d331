"""Open policy processes: stages with dates, working groups and their members."""
