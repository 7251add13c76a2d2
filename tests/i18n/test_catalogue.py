"""Welsh everywhere: every message is translated, and no template holds English outside _()."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests.helpers import WELSH_CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
PO = WELSH_CATALOGUE

# Words that are the same in both languages on purpose: the product name and each
# language's own name in the language switch.
ALLOWED_LITERALS = {"Cyswllt", "English", "Cymraeg", "••••••••••••"}


def _extract(tmp_path: Path) -> set[str]:
    """Run pybabel extract over the source and return every msgid."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "matchmaker", "templates"],
        check=True, cwd=ROOT, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_message_in_the_source_has_a_welsh_translation(tmp_path: Path) -> None:
    source_ids = _extract(tmp_path)
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    translated: dict[str, bool] = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[key] = all(s.strip() for s in strings) and not message.fuzzy
    missing = sorted(i for i in source_ids if i not in translated)
    untranslated = sorted(i for i in source_ids if i in translated and not translated[i])
    assert not missing, f"{len(missing)} messages are not in the Welsh catalogue (run `make messages`): {missing[:20]}"
    assert not untranslated, f"{len(untranslated)} messages have no Welsh translation: {untranslated[:20]}"


def test_placeholders_survive_translation() -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", ids[0]))
        for string in strings:
            if string and set(re.findall(r"%\(\w+\)[sd]", string)) != wanted:
                wrong.append(ids[0])
    assert not wrong, f"placeholders differ in: {wrong}"


def _split_jinja(source: str) -> tuple[str, list[str]]:
    """Separate a template into its markup (Jinja replaced by spaces) and its Jinja blocks.

    Expressions may hold nested dict literals ({{ f({"a": {"b": 1}}) }}), so braces and
    string literals are tracked rather than matched with a regular expression.
    """
    markup: list[str] = []
    blocks: list[str] = []
    i = 0
    while i < len(source):
        opener = source[i : i + 2]
        if opener == "{#":
            end = source.find("#}", i + 2)
            i = len(source) if end == -1 else end + 2
            markup.append(" ")
            continue
        if opener in ("{{", "{%"):
            closer = "}}" if opener == "{{" else "%}"
            j, depth, quote = i + 2, 0, ""
            while j < len(source):
                ch = source[j]
                if quote:
                    if ch == "\\":
                        j += 1
                    elif ch == quote:
                        quote = ""
                elif ch in "\"'":
                    quote = ch
                elif ch in "([{":
                    depth += 1
                elif ch in ")]}" and depth > 0 and source[j : j + 2] != closer:
                    depth -= 1
                elif depth == 0 and source[j : j + 2] == closer:
                    break
                elif ch in ")]}":
                    depth = max(depth - 1, 0)
                j += 1
            blocks.append(source[i : j + 2])
            markup.append(" ")
            i = j + 2
            continue
        markup.append(source[i])
        i += 1
    return "".join(markup), blocks


TAGS = re.compile(r"<[^>]+>", re.S)
LITERAL_ATTRS = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"{]*[A-Za-z][^"{]*)"')
LITERAL_PARAMS = re.compile(
    r"""["'](?:text|titleText|html|label|legend|hint|visuallyHiddenText|iconFallbackText|menuButtonText|navigationLabel)["']\s*:\s*["']([^"']*[A-Za-z][^"']*)["']"""
)


def _template_problems(path: Path) -> list[str]:
    """English (or any words) in a template that is not inside a translation call."""
    source = path.read_text(encoding="utf-8")
    problems = []
    without_jinja, blocks = _split_jinja(source)
    for block in blocks:
        for literal in LITERAL_PARAMS.findall(block):
            if literal in ALLOWED_LITERALS or re.fullmatch(r"\s*</?\w+(\s+[\w-]+=?)*\s*>?\s*", literal):
                continue  # a markup fragment (a tag being built around translated text), not words
            problems.append(f"{path.relative_to(ROOT)}: literal text parameter {literal!r}")
    for literal in LITERAL_ATTRS.findall(source):
        problems.append(f"{path.relative_to(ROOT)}: literal attribute text {literal!r}")
    without_tags = TAGS.sub(" ", without_jinja)
    for chunk in re.split(r"\n|\s{2,}", without_tags):
        text = chunk.strip(" \t–—-:|·,.()")
        if not re.search(r"[A-Za-zÀ-ÿŵŷŴŶ]{2,}", text) or text in ALLOWED_LITERALS or text.startswith("&"):
            continue
        problems.append(f"{path.relative_to(ROOT)}: text outside a translation call {text!r}")
    return problems


def test_templates_hold_no_user_facing_text_outside_translation_calls() -> None:
    problems = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"} and path.is_file():
            problems.extend(_template_problems(path))
    assert not problems, "\n".join(problems)


PY_LITERAL_UI = re.compile(
    r"""(?:flash\(\s*|(?:Field|Area)\(\s*|message\s*=\s*|\.errors\s*=\s*\[\s*)(["'])[A-Za-z]"""
)


def test_python_user_facing_strings_are_translated() -> None:
    problems = []
    for path in sorted((ROOT / "matchmaker").rglob("*.py")):
        if "solver" in path.parts:
            continue  # the solver is a pure library whose reasons the site translates
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PY_LITERAL_UI.search(line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_the_template_check_catches_untranslated_text(tmp_path: Path) -> None:
    bad = ROOT / "templates" / "_probe_untranslated.html"
    bad.write_text('<p class="govuk-body">Hello there</p>\n<a aria-label="Close menu">{{ _("x") }}</a>\n'
                   '{{ govukButton({"text": "Save"}) }}\n'
                   '{{ govukInsetText({"html": \'<a class="govuk-link">\' ~ _("ok") ~ \'</a>\'}) }}\n'
                   '{{ govukInsetText({"html": "<p>Plain words</p>"}) }}\n')
    try:
        problems = _template_problems(bad)
    finally:
        bad.unlink()
    assert any("Hello there" in p for p in problems)
    assert any("Close menu" in p for p in problems)
    assert any("'Save'" in p for p in problems)
    assert any("Plain words" in p for p in problems)
    assert not any("govuk-link" in p for p in problems)


def test_welsh_pages_are_in_welsh(client) -> None:
    client.get("/language/cy")
    page = client.get("/account/sign-in").get_data(as_text=True)
    assert 'lang="cy"' in page
    assert "Mewngofnodi" in page
    assert ">Sign in<" not in page


IMPORT_RE = re.compile(r'\{%-?\s*(?:import|from)\s+"([^"]+)"(.*?)-?%\}', re.S)


def test_imported_templates_with_translated_values_are_imported_with_context() -> None:
    """Jinja caches a template imported without context, so its top-level {% set %} values
    would stay in the language of the first request: "Requested" on a Welsh page."""
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for name, rest in IMPORT_RE.findall(path.read_text(encoding="utf-8")):
            target = ROOT / "templates" / name
            if not target.exists() or "with context" in rest:
                continue
            source = target.read_text(encoding="utf-8")
            outside_macros = re.sub(r"\{%-?\s*macro.*?endmacro\s*-?%\}", "", source, flags=re.S)
            if re.search(r"\{%-?\s*set\b[^%]*_\(", outside_macros, re.S):
                problems.append(f"{path.relative_to(ROOT)} imports {name} without context")
    assert not problems, "\n".join(problems)


def test_status_names_follow_each_request_language(client, make_user, sign_in) -> None:
    organiser = make_user("organiser")
    make_user("link_worker", approved=False)
    sign_in(organiser)
    client.get("/language/en")
    assert "Waiting for approval" in client.get("/organiser/accounts?status=all").get_data(as_text=True)
    client.get("/language/cy")
    welsh = client.get("/organiser/accounts?status=all").get_data(as_text=True)
    assert "Waiting for approval" not in welsh
    assert "Yn aros am gymeradwyaeth" in welsh
