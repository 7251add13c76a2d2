"""The application factory: config, extensions, blueprints, templates, errors, CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker.config import INSTANCE, ROOT, load_config
from matchmaker.extensions import babel, csrf, db, limiter, login_manager, migrate
from matchmaker.web import assets, i18n, security


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; overrides (used by tests) win over the environment."""
    app = Flask(
        "matchmaker",
        root_path=str(ROOT / "matchmaker"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(INSTANCE),
    )
    app.config.update(load_config())
    if overrides:
        app.config.update(overrides)
    INSTANCE.mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX_X_FOR"]:
        # Behind N trusted proxies: take the client's address (rate limits) and scheme from them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)  # type: ignore[method-assign]

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=lambda: "Europe/London",
        default_translation_directories=str(ROOT / "translations"),
    )
    limiter.init_app(app)
    _init_login(app)
    i18n.init_app(app)
    security.init_app(app)
    _register_blueprints(app)
    _register_tasks()
    _wire_features(app)
    _register_cli(app)
    _register_context(app)

    from matchmaker.main.errors import register_error_handlers

    register_error_handlers(app)
    assets.init_app(app)  # WhiteNoise answers /static/ before the app runs
    return app


def _init_login(app: Flask) -> None:
    """Flask-Login: load users by id and session token."""
    from flask_babel import lazy_gettext as _l

    from matchmaker.accounts.service import load_user

    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    """Attach each feature's blueprint."""
    from matchmaker.accounts.routes import bp as accounts_bp
    from matchmaker.answers.routes import bp as answers_bp
    from matchmaker.attendance.routes import bp as attendance_bp
    from matchmaker.audit.routes import bp as audit_bp
    from matchmaker.bookings.routes import bp as bookings_bp
    from matchmaker.directory.routes import bp as directory_bp
    from matchmaker.followups.routes import bp as followups_bp
    from matchmaker.groups.routes import bp as groups_bp
    from matchmaker.imports.routes import bp as imports_bp
    from matchmaker.interest.routes import bp as interest_bp
    from matchmaker.invites.routes import bp as invites_bp
    from matchmaker.joining.routes import bp as joining_bp
    from matchmaker.listings.routes import bp as listings_bp
    from matchmaker.mail.routes import bp as mail_bp
    from matchmaker.main.routes import bp as main_bp
    from matchmaker.matching.routes import bp as matching_bp
    from matchmaker.openreferral.routes import bp as openreferral_bp
    from matchmaker.organiser.routes import bp as organiser_bp
    from matchmaker.profiles.routes import bp as profiles_bp
    from matchmaker.reach.routes import bp as reach_bp
    from matchmaker.reference.routes import bp as reference_bp
    from matchmaker.rounds.routes import bp as rounds_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(bookings_bp)
    app.register_blueprint(invites_bp)
    app.register_blueprint(joining_bp)
    app.register_blueprint(organiser_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reference_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(interest_bp)
    app.register_blueprint(answers_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(followups_bp)
    app.register_blueprint(reach_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(openreferral_bp)
    app.register_blueprint(imports_bp)


def _register_tasks() -> None:
    """Import every module that defines jobs, so a consumer made from this app knows them all."""
    from matchmaker.accounts import tasks as account_tasks  # noqa: F401  (password-reset emails)
    from matchmaker.answers import tasks as answer_tasks  # noqa: F401  (the daily digest of declines)
    from matchmaker.followups import tasks as follow_up_tasks  # noqa: F401  (follow-ups and their reminder)
    from matchmaker.invites import tasks as invite_tasks  # noqa: F401  (reminders, calendar answers over IMAP)
    from matchmaker.listings import tasks as listing_tasks  # noqa: F401  (details kept fresh)
    from matchmaker.mail import tasks as mail_tasks  # noqa: F401  (delivery, the sweep)
    from matchmaker.matching import tasks as matching_tasks  # noqa: F401  (runs, the stale-run sweep)
    from matchmaker.rounds import tasks as round_tasks  # noqa: F401  (closing registration on time)


def _wire_features(app: Flask) -> None:
    """Hand lower features what they need from higher ones (they may not import upwards)."""
    from matchmaker.bookings.feasibility import use_request_blocker
    from matchmaker.matching.feasibility import request_blocker

    use_request_blocker(app, request_blocker)


def _register_cli(app: Flask) -> None:
    """Attach the `flask --app app ...` command groups."""
    from matchmaker.accounts.cli import users_cli
    from matchmaker.demo.cli import demo_cli
    from matchmaker.invites.cli import mail_cli
    from matchmaker.mail.cli import outbox_cli
    from matchmaker.matching.cli import match_cli
    from matchmaker.reference.seed import reference_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(match_cli)
    app.cli.add_command(reference_cli)


def _register_context(app: Flask) -> None:
    """Values every template can use."""

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "current_language": i18n.current_language(),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
