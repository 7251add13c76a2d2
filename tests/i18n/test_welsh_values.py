"""Welsh that is right for every value: each templated string rendered with real values.

Every seeded condition, the numbers 0, 1, 2, 3, 6 and 11, and a Monday date go into the
Welsh strings that take them, and the result is checked against the text a Welsh reader
expects: no mutating preposition glued to a name (Welsh would need "ar Ddementia", which a
name inserted as it is can never give), all six plural forms, and the one-off date form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from babel.messages.pofile import read_po

from matchmaker.reference.seed import CONDITIONS
from tests.helpers import WELSH_CATALOGUE as PO

NUMBERS = (0, 1, 2, 3, 6, 11)
MONDAY = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # 10am in Wales (GMT)
# Words that mutate (or need "ac"/"ag") what follows them: a name or number must not follow them directly.
MUTATING = r"ar|yn|ym|yng|am|i|o|gan|dan|tan|â|a|gyda|efo|hyd|wrth|heb|at|dros|trwy|drwy|dechrau|mewn|ddydd"
NAMED = ("condition", "round", "day", "title", "organisation")


def _catalogue() -> Any:
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def _welsh(app: Any, message: str, **values: Any) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("cy"):
        return gettext(message, **values)


def _welsh_plural(app: Any, singular: str, plural: str, num: int, **values: Any) -> str:
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("cy"):
        return ngettext(singular, plural, num, **values)


def test_no_name_or_date_follows_a_mutating_word_in_any_welsh_string() -> None:
    glued = re.compile(rf"(?<![\w'])({MUTATING})\s+%\(({'|'.join(NAMED)})\)s", re.IGNORECASE)
    found = []
    for message in _catalogue():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if text and glued.search(text):
                found.append(f"{message.id!r}: {text!r}")
    assert found == []


def test_no_number_follows_a_or_a_with_circumflex() -> None:
    # Before a number Welsh needs "ac"/"ag" where it is read with a vowel ("ac 11", "ac 8"), "a" otherwise.
    glued = re.compile(r"(?<![\w'])(a|â)\s+%\(\w+\)d")
    found = [
        f"{m.id!r}: {text!r}"
        for m in _catalogue()
        for text in (m.string if isinstance(m.string, tuple) else (m.string,))
        if text and glued.search(text)
    ]
    assert found == []


@pytest.mark.parametrize(("slug", "english", "welsh"), [(slug, en, cy) for slug, en, cy, _kind in CONDITIONS])
def test_every_condition_goes_into_every_templated_welsh_string_unchanged(
    app: Any, slug: str, english: str, welsh: str
) -> None:
    strings = [m for m in _catalogue() if isinstance(m.id, str) and "%(condition)s" in m.id]
    assert len(strings) >= 8
    for message in strings:
        values = {
            name: 2 if kind == "d" else f"[{name}]" for name, kind in re.findall(r"%\((\w+)\)([sd])", message.id)
        }
        values["condition"] = welsh
        text = _welsh(app, message.id, **values)
        assert welsh in text, message.id
        before = text[: text.index(welsh)].split()
        assert not before or not re.fullmatch(MUTATING, before[-1], re.IGNORECASE), (message.id, text)
    assert _welsh(app, "We have your request for a session on %(condition)s", condition=welsh) == (
        f"Mae eich cais am sesiwn wedi dod i law: {welsh}"
    )
    assert _welsh(app, "Your profile does not list this condition: %(condition)s.", condition=welsh) == (
        f"Nid yw eich proffil yn rhestru'r cyflwr hwn: {welsh}."
    )
    assert english  # the seed has both names


EXPECTED_PLURALS = {
    ("%(num)d account", "%(num)d accounts"): [
        "0 cyfrif", "1 cyfrif", "2 gyfrif", "3 chyfrif", "6 chyfrif", "11 cyfrif"],
    ("%(num)d registration matches the filters.", "%(num)d registrations match the filters."): [
        "Mae 0 cofrestriad yn cyfateb i'r hidlyddion.", "Mae 1 cofrestriad yn cyfateb i'r hidlyddion.",
        "Mae 2 gofrestriad yn cyfateb i'r hidlyddion.", "Mae 3 chofrestriad yn cyfateb i'r hidlyddion.",
        "Mae 6 chofrestriad yn cyfateb i'r hidlyddion.", "Mae 11 cofrestriad yn cyfateb i'r hidlyddion."],
    ("%(num)d place left for a link worker", "%(num)d places left for link workers"): [
        "0 lle ar ôl i weithwyr cyswllt", "1 lle ar ôl i weithiwr cyswllt", "2 le ar ôl i weithwyr cyswllt",
        "3 lle ar ôl i weithwyr cyswllt", "6 lle ar ôl i weithwyr cyswllt", "11 lle ar ôl i weithwyr cyswllt"],
    ("%(num)d person", "%(num)d people"): [
        "0 o bobl", "1 person", "2 berson", "3 pherson", "6 pherson", "11 o bobl"],
    ("%(num)d person has registered.", "%(num)d people have registered."): [
        "Mae 0 o bobl wedi cofrestru.", "Mae 1 person wedi cofrestru.", "Mae 2 berson wedi cofrestru.",
        "Mae 3 pherson wedi cofrestru.", "Mae 6 pherson wedi cofrestru.", "Mae 11 o bobl wedi cofrestru."],
    ("%(num)d minute", "%(num)d minutes"): [
        "0 munud", "1 munud", "2 funud", "3 munud", "6 munud", "11 munud"],
    ("%(num)d slot added.", "%(num)d slots added."): [
        f"Ychwanegwyd {n} slot amser." for n in NUMBERS],
}


@pytest.mark.parametrize(("ids", "expected"), list(EXPECTED_PLURALS.items()))
def test_counts_read_right_in_welsh_for_0_1_2_3_6_and_11(app: Any, ids: tuple[str, str], expected: list[str]) -> None:
    assert [_welsh_plural(app, ids[0], ids[1], n) for n in NUMBERS] == expected


def test_every_plural_has_its_six_welsh_forms_filled() -> None:
    catalogue = _catalogue()
    assert catalogue.num_plurals == 6
    plurals = [m for m in catalogue if isinstance(m.id, tuple)]
    assert len(plurals) >= 19
    for message in plurals:
        assert len(message.string) == 6 and all(s.strip() for s in message.string), message.id
        for text in message.string:
            assert set(re.findall(r"%\((\w+)\)", text)) <= set(re.findall(r"%\((\w+)\)", message.id[1])), text


def test_a_one_off_monday_reads_ddydd_llun_without_ar(app: Any) -> None:
    from matchmaker.web.i18n import format_day, format_on_day, format_when

    assert format_when(MONDAY, "cy") == "10yb ddydd Llun 1 Mawrth 2027"
    assert format_when(MONDAY, "en") == "10am on Monday 1 March 2027"
    assert format_on_day(MONDAY, "cy") == "ddydd Llun 1 Mawrth 2027"
    assert format_day(MONDAY, "cy") == "Dydd Llun 1 Mawrth 2027"
    when = format_when(MONDAY, "cy")
    assert _welsh(app, "Registration closes at %(when)s.", when=when) == (
        "Bydd cofrestru'n cau am 10yb ddydd Llun 1 Mawrth 2027."
    )
    assert _welsh(app, "Week beginning %(day)s", day=format_day(MONDAY, "cy")) == (
        "Wythnos yn dechrau: Dydd Llun 1 Mawrth 2027"
    )


def test_the_translations_script_keeps_all_six_forms(tmp_path: Any, monkeypatch: Any) -> None:
    import importlib.util
    import json
    import shutil

    spec = importlib.util.spec_from_file_location("translations", PO.parents[3] / "scripts" / "translations.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    copy = tmp_path / "messages.po"
    shutil.copy(PO, copy)
    monkeypatch.setattr(script, "PO", copy)
    forms = {"zero": "0 c", "one": "1 c", "two": "2 g", "few": "3 ch", "many": "6 ch", "other": "11 c"}
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"%(num)d account": {"cy": forms}}))
    script.apply(source)
    with copy.open("rb") as handle:
        [message] = [m for m in read_po(handle, locale="cy") if m.id == ("%(num)d account", "%(num)d accounts")]
    assert message.string == tuple(forms.values())
    source.write_text(json.dumps({"%(num)d account": ["1 cyfrif", "cyfrif"]}))  # the old two forms: refused
    with pytest.raises(SystemExit) as refused:
        script.apply(source)
    assert refused.value.code == 2
