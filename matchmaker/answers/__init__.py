"""Answers at a glance: every invitation's answer in a round, short sessions, and declines told to the organiser."""
