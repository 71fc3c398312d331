"""Background work on huey: emails, digests, analysis refresh and search indexing run off the request path."""
