"""Provenance: which threads, comments, meetings and issues a statement came from, shown both ways."""
