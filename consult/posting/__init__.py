"""How much people may post: per-person posting limits, and one-time form tokens so a form is stored once."""
