"""Content pages loaded from the content/ folder."""
