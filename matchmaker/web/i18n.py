"""Language and time: Welsh and English, Europe/London on screen, UTC in storage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LONDON = ZoneInfo("Europe/London")
LANGUAGES = ("en", "cy")


def select_locale() -> str:
    """The language chosen in this session, else the user's stored one, else the browser's, else English."""
    if not has_request_context():
        return "en"  # jobs and commands: emails set their own language with force_locale
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    """'cy' or 'en' for the current request."""
    locale = get_locale()
    return str(locale.language) if locale else "en"


def to_london(value: datetime) -> datetime:
    """Convert an aware UTC datetime to Europe/London."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def format_time(value: datetime, language: str | None = None) -> str:
    """'10am', '2:30pm' (English) or '10yb', '2:30yh' (Welsh), in Europe/London."""
    language = language or current_language()
    local = to_london(value)
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    if language == "cy":
        suffix = "yb" if local.hour < 12 else "yh"
    else:
        suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{minutes}{suffix}"


def format_day(value: date | datetime, language: str | None = None) -> str:
    """'Tuesday 2 March 2027' or 'Dydd Mawrth 2 Mawrth 2027' (Europe/London for datetimes)."""
    language = language or current_language()
    if isinstance(value, datetime):
        value = to_london(value).date()
    return format_date(value, "EEEE d MMMM y", locale=language)


def format_when(value: datetime, language: str | None = None) -> str:
    """'10am on Tuesday 2 March 2027' / '10yb ddydd Mawrth 2 Mawrth 2027' (one day, so no "ar").

    Welsh "ar ddydd Mawrth" means "on Tuesdays"; a single date takes the adverbial soft
    mutation without a preposition: "ddydd Mawrth 2 Mawrth".
    """
    language = language or current_language()
    return f"{format_time(value, language)} {format_on_day(value, language)}"


def format_on_day(value: date | datetime, language: str | None = None) -> str:
    """'on Monday 1 March 2027' / 'ddydd Llun 1 Mawrth 2027': a date as it follows a verb in a sentence."""
    language = language or current_language()
    day = format_day(value, language)
    if language == "cy":
        return "ddydd " + day[5:] if day.startswith("Dydd ") else day
    return f"on {day}"


def named_choices(items: Iterable[Any]) -> list[tuple[Any, str]]:
    """(id, name in the current language) pairs for a select of reference data."""
    language = current_language()
    return [(item.id, item.name(language)) for item in items]


def coded_choices(codes: Iterable[str], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """(code, display name) pairs for a select of stored codes."""
    return [(code, names[code]) for code in codes]


def init_app(app: Flask) -> None:
    """Register the date filters, select helpers and display labels used by templates."""
    from matchmaker.web import labels

    app.add_template_global(labels, "labels")
    app.add_template_global(labels.role_name, "role_name")
    app.add_template_global(labels.answer_name, "answer_name")
    app.add_template_global(labels.language_name, "language_name")
    app.add_template_global(named_choices)
    app.add_template_global(coded_choices)
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_on_day, "on_day")
    app.add_template_filter(format_time, "time")
