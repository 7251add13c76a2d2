"""Unsaved answers between a form and its check page, per person, on the server (below the features)."""
