"""Work on the Welsh catalogue in batches.

    python scripts/translations.py export OUT.json     # untranslated messages, as {"msgid": ""} (plurals: six forms)
    python scripts/translations.py apply IN.json       # fill the catalogue from {"msgid": "Welsh"} or the six forms

Welsh has six plural forms, chosen by the catalogue header's Plural-Forms: n == 0, 1, 2, 3, 6,
and every other number. Each needs its own words ("0 cyfrif", "1 cyfrif", "2 gyfrif",
"3 chyfrif", "6 chyfrif", "11 cyfrif"), so a plural is exported and applied as an object
with all six filled: {"zero": ..., "one": ..., "two": ..., "few": ..., "many": ..., "other": ...}.

Run `make messages` first so the catalogue holds every message in the source.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
FORMS = ("zero", "one", "two", "few", "many", "other")  # msgstr[0..5]: n == 0, 1, 2, 3, 6, any other


def _load():  # noqa: ANN202
    """Read the Welsh catalogue."""
    with PO.open("rb") as handle:
        return read_po(handle, locale="cy")


def export(out: Path) -> None:
    """Write every message without a (non-fuzzy) translation."""
    todo: dict[str, object] = {}
    for message in _load():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            if isinstance(message.id, tuple):
                current = list(strings) + [""] * (len(FORMS) - len(strings))
                todo[message.id[0]] = {"plural": message.id[1], "cy": dict(zip(FORMS, current, strict=True))}
            else:
                todo[message.id] = ""
    out.write_text(json.dumps(todo, ensure_ascii=False, indent=1))
    print(f"{len(todo)} messages to translate written to {out}")


def apply(source: Path) -> None:
    """Fill translations from a JSON mapping; unknown ids are reported, not added."""
    catalogue = _load()
    data = json.loads(source.read_text())
    filled, unknown, incomplete = 0, [], []
    for msgid, welsh in data.items():
        message = catalogue.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(welsh, dict) and "cy" in welsh:
            welsh = welsh["cy"]
        if not welsh:
            continue
        if isinstance(message.id, tuple):
            forms = [welsh.get(name, "") for name in FORMS] if isinstance(welsh, dict) else list(welsh)
            if len(forms) != catalogue.num_plurals or not all(isinstance(f, str) and f.strip() for f in forms):
                incomplete.append(msgid)  # every form or none: one form copied into another is wrong Welsh
                continue
            message.string = tuple(forms)
        else:
            message.string = welsh if isinstance(welsh, str) else welsh[0]
        message.flags.discard("fuzzy")
        filled += 1
    with PO.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False)
    print(f"{filled} translations applied; {len(unknown)} unknown ids: {unknown[:5]}")
    if incomplete:
        print(f"{len(incomplete)} plurals left out, not all six forms given: {incomplete[:5]}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    command, path = sys.argv[1], Path(sys.argv[2])
    {"export": export, "apply": apply}[command](path)
