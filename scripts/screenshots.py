#!/usr/bin/env python
"""Regenerate the README's screenshots in docs/screenshots/ (1280 pixels wide).

Starts the app on a throwaway database loaded with the demo data, then photographs pages with
the same headless Chromium set-up as the browser tests (tests/browser/harness.py).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def _isolate(tmp: Path) -> None:
    """Point the app at a temporary instance folder and database; no mail leaves, no Redis."""
    os.environ.update(
        {
            "CYSWLLT_ENV": "development",
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp / 'screenshots.db'}",
            "HUEY_SQLITE_PATH": str(tmp / "huey.db"),
            "RATELIMIT_ENABLED": "0",
        }
    )
    for name in ("MAIL_SERVER", "REDIS_URL", "SECRET_KEY"):
        os.environ.pop(name, None)


def _app_with_demo_data() -> tuple[Any, str]:
    """The app on a migrated database with the demo accounts; returns it and the demo password."""
    from flask_migrate import upgrade

    from matchmaker.config import INSTANCE
    from matchmaker.factory import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    if result.exit_code != 0:
        raise SystemExit(f"demo load failed:\n{result.output}\n{result.exception!r}")
    password = json.loads((INSTANCE / "demo-password.json").read_text())["password"]
    return app, password


def _sign_in(page: Any, email: str, password: str) -> None:
    """Sign in through the form."""
    page.goto("/account/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _shoot(page: Any, name: str) -> None:
    """A full-page PNG, with the focus ring and caret out of the way."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    """Make every screenshot the README uses."""
    tmp = Path(tempfile.mkdtemp(prefix="cyswllt-screenshots-"))
    _isolate(tmp)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import launch_options, new_page, serve

    try:
        app, password = _app_with_demo_data()
        OUT.mkdir(parents=True, exist_ok=True)
        with serve(app) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())

            context, page = new_page(browser, base_url)
            page.goto("/")
            _shoot(page, "home")
            page.goto("/language/cy")
            _shoot(page, "home-cy")
            context.close()

            context, page = new_page(browser, base_url)
            page.goto("/account/sign-in")
            page.locator("#email").fill("gwen@example.org")
            page.locator("#password").fill("not-my-password")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
            _shoot(page, "sign-in-errors")
            context.close()

            context, page = new_page(browser, base_url)
            _sign_in(page, "organiser@demo.example.org", password)
            page.goto("/language/en?next=/organiser/accounts")
            _shoot(page, "approval-queue")
            context.close()

            browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
