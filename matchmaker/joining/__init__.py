"""Joining a published session with room: commissioners and link workers take a free place themselves."""
