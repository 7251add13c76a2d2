"""Reference data: conditions, art forms and health boards, seeded and organiser-managed."""
