"""Validating feed documents against the UK profile's schemas vendored in matchmaker/openreferral/schemas/."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

SCHEMAS = Path(__file__).resolve().parents[2] / "matchmaker" / "openreferral" / "schemas"
BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


@cache
def _registry() -> Registry:
    """taxonomy.json refers to taxonomy_term.json by a relative name."""
    resources = []
    for name in ("taxonomy.json", "taxonomy_term.json"):
        resource = Resource.from_contents(_load(name), default_specification=_spec())
        resources += [(BASE + name, resource), (name, resource)]
    return Registry().with_resources(resources)


def _spec() -> Any:
    from referencing.jsonschema import DRAFT202012

    return DRAFT202012


def errors(document: Any, schema: str) -> list[str]:
    """Every way document breaks the named schema (compiled/service.json etc.), as readable lines."""
    contents = dict(_load(schema))
    if schema.startswith("taxonomy"):
        contents["$id"] = BASE + schema
    validator = Draft202012Validator(contents, registry=_registry(), format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def page_errors(envelope: Any, item_schema: str) -> list[str]:
    """The paged envelope (the Page schema of the profile's openapi.json) and each of its items."""
    page_schema = _load("openapi.json")["components"]["schemas"]["Page"]
    found = [e.message for e in Draft202012Validator(page_schema).iter_errors(envelope)]
    for key in ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"):
        if key not in envelope:
            found.append(f"missing {key}")
    for index, item in enumerate(envelope.get("contents", [])):
        found += [f"contents/{index}/{line}" for line in errors(item, item_schema)]
    return found


def is_timestamp(text: str) -> bool:
    """An ISO 8601 date-time with a zone (jsonschema does not check date-time without extra packages)."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False
