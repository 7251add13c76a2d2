"""Browser fixtures: the app served live, one headless Chromium per run, a fresh context per test.

The live server runs the session's `app` (same database as every other test), so factories
such as `make_user` and `outbox` see what the browser did and the other way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from tests.browser.harness import (
    PageWatch,
    axe_violations,
    describe_violations,
    launch_options,
    new_page,
    save_artifacts,
    serve,
)
from tests.helpers import PASSWORD, csrf_token


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ carries the `browser` marker (`-m "not browser"` skips it)."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """The base URL of the app, served from a thread on a free 127.0.0.1 port."""
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (Debian's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


class Browsing:
    """Opens fresh browser contexts for one test and checks each page it drove."""

    def __init__(self, browser: Any, base_url: str, name: str) -> None:
        """Nothing is opened until a test asks for a page."""
        self.browser = browser
        self.base_url = base_url
        self.name = name
        self.opened: list[tuple[Any, Any, PageWatch]] = []

    def new_page(self) -> Any:
        """A page in a new context: its own cookies, so a second person can use the site at once."""
        watch = PageWatch()
        context, page = new_page(self.browser, self.base_url, watch)
        self.opened.append((context, page, watch))
        return page

    def problems(self) -> list[str]:
        """CSP violations, console errors and failed assets on every page opened."""
        return [problem for _, _, watch in self.opened for problem in watch.problems()]

    def close(self, failed: bool) -> None:
        """Save what each page looked like if the test failed, then close the contexts."""
        for number, (context, page, _) in enumerate(self.opened):
            if failed and not page.is_closed():
                save_artifacts(page, f"{self.name}-{number}")
            context.close()


@pytest.fixture
def browsing(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """Fresh contexts for this test; afterwards, fail if any page broke the CSP or threw."""
    session = Browsing(browser, live_server, request.node.name)
    yield session
    failed = getattr(request.node, "report_call", None) is None or request.node.report_call.failed
    problems = session.problems()
    session.close(failed or bool(problems))
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(browsing: Browsing) -> Any:
    """A page in a fresh browser context (no cookies)."""
    return browsing.new_page()


@pytest.fixture
def assert_accessible(request: pytest.FixtureRequest) -> Callable[..., None]:
    """assert_accessible(page, label=""): axe-core finds no WCAG 2.x A/AA or best-practice violation."""

    def check(page: Any, label: str = "") -> None:
        violations = axe_violations(page)
        if violations:
            shot = save_artifacts(page, f"{request.node.name}-{label or 'axe'}")
            pytest.fail(
                f"axe-core found {len(violations)} violation(s) on {page.url} (saved {shot}):\n"
                + describe_violations(violations),
                pytrace=False,
            )

    return check


@pytest.fixture
def browser_sign_in(live_server: str) -> Callable[..., None]:
    """browser_sign_in(page, user): sign in through the real form, over HTTP in the page's context.

    Quicker than typing; the journeys type into the form by keyboard instead.
    """

    def do(page: Any, user: Any, password: str = PASSWORD) -> None:
        request = page.context.request
        token = csrf_token(request.get(f"{live_server}/account/sign-in").text())
        response = request.post(
            f"{live_server}/account/sign-in",
            form={"csrf_token": token, "email": user.email, "password": password},
            max_redirects=0,
        )
        assert response.status == 302, response.text()[:500]

    return do


@pytest.fixture
def browser_session(app: Any, live_server: str) -> Callable[..., None]:
    """browser_session(page, user): give the page's context the session cookie signing in sets.

    For the page sweep, which signs in dozens of times: the form costs an argon2 check each time.
    The sign-in form itself is driven by the journeys and by browser_sign_in.
    """

    def do(page: Any, user: Any) -> None:
        serializer = app.session_interface.get_signing_serializer(app)
        value = serializer.dumps({"_user_id": user.get_id(), "_fresh": True, "lang": user.language})
        page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live_server}])

    return do


@pytest.fixture
def translate(app: Any) -> Callable[..., str]:
    """translate(language, msgid, **values): what the site says in that language (today's catalogue)."""

    def do(language: str, message: str, **values: Any) -> str:
        with app.test_request_context(), force_locale(language):
            return babel_gettext(message, **values)

    return do
