"""Moderation: reports, hiding and restoring comments, blocking from a group, and the public log."""
