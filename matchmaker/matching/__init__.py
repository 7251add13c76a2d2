"""Matching: problem building, runs as jobs, draft review and adjustment, publishing and refills."""
