"""Small helpers for tests: the test password, CSRF tokens in pages, links in emails."""

from __future__ import annotations

import re

PASSWORD = "correct-horse-battery-staple"

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token in a page (the first form's)."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


LINK_RE = re.compile(r"http://localhost(/[^\s\"<]+)")


def links_in(text: str) -> list[str]:
    """The site paths linked from an email body."""
    return LINK_RE.findall(text)
