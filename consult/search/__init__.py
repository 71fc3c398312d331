"""Search across consult with Whoosh: a queue table written in each transaction, one writer, ranked queries."""
