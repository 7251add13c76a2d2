"""What the axe-core sweep visits: who is signed in, which URL (built from a Setup), which form to submit empty.

Kept apart from pages.py (the list) so the page modules and the journeys can import these without
importing the list, and pages.py can import the page modules at its top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Who is signed in when the page is opened (None: nobody).
ANONYMOUS = None
CREATIVE = "creative"  # verified and approved
ORGANISER = "organiser"
PENDING = "pending"  # a verified link worker waiting for approval
UNVERIFIED = "unverified"  # a creative professional who has not confirmed their address

SUBMIT = "main form[method=post] button[type=submit]"


@dataclass
class Setup:
    """What a url builder can use: the signed-in user, the user factory and the app."""

    app: Any
    user: Any
    make_user: Callable[..., Any]

    def run(self, work: Callable[[], Any]) -> Any:
        """Call work() inside an app and request context (for tokens and the outbox)."""
        with self.app.test_request_context():
            return work()


@dataclass(frozen=True)
class Visit:
    """One page to check: which route, as whom, at which URL, and its form's submit button."""

    endpoint: str
    role: str | None
    url: Callable[[Setup], str]
    submit: str | None = None
    status: int = 200
    # Something to do after opening the URL to reach the page (for pages only a POST shows).
    reach: Callable[[Any], None] | None = None

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.endpoint}-{self.role or 'anonymous'}"


def fixed(path: str) -> Callable[[Setup], str]:
    """A URL builder for a path that needs nothing made first."""
    return lambda setup: path
