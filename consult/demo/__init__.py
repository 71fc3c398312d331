"""Demo content for `make run`: accounts, a process with its discussion, a proposal and a published paper."""
