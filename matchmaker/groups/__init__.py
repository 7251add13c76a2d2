"""Work on groups, not rows: meeting links for many sessions at once, and a message to a group of people."""
