"""The checks themselves can fail: axe finds a planted fault, and inline script is refused and reported."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTIFACTS, PageWatch, axe_violations, english_defaults, new_page


def test_axe_finds_an_image_without_alternative_text(page, assert_accessible):
    page.goto("/accessibility")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/images/favicon.svg\">')"
    )
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page, "planted")
    message = str(failure.value)
    assert "image-alt" in message and "<img" in message
    assert any(ARTIFACTS.glob("*planted.png")), "a screenshot of the failure is kept"


def test_inline_script_is_blocked_by_the_csp_and_reported(browser, live_server):
    watch = PageWatch()
    context, page = new_page(browser, live_server, watch)
    try:
        page.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
            " document.body.appendChild(s); }"
        )
        page.wait_for_timeout(100)  # console events arrive asynchronously
        assert page.evaluate("window.inlineRan === undefined"), "the CSP should refuse inline script"
        assert any("script-src" in text for text in watch.csp), watch.csp
        assert any(problem.startswith("CSP violation") for problem in watch.problems())
    finally:
        context.close()


def test_a_missing_asset_is_reported(browser, live_server):
    watch = PageWatch()
    context, page = new_page(browser, live_server, watch)
    try:
        page.goto("/")
        page.evaluate(
            "() => { const l = document.createElement('link'); l.rel = 'stylesheet';"
            " l.href = '/static/vendor/missing.css'; document.head.appendChild(l);"
            " const i = document.createElement('img'); i.alt = ''; i.src = '/static/images/missing.png';"
            " document.body.appendChild(i); }"
        )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(100)
        problems = "\n".join(watch.problems())
        assert "asset failed: 404" in problems and "missing.png" in problems, problems
        assert "console error" in problems and "missing.css" in problems, problems
    finally:
        context.close()


def test_english_defaults_left_on_a_welsh_page_are_found(page):
    page.goto("/language/cy?next=/account/sign-in")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert english_defaults(page) == []
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Rhowch</p>'
        + '<div data-i18n.show-password="Show"></div>')"""
    )
    found = english_defaults(page)
    assert len(found) == 2 and "'Error:'" in found[0] and "'Show'" in found[1], found
