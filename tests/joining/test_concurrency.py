"""Real concurrent requests to a live server: several people press "Join" for the last place at once.

Each thread is its own visitor (cookies, CSRF token, signed in as a different person) talking
HTTP to the app served from a thread, so the requests run in parallel on their own database
connections, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from http.cookiejar import Cookie, CookieJar
from typing import Any

import pytest

from tests.browser.harness import serve
from tests.factories import TUESDAY_10AM
from tests.helpers import csrf_token

TAKEN = "Sorry, someone else has just taken the last place for a link worker in this session."


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller instead of following them."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        """Never follow."""
        return None


class Visitor:
    """One person's browser, reduced to cookies and forms."""

    def __init__(self, base: str) -> None:
        """A fresh cookie jar: nobody signed in."""
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects())

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        """GET (or POST the form); the status, headers and body, whatever the status."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def sign_in(self, app: Any, user: Any) -> None:
        """Hold the session cookie signing in sets (the form costs a deliberately slow password check each time)."""
        value = app.session_interface.get_signing_serializer(app).dumps({"_user_id": user.get_id(), "_fresh": True})
        host = urllib.parse.urlsplit(self.base).hostname
        self.jar.set_cookie(
            Cookie(
                0,
                app.config["SESSION_COOKIE_NAME"],
                value,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            ),
        )

    def token(self) -> str:
        """The CSRF token the list of sessions carries (as the person's open page would)."""
        status, _headers, html = self.request("/join")
        assert status == 200
        return csrf_token(html)


@pytest.fixture
def live(app: Any) -> Iterator[str]:
    """The app served from a thread on a free loopback port (threaded: one thread per request)."""
    with serve(app) as url:
        yield url


def _press_together(visitors: list[Visitor], paths: list[str]) -> list[tuple[int, dict[str, str], str]]:
    """Each visitor POSTs its join form at the same moment; the responses in visitor order."""
    tokens = [visitor.token() for visitor in visitors]
    barrier = threading.Barrier(len(visitors))
    results: list[Any] = [None] * len(visitors)

    def press(index: int) -> None:
        barrier.wait(timeout=30)
        results[index] = visitors[index].request(paths[index], {"csrf_token": tokens[index]})

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(visitors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(result is not None for result in results), "a request never came back"
    return results


def test_five_link_workers_press_join_for_the_last_place_at_once(
    app, live, make_round, make_session, make_person, attendees, places, invites_to
):
    round_id = make_round(link_workers_max=2)
    session_id = make_session([(make_person("link_worker"), "link_worker")], round_id=round_id)
    other = make_session(round_id=round_id, starts_at=TUESDAY_10AM + timedelta(days=1))
    workers = [make_person("link_worker") for _ in range(5)]
    visitors = [Visitor(live) for _ in workers]
    for visitor, worker in zip(visitors, workers, strict=True):
        visitor.sign_in(app, worker)

    results = _press_together(visitors, [f"/join/{session_id}"] * len(visitors))

    statuses = sorted(status for status, _headers, _body in results)
    assert statuses == [302, 409, 409, 409, 409], [(s, b[:300]) for s, _h, b in results]
    winners = [w for w, (status, _h, _b) in zip(workers, results, strict=True) if status == 302]
    for (status, headers, body), worker in zip(results, workers, strict=True):
        if status == 302:
            assert headers["Location"] == f"/join/{session_id}/joined"
            assert invites_to(worker) == ["REQUEST"]
        else:
            text = re.sub(r"\s+", " ", body)
            assert TAKEN in text
            assert f'action="/join/{other}"' in text  # another session to try, in one click
            assert 'href="/join"' in text
            assert invites_to(worker) == []
    current = [row for row in attendees(session_id) if row[2] != "DECLINED" and not row[3]]
    assert len(current) == 2
    assert winners[0].id in {row[0] for row in current}
    assert places(session_id)["link_worker"] == 2


def test_one_person_in_two_tabs_cannot_take_two_overlapping_sessions(
    app, live, make_session, make_person, attendees, invites_to
):
    worker = make_person("link_worker", capacity=5)
    first = make_session()
    overlapping = make_session(condition="dementia", starts_at=TUESDAY_10AM + timedelta(minutes=45))
    tabs = [Visitor(live), Visitor(live)]
    for tab in tabs:
        tab.sign_in(app, worker)

    results = _press_together(tabs, [f"/join/{first}", f"/join/{overlapping}"])

    assert sorted(status for status, _h, _b in results) == [302, 409], [(s, b[:300]) for s, _h, b in results]
    refused = next(re.sub(r"\s+", " ", body) for status, _h, body in results if status == 409)
    assert "You already have a session at the same time" in refused
    assert len(attendees(first)) + len(attendees(overlapping)) == 1
    assert invites_to(worker) == ["REQUEST"]
