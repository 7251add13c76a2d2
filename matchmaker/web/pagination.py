"""Paging for lists that grow with the programme: reading ?page=, counting pages, GOV.UK pagination links."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _

MAX_PAGE = 100_000  # far beyond any real list; a longer number is someone typing, not paging


def page_number(raw: str | None) -> int:
    """The page asked for in ?page=: a plain whole number from 1, else 1 (never an error)."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdecimal() or len(text) > 6:
        return 1
    return min(max(int(text), 1), MAX_PAGE)


@dataclass
class Paging:
    """Where a page sits in a list: its number, the page size and the whole list's length."""

    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        """How many rows come before this page."""
        return (self.page - 1) * self.per_page


def clamp(total: int, page: int, per_page: int) -> Paging:
    """The paging for a list of `total` rows, with the page moved inside it (a page past the end shows the last)."""
    paging = Paging(total=total, page=1, per_page=per_page)
    paging.page = min(max(page, 1), paging.pages)
    return paging


def page_links(paging: Any, endpoint: str, **query: Any) -> list[dict[str, Any]]:
    """GOV.UK pagination items for every page, each keeping the list's filters."""
    return [
        {
            "number": number,
            "href": url_for(endpoint, page=number, **query),
            "current": number == paging.page,
            "visuallyHiddenText": _("Page %(number)d", number=number),
        }
        for number in range(1, paging.pages + 1)
    ]
