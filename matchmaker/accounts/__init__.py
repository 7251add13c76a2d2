"""Accounts: sign-up, sign-in, verification, reset, roles, data export and erasure."""
