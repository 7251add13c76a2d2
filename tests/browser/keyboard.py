"""Keyboard helpers for the browser journeys: reach, type, choose and submit as a keyboard user does.

Every journey that says "by keyboard" uses these (no mouse clicks, no `fill`), so a control that
cannot be reached with Tab, or a radio group that arrow keys cannot move through, fails the test.
"""

from __future__ import annotations

from typing import Any

SUBMIT = "main form[method=post] button[type=submit]"


def focused(page: Any, selector: str) -> bool:
    """Whether the focused element matches selector."""
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Any, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching selector has the focus (fail if it never does)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def press_and_wait(page: Any, key: str = "Enter") -> None:
    """Press a key that submits a form or follows a link, and wait for the next page to load."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab to a field, select what it holds and type over it."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_radio(page: Any, name: str, value: str, limit: int = 12) -> None:
    """Tab into a radio group, then use the arrow keys and Space to choose value."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(limit):
        if focused(page, f"input[name='{name}'][value='{value}']"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(f"input[name='{name}'][value='{value}']").is_checked()


def tick(page: Any, name: str, value: str) -> None:
    """Tab to a checkbox and tick it with Space."""
    tab_to(page, f"input[type=checkbox][name='{name}'][value='{value}']")
    page.keyboard.press("Space")
    assert page.locator(f"input[name='{name}'][value='{value}']").is_checked()


def submit_by_keyboard(page: Any, selector: str = SUBMIT) -> None:
    """Tab to the form's button and press Enter; wait for the next page."""
    tab_to(page, selector)
    press_and_wait(page, "Enter")


def follow_first_error(page: Any) -> str:
    """The error summary has the focus; follow its first link by keyboard; return the focused id."""
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')")
    tab_to(page, ".govuk-error-summary__list a")
    page.keyboard.press("Enter")
    return page.evaluate("document.activeElement.id")


def switch_language_by_keyboard(page: Any, language: str) -> None:
    """Use the header's language link (Tab, Enter) unless the page is already in that language."""
    if page.locator("html").get_attribute("lang") == language:
        return
    path = page.evaluate("location.pathname")
    tab_to(page, f"header a[hreflang={language}]")
    press_and_wait(page, "Enter")
    assert page.locator("html").get_attribute("lang") == language
    assert page.evaluate("location.pathname") == path


def sign_in_by_keyboard(page: Any, email: str, password: str) -> None:
    """On the sign-in page: type the email and password, then press Enter."""
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(password)
    press_and_wait(page, "Enter")
