"""Organiser pages: the approval queue, accounts, other organisers, the outbox."""
