"""The job consumer's entry: `huey_consumer matchmaker.jobs.consumer.huey`.

It makes the app once, by the factory's import path (as `flask --app` and gunicorn name it), so
the queue package imports nothing above it and the package graph keeps one direction. Making
the app registers every feature's tasks (the factory imports them); tasks taken outside an app
context then run in this app.
"""

from werkzeug.utils import import_string

from matchmaker.jobs.queue import huey, use_app

APP_FACTORY = "matchmaker.factory:create_app"

use_app(import_string(APP_FACTORY)())

__all__ = ["huey"]
