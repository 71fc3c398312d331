"""Following processes, groups and threads; in-app notifications; email per event or as a daily digest; Atom feeds."""
