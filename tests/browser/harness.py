"""Browser plumbing shared by the browser tests and scripts/screenshots.py.

Debian's Chromium (never a downloaded one), the app served from a thread on a free loopback
port, axe-core injected from node_modules, and a watcher that records what a page must
never do: break the Content-Security-Policy, throw a script error, or fail to load an asset.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 900}
# WCAG 2.0, 2.1 and 2.2 at A and AA, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def launch_options() -> dict[str, Any]:
    """Arguments for playwright's chromium.launch: Debian's browser, no network chatter."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package)")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve the app from a background thread on a free loopback port; yield its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class PageWatch:
    """What went wrong in a page while a test drove it."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        """Listen to a page's console, script errors and responses."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        """Chromium reports every CSP violation as a console error."""
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)
        elif message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(message.text)

    def _response(self, response: Any) -> None:
        """A stylesheet, script or image that does not load is a broken page.

        (A missing stylesheet or script is also refused by nosniff, which the console reports.)
        """
        if "/static/" in response.url and response.status >= 400:
            self.failed_assets.append(f"{response.status} {response.url}")

    def problems(self) -> list[str]:
        """Everything recorded, one line each."""
        return (
            [f"CSP violation: {text}" for text in self.csp]
            + [f"console error: {text}" for text in self.errors]
            + [f"asset failed: {text}" for text in self.failed_assets]
        )


def new_page(browser: Any, base_url: str, watch: PageWatch | None = None) -> tuple[Any, Any]:
    """A fresh context (no cookies) and a page in it, watched if asked."""
    context = browser.new_context(base_url=base_url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    if watch is not None:
        watch.attach(page)
        # Added by DevTools, so the page's own CSP does not apply to this listener.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )
    return context, page


# English text that GOV.UK Frontend's macros and scripts fall back to when a parameter is not
# passed. On a Welsh page, none of it may show (or be read out by a screen reader).
ENGLISH_DEFAULTS = {
    "Menu",
    "Service information",
    "Skip to main content",
    "Back",
    "Show",
    "Hide",
    "Show password",
    "Hide password",
    "Your password is visible",
    "Your password is hidden",
    "Error",
    "Warning",
    "Important",
    "Success",
    "There is a problem",
    "Support links",
    "Show all sections",
    "Hide all sections",
    "Show this section",
    "Hide this section",
    "Breadcrumb",
    "Results",
    "Day",
    "Month",
    "Year",
}

_HIDDEN_AND_DEFAULT_TEXT = """() => {
  const found = [];
  const text = el => (el.textContent || "").trim();
  document.querySelectorAll(
    ".govuk-visually-hidden, .govuk-skip-link, .govuk-back-link, .govuk-service-navigation__toggle,"
    + " .govuk-password-input__toggle, .govuk-notification-banner__title, .govuk-error-summary__title,"
    + " .govuk-date-input__label"
  ).forEach(el => found.push([el.className, text(el)]));
  document.querySelectorAll("*").forEach(el => {
    for (const attr of el.attributes) {
      if (attr.name === "aria-label" || attr.name === "title" || attr.name.startsWith("data-i18n")) {
        found.push([el.tagName.toLowerCase() + " " + attr.name, attr.value.trim()]);
      }
    }
  });
  return found;
}"""


def english_defaults(page: Any) -> list[str]:
    """GOV.UK Frontend defaults left in English on the page (visible, visually hidden or in data-i18n)."""
    return [
        f"{where}: {value!r}"
        for where, value in page.evaluate(_HIDDEN_AND_DEFAULT_TEXT)
        if value.rstrip(":").strip() in ENGLISH_DEFAULTS
    ]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools: not subject to the page's CSP (add_script_tag would be).
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Rule id, impact, help and every failing target, readable in a test report."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            if node["summary"]:
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def save_artifacts(page: Any, name: str) -> Path:
    """Keep a screenshot and the HTML of the page under test-artifacts/ for CI to collect."""
    ARTIFACTS.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:150]
    page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    (ARTIFACTS / f"{safe}.html").write_text(page.content(), encoding="utf-8")
    return ARTIFACTS / f"{safe}.png"
