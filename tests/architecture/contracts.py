"""An import-linter contract of our own: features call each other only through a front-door module.

Layers say which feature may call which; this says how: `bookings` may call `invites.service`,
never `invites.routes` or `invites.ical`, so each feature can change its insides freely.
"""

from __future__ import annotations

from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output


class FrontDoorContract(Contract):
    """Modules outside a feature import from it only its front door (and the allowed importers anything)."""

    type_name = "front_door"

    features = fields.ListField(subfield=fields.ModuleField())
    front_door = fields.StringField()
    allowed_importers = fields.ListField(subfield=fields.ModuleField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        """List every direct import of a feature's inner module from outside that feature."""
        allowed = [module.name for module in self.allowed_importers or []]  # type: ignore[attr-defined]
        broken: list[dict[str, Any]] = []
        for feature in self.features:  # type: ignore[attr-defined]
            inside = {feature.name, *graph.find_descendants(feature.name)}
            door = f"{feature.name}.{self.front_door}"
            for module in sorted(inside - {feature.name, door}):
                for importer in sorted(graph.find_modules_that_directly_import(module)):
                    if importer in inside or any(importer == a or importer.startswith(a + ".") for a in allowed):
                        continue
                    lines = graph.get_import_details(importer=importer, imported=module)
                    broken.append({"importer": importer, "imported": module,
                                   "line": lines[0]["line_number"] if lines else 0})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """One line per import that goes past a front door."""
        for item in check.metadata["broken"]:
            output.print_error(
                f"{item['importer']} imports {item['imported']} (l.{item['line']}): use its {self.front_door} module",
                bold=False,
            )
            output.new_line()
