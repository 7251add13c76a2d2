"""Profiles: what creatives, commissioners and link workers tell us about themselves."""
