"""Entry point: `flask --app app ...` and `gunicorn "app:create_app()"`."""

from matchmaker.factory import create_app

__all__ = ["create_app"]
