"""Administration: users, roles, organisation claims and the development mail outbox."""
