"""Plain-text helpers every layer may use (no Flask, no database): control characters and single lines."""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS_AND_TABS = frozenset("\r\n\t")
_SPACES_RE = re.compile(r"\s+")


def has_control_characters(value: str, *, multi_line: bool = False) -> bool:
    """Does the text hold NUL or other control characters (line breaks and tabs allowed when multi_line)?"""
    for char in value:
        if multi_line and char in LINE_BREAKS_AND_TABS:
            continue
        if unicodedata.category(char) == "Cc" or char in "\u2028\u2029":
            return True
    return False


def one_line(value: str) -> str:
    """The text with control characters and line breaks turned into single spaces (for headers and lists of names)."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" or c in "\u2028\u2029" else c for c in value)
    return _SPACES_RE.sub(" ", cleaned).strip()
