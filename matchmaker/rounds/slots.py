"""Pure slot arithmetic: start times typed by people, local dates to UTC, patterns, bank holidays.

Times are typed and shown in Europe/London and stored in UTC. Python's zoneinfo does the
clock changes; a local time that does not exist (the hour skipped in spring) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import holidays

from matchmaker.web.i18n import LONDON

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_PATTERN_DAYS = 366
MAX_PATTERN_SLOTS = 500

_TIME_24 = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_TIME_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|yb|yh)$")


class TimeFormatError(ValueError):
    """A start time that could not be read."""

    def __init__(self, text: str) -> None:
        """Remember what was typed so the message can quote it."""
        super().__init__(text)
        self.text = text


class MissingLocalTime(ValueError):
    """A local time skipped by the clocks going forward."""


def parse_time(text: str) -> time:
    """'10:00', '14.30', '2pm', '2:30pm' (and Welsh '2yh') as a time of day."""
    value = text.strip().lower().replace(" ", "")
    match = _TIME_24.match(value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
        raise TimeFormatError(text.strip())
    match = _TIME_12.match(value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if 1 <= hour <= 12 and minute < 60:
            afternoon = match.group(3) in ("pm", "yh")
            return time(hour % 12 + (12 if afternoon else 0), minute)
    raise TimeFormatError(text.strip())


def parse_times(text: str) -> list[time]:
    """Several start times separated by commas, spaces or new lines, sorted, without repeats."""
    parts = [part for part in re.split(r"[,;\n]+|\s{2,}|\s(?=\d)", text or "") if part.strip()]
    return sorted({parse_time(part) for part in parts})


def local_to_utc(day: date, at: time) -> datetime:
    """A Europe/London wall-clock time on a day, as an aware UTC datetime."""
    local = datetime.combine(day, at, tzinfo=LONDON)
    utc = local.astimezone(UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise MissingLocalTime(f"{day} {at} does not exist in Europe/London")
    return utc


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    """England and Wales bank holidays for one year."""
    return holidays.UK(subdiv="WLS", years=year)


def bank_holiday(day: date) -> str:
    """The bank holiday's name if this day is one in Wales, else ''."""
    return _calendar(day.year).get(day) or ""


@dataclass(frozen=True)
class PlannedSlot:
    """A slot worked out from a pattern, not yet stored."""

    starts_at: datetime
    ends_at: datetime
    bank_holiday: str


def pattern_slots(first: date, last: date, weekdays: list[str], starts: list[time], minutes: int) -> list[PlannedSlot]:
    """Every start time on every chosen weekday from first to last inclusive (local times, UTC result)."""
    chosen = {WEEKDAYS.index(code) for code in weekdays}
    planned: list[PlannedSlot] = []
    day = first
    while day <= last:
        if day.weekday() in chosen:
            for at in starts:
                start = local_to_utc(day, at)
                planned.append(PlannedSlot(start, start + timedelta(minutes=minutes), bank_holiday(day)))
        day += timedelta(days=1)
    return planned
