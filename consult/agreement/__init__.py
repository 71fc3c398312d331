"""Agreement tracking: statements, votes, sector and opinion-group analysis, outcomes ledger and mediation."""
