"""A draft's reach by language, and why Welsh speakers have no Welsh-language session."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from matchmaker.matching.review import Person, condition_names
from matchmaker.solver import Plan, Problem
from matchmaker.web.labels import language_name, role_name

WELSH = "cy"


@dataclass
class LanguageReach:
    """People who speak a language, and how many of them are in a session held in it."""

    language: str
    speakers: int
    in_language: int


@dataclass
class WelshReport:
    """The draft's reach by language and every Welsh speaker without a Welsh-language session, with the reason."""

    rows: list[LanguageReach] = field(default_factory=list)
    welsh_sessions: int = 0
    sessions: int = 0
    people: list[tuple[Person, list[str]]] = field(default_factory=list)

    @property
    def missed(self) -> int:
        """Welsh speakers with no Welsh-language session."""
        return len(self.people)


def _why(problem: Problem, condition: str, name: str) -> str:
    """Why there is no Welsh-language session on this condition, by the solver's rules (roles, then times)."""
    speakers = [p for p in problem.participants if WELSH in p.languages and condition in p.conditions]
    short = [
        role_name(role)
        for role, (low, _high) in problem.rules.counts.items()
        if sum(1 for p in speakers if p.role == role) < low
    ]
    if short:
        return _("%(condition)s – too few Welsh speakers in a role: %(roles)s", condition=name, roles=", ".join(short))
    for slot in problem.slots:
        if all(
            sum(1 for p in speakers if p.role == role and slot.id in p.available) >= low
            for role, (low, _high) in problem.rules.counts.items()
        ):
            return _(
                "%(condition)s – a Welsh-language session was possible, but the matching chose English. "
                "Make a session Welsh on its page, then run again or publish.",
                condition=name,
            )
    return _("%(condition)s – enough Welsh speakers in every role, but never all free at the same time", condition=name)


def welsh_report(problem: Problem, plan: Plan, people: dict[str, Person], language: str) -> WelshReport:
    """Reach by language and the Welsh speakers the draft leaves without a Welsh-language session."""
    names = condition_names(language)
    held: dict[str, set[str]] = {}
    for s in plan.sessions:
        for pid in s.participants:
            held.setdefault(pid, set()).add(s.language)
    welsh = sum(1 for s in plan.sessions if s.language == WELSH)
    report = WelshReport(sessions=len(plan.sessions), welsh_sessions=welsh)
    for code in ("en", WELSH):
        speakers = [p for p in problem.participants if code in p.languages]
        report.rows.append(
            LanguageReach(language_name(code), len(speakers), sum(1 for p in speakers if code in held.get(p.id, ())))
        )
    reasons: dict[str, str] = {}
    for p in problem.participants:
        if WELSH not in p.languages or WELSH in held.get(p.id, ()):
            continue
        why = []
        for c in sorted(p.conditions):
            if c not in reasons:
                reasons[c] = _why(problem, c, names.get(c, c))
            why.append(reasons[c])
        report.people.append((people[p.id], why))
    report.people.sort(key=lambda item: item[0].name.casefold())
    return report
