"""Fixtures for the round tests."""

from tests.rounds.factories import make_profile, make_registration, make_round  # noqa: F401
