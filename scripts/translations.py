"""Work on the Welsh catalogue in batches.

    python scripts/translations.py export OUT.json     # untranslated messages, as {"msgid": ""} (plurals: [one, other])
    python scripts/translations.py apply IN.json       # fill the catalogue from {"msgid": "Welsh"} or [one, other]

Run `make messages` first so the catalogue holds every message in the source.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


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
                todo[message.id[0]] = {"plural": message.id[1], "cy": ["", ""]}
            else:
                todo[message.id] = ""
    out.write_text(json.dumps(todo, ensure_ascii=False, indent=1))
    print(f"{len(todo)} messages to translate written to {out}")


def apply(source: Path) -> None:
    """Fill translations from a JSON mapping; unknown ids are reported, not added."""
    catalogue = _load()
    data = json.loads(source.read_text())
    filled, unknown = 0, []
    for msgid, welsh in data.items():
        message = catalogue.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(welsh, dict):
            welsh = welsh.get("cy")
        if not welsh:
            continue
        if isinstance(message.id, tuple):
            one, other = (welsh[0], welsh[-1]) if isinstance(welsh, list) else (welsh, welsh)
            # Welsh has six plural forms (zero, one, two, few, many, other); we write "one" and "other".
            message.string = tuple(one if index == 1 else other for index in range(catalogue.num_plurals))
        else:
            message.string = welsh if isinstance(welsh, str) else welsh[0]
        message.flags.discard("fuzzy")
        filled += 1
    with PO.open("wb") as handle:
        write_po(handle, catalogue, width=100, omit_header=False)
    print(f"{filled} translations applied; {len(unknown)} unknown ids: {unknown[:5]}")


if __name__ == "__main__":
    command, path = sys.argv[1], Path(sys.argv[2])
    {"export": export, "apply": apply}[command](path)
