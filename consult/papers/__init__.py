"""Position papers: drafted from the outcomes ledger, reviewed paragraph by paragraph, published with provenance."""
