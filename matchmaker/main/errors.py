"""Error pages in the person's language; never a traceback."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from matchmaker.extensions import db


def register_error_handlers(app: Flask) -> None:
    """Render our own page for each HTTP error and for unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | HTTPException:
        code = error.code or 500
        if code < 400:
            return error
        response = make_response(render_template("errors/error.html", code=code), code)
        for name, value in error.get_headers():
            if name.lower() != "content-type":  # keep Allow (405), Retry-After (429), WWW-Authenticate...
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render_template("errors/error.html", code=500), 500
