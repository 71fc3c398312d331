"""Accounts: registration, sign-in, email verification, roles and organisations."""
