"""Hostile input on every route: no 500, no traceback in the log, whatever is typed or put in the address.

Like the permission walk in test_permissions.py, this walks the app itself:
- every rule in url_map: each integer id replaced by huge, negative, superscript and non-ASCII digits;
- every page in tests/browser/pages.py (as the role that can open it): the query string filled with
  hostile numbers and text, and every form on the page posted with one field at a time set to an odd
  number, right-to-left text or emoji, then with every field set to NUL, CR/LF and 10,000 characters.
A 500 or an ERROR log record fails the test, naming the request. Hypothesis adds random text to the
free-text fields that reach the database (sign-up, search, booking purpose) with a bounded budget.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.support import quick_sign_in, text
from tests.browser.pages import PAGES, PENDING, UNVERIFIED, Setup, Visit
from tests.helpers import csrf_token

HUGE = "9" * 30
PATH_NUMBERS = [HUGE, "-1", "²", "٣", "99999999999"]
QUERY_VALUES = [HUGE, "-1", "²", "\x00", "a\r\nb", "x" * 10_000, "\u202eevil\u202c مرحبا", "🎨👩🏽‍🎨"]
FIELD_VALUES = ["²", HUGE, "-1", "\u202eevil\u202c مرحبا 🎨👩🏽‍🎨"]
ALL_FIELDS_VALUES = ["a\x00b", "a\r\nBcc: victim@example.org", "x" * 10_000]
QUERY_NAMES = ["page", "q", "status", "condition", "language", "health_board", "role", "day", "a", "b", "next"]
SKIPPED_ACTIONS = ("/account/sign-out", "/language/")  # ends the walk's session / only switches language
INT_ARG_RE = re.compile(r"<int:([a-z_]+)>")
ANY_ARG_RE = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")


class Forms(HTMLParser):
    """The forms on a page: method, action and the values a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect form, input, select/option and textarea values."""
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                fields.setdefault(name, [])
                if "checked" in a:
                    fields[name].append(a.get("value", "on"))
                return
            fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_data(self, data: str) -> None:
        """Text inside a textarea is its value."""
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        """Close selects and textareas."""
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(page: str) -> list[dict[str, Any]]:
    """Parse the forms of a page."""
    parser = Forms()
    parser.feed(page)
    return parser.forms


class Walk:
    """Sends requests and remembers every one that failed."""

    def __init__(self, client: Any, caplog: pytest.LogCaptureFixture) -> None:
        self.client = client
        self.caplog = caplog
        self.problems: list[str] = []
        self.count = 0

    def open(self, method: str, url: str, data: dict[str, Any] | None = None, label: str = "") -> Any:
        """One request; a 500, a traceback in the page or an ERROR record is a problem."""
        self.caplog.clear()
        response = self.client.open(url, method=method, data=data)
        self.count += 1
        body = text(response)
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR]
        if response.status_code >= 500 or "Traceback (most recent call last)" in body or errors:
            shown = url if len(url) < 200 else url[:200] + "..."
            detail = errors[0].getMessage()[:200] if errors else ""
            self.problems.append(f"{method} {shown} {label} -> {response.status_code} {detail}".strip())
        return response


@pytest.fixture
def no_rate_limits(app: Any) -> Iterator[None]:
    """Rate limits off for the walk: a 429 would hide what a route does with the input."""
    from matchmaker.extensions import limiter

    limiter.enabled = False
    try:
        yield
    finally:
        limiter.enabled = True


def _signed_in_user(role: str | None, make_user: Any) -> Any:
    """The user a page is opened as, as in the browser sweep."""
    if role is None:
        return None
    if role == PENDING:
        return make_user("link_worker", approved=False)
    if role == UNVERIFIED:
        return make_user("creative", verified=False)
    return make_user(role)


def _with_value(path: str, rule: Any, values: dict[str, Any], name: str, replacement: str) -> str:
    """The rule's path with every argument filled from values, and `name` replaced by a hostile string."""

    def fill(match: re.Match[str]) -> str:
        arg = match.group(2)
        return replacement if arg == name else str(values[arg])

    return ANY_ARG_RE.sub(fill, rule.rule)


def walk_page(walk: Walk, app: Any, url: str) -> None:
    """Fuzz one page: its ids, its query string and its forms."""
    path = urlsplit(url).path
    adapter = app.url_map.bind("localhost")
    try:
        rule, values = adapter.match(path, method="GET", return_rule=True)
    except Exception:  # noqa: BLE001  (a page reached by redirect or error: only the query is fuzzed)
        rule, values = None, {}
    if rule is not None:
        for name in INT_ARG_RE.findall(rule.rule):
            for number in PATH_NUMBERS:
                walk.open("GET", _with_value(path, rule, values, name, number), label=f"[{name}]")
    page = walk.open("GET", url)
    found = forms_in(text(page)) if page.status_code == 200 else []
    names = set(QUERY_NAMES)
    for form in found:
        if form["method"] == "get":
            names.update(form["fields"])
    for value in QUERY_VALUES:
        walk.open("GET", f"{path}?{urlencode(dict.fromkeys(sorted(names), value))}", label=f"[query {value[:12]!r}]")
    for form in found:
        action = form["action"] or path
        if form["method"] != "post" or action.startswith(SKIPPED_ACTIONS):
            continue
        base = {name: values or [""] for name, values in form["fields"].items()}
        editable = [name for name in base if name != "csrf_token"]
        for name in editable:
            for value in FIELD_VALUES:
                walk.open("POST", action, {**base, name: [value]}, label=f"[{name}={value[:12]!r}]")
        for value in ALL_FIELDS_VALUES:
            walk.open("POST", action, {**base, **dict.fromkeys(editable, [value])}, label=f"[all={value[:12]!r}]")


@pytest.mark.parametrize("visit", PAGES, ids=[visit.id for visit in PAGES])
def test_every_page_survives_hostile_input(visit: Visit, app, make_user, caplog, no_rate_limits):
    client = app.test_client()
    user = _signed_in_user(visit.role, make_user)
    if user is not None:
        quick_sign_in(client, user)
    url = visit.url(Setup(app=app, user=user, make_user=make_user))
    walk = Walk(client, caplog)
    walk_page(walk, app, url)
    assert walk.problems == [], "\n".join(walk.problems)
    assert walk.count >= 1 + len(QUERY_VALUES)


@pytest.mark.parametrize("role", [None, "organiser", "creative"])
def test_every_id_in_every_route_is_a_404_when_it_is_not_a_number_we_store(app, make_user, caplog, role):
    """All of url_map, every method: huge, negative, superscript and Arabic-Indic ids never reach a view."""
    client = app.test_client()
    if role:
        quick_sign_in(client, make_user(role))
    token = csrf_token(text(client.get("/account/sign-in" if role is None else "/account/")))
    walk = Walk(client, caplog)
    checked = 0
    for rule in app.url_map.iter_rules():
        names = INT_ARG_RE.findall(rule.rule)
        for name in names:
            values = {arg: "1" for arg in rule.arguments}
            values.update({arg: "accept" for arg in rule.arguments if arg in ("answer", "action")})
            for number in PATH_NUMBERS:
                path = _with_value("", rule, values, name, number)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = walk.open(method, path, {"csrf_token": token} if method == "POST" else None)
                    assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
                    checked += 1
    assert walk.problems == [], "\n".join(walk.problems)
    assert checked > 100


def test_the_walk_would_catch_a_500(caplog):
    """The walker is not vacuous: a route that raises is reported with its request."""
    from flask import Flask

    broken = Flask("broken")

    @broken.route("/boom")
    def boom() -> str:
        return str(int("9" * 30).to_bytes(2, "big"))  # OverflowError, as a 30-digit id once did

    walk = Walk(broken.test_client(), caplog)
    walk.open("GET", "/boom?page=1")
    assert len(walk.problems) == 1 and walk.problems[0].startswith("GET /boom?page=1")
    assert "500" in walk.problems[0]


def test_the_form_parser_reads_what_a_browser_would_send():
    page = """<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
    <input name="name" value="Nia"><input type="checkbox" name="c" value="1" checked>
    <input type="checkbox" name="c" value="2">
    <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
    <textarea name="t">Hello</textarea><button type="submit">Go</button></form>
    <form method="get"><input name="q"></form>"""
    first, second = forms_in(page)
    assert first == {
        "method": "post",
        "action": "/x",
        "fields": {"csrf_token": ["t"], "name": ["Nia"], "c": ["1"], "s": ["b"], "t": ["Hello"]},
    }
    assert second["method"] == "get" and second["fields"] == {"q": [""]}


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, query=TEXT)
def test_random_text_in_sign_up_and_search_is_a_page_or_a_form_error(app, make_user, caplog, name, query):
    """Any Unicode (surrogates excepted, which a browser cannot send) in a name or a search is handled."""
    from matchmaker.extensions import db
    from matchmaker.models import User

    client = app.test_client()
    walk = Walk(client, caplog)
    token = csrf_token(text(client.get("/account/sign-up")))
    data = {"csrf_token": token, "name": name, "email": "h@example.org", "password": "lantern-river-quietly-77"}
    response = walk.open("POST", "/account/sign-up", {**data, "role": "creative", "language": "en"})
    assert response.status_code in (200, 302, 429)
    reader = app.test_client()
    quick_sign_in(reader, make_user("commissioner"))
    walk.client = reader
    response = walk.open("GET", "/directory?" + urlencode({"q": query}))
    assert response.status_code in (200, 404)
    assert walk.problems == [], "\n".join(walk.problems)
    with app.app_context():  # each example starts from an empty table
        db.session.query(User).delete()
        db.session.commit()
