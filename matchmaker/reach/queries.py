"""The report's counts, aggregated in SQL: a fixed number of statements, however many people.

Every count is of people (distinct accounts), except where a table says sessions. A follow-up whose
account was erased has no person: it counts as one anonymous respondent of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select, union, union_all
from sqlalchemy.orm import aliased

from matchmaker.extensions import db
from matchmaker.models import (
    AttendanceMark,
    CommissionerProfile,
    ConsultationSession,
    CreativeProfile,
    FollowUp,
    LinkWorkerProfile,
    PartStat,
    Registration,
    RegistrationCondition,
    Round,
    RoundStatus,
    SessionAttendee,
    SessionStatus,
    User,
)
from matchmaker.models.profiles import commissioner_health_boards, creative_health_boards

STAGES = ("registered", "matched", "invited", "attended", "answered", "outcome")
# A pathway, a pilot or a commission: what the funnel's last step counts.
REPORTED = ("referral_route", "taster_planned", "pilot_running", "commissioned", "joint_bid")


@dataclass(frozen=True)
class Scope:
    """Whose data the report covers: one round or all; everything, or a commissioner's boards and sessions."""

    round_id: int | None = None
    boards: tuple[int, ...] | None = None  # None: every health board (organisers)
    user_id: int | None = None  # the commissioner: people in their own sessions count too

    @property
    def restricted(self) -> bool:
        """A commissioner's view."""
        return self.boards is not None


def person_boards() -> Any:
    """(user_id, health_board_id) for everyone: creatives' and commissioners' boards, link workers' board."""
    return union(
        select(CreativeProfile.user_id.label("user_id"), creative_health_boards.c.health_board_id.label("value")).join(
            creative_health_boards, creative_health_boards.c.profile_id == CreativeProfile.id
        ),
        select(CommissionerProfile.user_id, commissioner_health_boards.c.health_board_id).join(
            commissioner_health_boards, commissioner_health_boards.c.profile_id == CommissionerProfile.id
        ),
        select(LinkWorkerProfile.user_id, LinkWorkerProfile.health_board_id).where(
            LinkWorkerProfile.health_board_id.is_not(None)
        ),
    ).subquery("person_boards")


def _people(scope: Scope) -> Any:
    """The people a restricted scope may count: those serving its boards, and those in the commissioner's sessions."""
    boards = person_boards()
    in_boards = select(boards.c.user_id).where(boards.c.value.in_(scope.boards or (-1,)))
    mine = aliased(SessionAttendee)
    others = aliased(SessionAttendee)
    shared = (
        select(others.user_id)
        .join(mine, mine.session_id == others.session_id)
        .where(mine.user_id == (scope.user_id or -1))
    )
    return union(in_boards, shared, select(literal(scope.user_id or -1)))


def rounds(scope: Scope) -> list[Round]:
    """The rounds reported on, oldest first: open and closed ones (a draft has nobody yet)."""
    query = select(Round).where(Round.status != RoundStatus.DRAFT).order_by(Round.registration_opens_at, Round.id)
    if scope.round_id is not None:
        query = query.where(Round.id == scope.round_id)
    return list(db.session.scalars(query))


def _limit(query: Any, user_column: Any, round_column: Any, scope: Scope, round_ids: list[int]) -> Any:
    """The scope's rounds and people."""
    query = query.where(round_column.in_(round_ids or [-1]))
    if scope.restricted:
        query = query.where(user_column.in_(_people(scope)))
    return query


def _respondent() -> Any:
    """One value per person, and one per anonymous (erased) follow-up."""
    return func.coalesce(FollowUp.user_id, -FollowUp.id)


def _outcome_like(codes: tuple[str, ...]) -> Any:
    """The follow-up's outcomes include one of these (JSON text on both databases)."""
    text = cast(FollowUp.outcomes, String)
    return or_(*(text.like(f'%"{code}"%') for code in codes))


def _invited() -> Any:
    """Still invited when the session went ahead (an erased person's place counts as it was)."""
    return and_(
        ConsultationSession.status == SessionStatus.SCHEDULED,
        SessionAttendee.partstat != PartStat.DECLINED,
        or_(SessionAttendee.removed_at.is_(None), User.deleted_at.is_not(None)),
    )


def stage_query(stage: str, group: Any | None = None) -> tuple[Any, Any, Any]:
    """(select of the count, its user column, its round column) for one step of the funnel."""
    columns = [group] if group is not None else []
    if stage == "registered":
        count = func.count(func.distinct(Registration.user_id))
        return select(*columns, count), Registration.user_id, Registration.round_id
    if stage in ("matched", "invited"):
        query = select(*columns, func.count(func.distinct(SessionAttendee.user_id))).join(
            ConsultationSession, SessionAttendee.session_id == ConsultationSession.id
        )
        if stage == "invited":
            query = query.join(User, SessionAttendee.user_id == User.id).where(_invited())
        return query, SessionAttendee.user_id, ConsultationSession.round_id
    if stage == "attended":
        query = (
            select(*columns, func.count(func.distinct(AttendanceMark.user_id)))
            .join(ConsultationSession, AttendanceMark.session_id == ConsultationSession.id)
            .where(AttendanceMark.attended.is_(True))
        )
        return query, AttendanceMark.user_id, ConsultationSession.round_id
    query = (
        select(*columns, func.count(func.distinct(_respondent())))
        .join(ConsultationSession, FollowUp.session_id == ConsultationSession.id)
        .where(FollowUp.answered_at.is_not(None))
    )
    if stage == "outcome":
        query = query.where(_outcome_like(REPORTED))
    return query, FollowUp.user_id, ConsultationSession.round_id


def funnel(scope: Scope, round_ids: list[int]) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """(the funnel over the scope's rounds, the funnel of each round): twelve small statements.

    (One grouped statement over the union of the steps was measured slower on PostgreSQL.)
    """
    total: dict[str, int] = {}
    per_round: dict[int, dict[str, int]] = {rid: dict.fromkeys(STAGES, 0) for rid in round_ids}
    for stage in STAGES:
        query, user_column, round_column = stage_query(stage)
        total[stage] = int(db.session.scalar(_limit(query, user_column, round_column, scope, round_ids)) or 0)
        grouped, user_column, round_column = stage_query(stage, round_column)
        grouped = _limit(grouped, user_column, round_column, scope, round_ids).group_by(round_column)
        for round_id, count in db.session.execute(grouped):
            per_round[round_id][stage] = int(count)
    return total, per_round


# --- reach by one attribute of a person --------------------------------------------------------

PersonAttribute = Callable[[], Any]  # a subquery of (user_id, value)


def _attribute(column: Any, profile: Any = CreativeProfile) -> PersonAttribute:
    """A person attribute read from one column of a profile (the creative's unless another is named)."""
    return lambda: select(profile.user_id.label("user_id"), column.label("value")).subquery()


# Each person attribute the report groups by: add one line here to add a table (and its label in report.py).
PERSON_ATTRIBUTES: dict[str, PersonAttribute] = {
    "health_board": person_boards,
    "organisation_kind": _attribute(CreativeProfile.organisation_kind),
    "prescribing_link": _attribute(CreativeProfile.prescribing_link),
    "commissioner_kind": _attribute(CommissionerProfile.organisation_kind, CommissionerProfile),
    "employer_kind": _attribute(LinkWorkerProfile.employer_kind, LinkWorkerProfile),
    "role": lambda: select(User.id.label("user_id"), User.role.label("value")).subquery(),
}


def stage_rows(stage: str, value: Any, scope: Scope, round_ids: list[int]) -> Any:
    """Rows (stage, value, user_id) of the people at one step, in the scope: parts of one grouped statement."""
    query, user_column, round_column = stage_query(stage)
    person = _respondent() if stage in ("answered", "outcome") else user_column
    query = query.with_only_columns(
        literal(stage).label("stage"), value.label("value"), person.label("user_id"), maintain_column_froms=True
    )
    return _limit(query, user_column, round_column, scope, round_ids)


def _grouped(parts: list[Any], table: Any | None = None) -> dict[Any, dict[str, int]]:
    """value -> {stage: people}, from the parts' rows (joined to a person attribute's table): one statement."""
    rows = union_all(*parts).subquery("stage_rows")
    value = rows.c.value if table is None else table.c.value
    query = select(rows.c.stage, value, func.count(func.distinct(rows.c.user_id)))
    if table is not None:
        query = query.join(table, table.c.user_id == rows.c.user_id)
    found: dict[Any, dict[str, int]] = {}
    for stage, key, count in db.session.execute(query.group_by(rows.c.stage, value)):
        found.setdefault(getattr(key, "value", key), {})[stage] = int(count)
    return found


def by_people(scope: Scope, round_ids: list[int]) -> dict[str, dict[str, dict[str, int]]]:
    """Every person attribute at once: attribute -> value (as text) -> {registered, matched, attended}.

    One statement: the people at each step are found once and grouped by every attribute.
    """
    attributes = union_all(
        *(
            select(literal(name).label("attribute"), table.c.user_id, cast(table.c.value, String).label("value"))
            for name, table in ((name, make()) for name, make in PERSON_ATTRIBUTES.items())
        )
    ).subquery("attributes")
    rows = union_all(
        *(stage_rows(stage, literal(0), scope, round_ids) for stage in ("registered", "matched", "attended"))
    ).subquery("stage_rows")
    query = (
        select(attributes.c.attribute, attributes.c.value, rows.c.stage, func.count(func.distinct(rows.c.user_id)))
        .join(attributes, attributes.c.user_id == rows.c.user_id)
        .group_by(attributes.c.attribute, attributes.c.value, rows.c.stage)
    )
    found: dict[str, dict[str, dict[str, int]]] = {name: {} for name in PERSON_ATTRIBUTES}
    for attribute, value, stage, count in db.session.execute(query):
        found[attribute].setdefault(value, {})[stage] = int(count)
    return found


def by_condition(scope: Scope, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """condition id -> {registered, matched, attended}: registered for it, placed in or came to a session on it."""
    registered = select(
        literal("registered").label("stage"),
        RegistrationCondition.condition_id.label("value"),
        Registration.user_id.label("user_id"),
    ).join(Registration, RegistrationCondition.registration_id == Registration.id)
    parts = [_limit(registered, Registration.user_id, Registration.round_id, scope, round_ids)]
    parts += [
        stage_rows(stage, ConsultationSession.condition_id, scope, round_ids) for stage in ("matched", "attended")
    ]
    return _grouped(parts)


def by_language(scope: Scope, round_ids: list[int]) -> dict[str, dict[str, int]]:
    """session language -> {sessions, matched, attended} (sessions that went ahead): two statements."""
    sessions = select(ConsultationSession.language, func.count(ConsultationSession.id)).where(
        ConsultationSession.status == SessionStatus.SCHEDULED,
        ConsultationSession.round_id.in_(round_ids or [-1]),
    )
    if scope.restricted:
        sessions = sessions.where(
            exists().where(
                SessionAttendee.session_id == ConsultationSession.id, SessionAttendee.user_id.in_(_people(scope))
            )
        )
    parts = [stage_rows(stage, ConsultationSession.language, scope, round_ids) for stage in ("matched", "attended")]
    found = _grouped(parts)
    for language, count in db.session.execute(sessions.group_by(ConsultationSession.language)):
        found.setdefault(language, {})["sessions"] = int(count)
    return found


def by_returning(scope: Scope, round_ids: list[int]) -> dict[str, dict[str, int]]:
    """'first' or 'returning' -> {registered, matched, attended}, for creatives.

    Returning: someone from the same organisation registered in an earlier round.
    """
    # When each organisation first registered: a join, not a lookup per registration.
    colleague = aliased(CreativeProfile)
    earliest_round = aliased(Round)
    this_round = aliased(Round)
    first_seen = (
        select(
            colleague.organisation_key.label("key"),
            func.min(earliest_round.registration_opens_at).label("opens_at"),
        )
        .join(Registration, Registration.user_id == colleague.user_id)
        .join(earliest_round, earliest_round.id == Registration.round_id)
        .group_by(colleague.organisation_key)
        .subquery()
    )
    returning = this_round.registration_opens_at > first_seen.c.opens_at
    base = (
        select(
            Registration.user_id.label("user_id"),
            Registration.round_id.label("round_id"),
            case((returning, "returning"), else_="first").label("kind"),
        )
        .join(CreativeProfile, CreativeProfile.user_id == Registration.user_id)
        .join(this_round, this_round.id == Registration.round_id)
        .join(first_seen, first_seen.c.key == CreativeProfile.organisation_key)
        .where(Registration.round_id.in_(round_ids or [-1]))
    )
    if scope.restricted:
        base = base.where(Registration.user_id.in_(_people(scope)))
    regs = base.subquery()
    found: dict[str, dict[str, int]] = {}
    registered = select(regs.c.kind, func.count(func.distinct(regs.c.user_id))).group_by(regs.c.kind)
    matched = (
        select(regs.c.kind, func.count(func.distinct(regs.c.user_id)))
        .join(SessionAttendee, SessionAttendee.user_id == regs.c.user_id)
        .join(
            ConsultationSession,
            and_(ConsultationSession.id == SessionAttendee.session_id, ConsultationSession.round_id == regs.c.round_id),
        )
        .group_by(regs.c.kind)
    )
    attended = (
        select(regs.c.kind, func.count(func.distinct(regs.c.user_id)))
        .join(AttendanceMark, and_(AttendanceMark.user_id == regs.c.user_id, AttendanceMark.attended.is_(True)))
        .join(
            ConsultationSession,
            and_(ConsultationSession.id == AttendanceMark.session_id, ConsultationSession.round_id == regs.c.round_id),
        )
        .group_by(regs.c.kind)
    )
    for stage, query in (("registered", registered), ("matched", matched), ("attended", attended)):
        for value, count in db.session.execute(query):
            found.setdefault(value, {})[stage] = int(count)
    return found


def left_out_before(scope: Scope, round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Round id -> {registered, matched}: creatives registered in an earlier round but never matched before it.

    The fairness of matching across rounds: how many of those the programme had left out came back, and how
    many of them this round served. Two statements.
    """
    this_round = aliased(Round)
    earlier = aliased(Round)
    earlier_registration = aliased(Registration)
    before = earlier.registration_opens_at < this_round.registration_opens_at
    registered_before = (
        select(earlier_registration.id)
        .join(earlier, earlier.id == earlier_registration.round_id)
        .where(earlier_registration.user_id == Registration.user_id, before)
        .exists()
    )
    matched_before = (
        select(SessionAttendee.id)
        .join(ConsultationSession, ConsultationSession.id == SessionAttendee.session_id)
        .join(earlier, earlier.id == ConsultationSession.round_id)
        .where(SessionAttendee.user_id == Registration.user_id, before)
        .exists()
    )
    base = (
        select(Registration.user_id.label("user_id"), Registration.round_id.label("round_id"))
        .join(this_round, this_round.id == Registration.round_id)
        .join(CreativeProfile, CreativeProfile.user_id == Registration.user_id)
        .where(Registration.round_id.in_(round_ids or [-1]), registered_before, ~matched_before)
    )
    if scope.restricted:
        base = base.where(Registration.user_id.in_(_people(scope)))
    left = base.subquery()
    found: dict[int, dict[str, int]] = {}
    registered = select(left.c.round_id, func.count(func.distinct(left.c.user_id))).group_by(left.c.round_id)
    matched = (
        select(left.c.round_id, func.count(func.distinct(left.c.user_id)))
        .join(SessionAttendee, SessionAttendee.user_id == left.c.user_id)
        .join(
            ConsultationSession,
            and_(ConsultationSession.id == SessionAttendee.session_id, ConsultationSession.round_id == left.c.round_id),
        )
        .group_by(left.c.round_id)
    )
    for stage, query in (("registered", registered), ("matched", matched)):
        for round_id, count in db.session.execute(query):
            found.setdefault(round_id, {})[stage] = int(count)
    return found


@dataclass
class NeverMatched:
    """Organisations that registered in two or more rounds and were never placed in a session."""

    names: list[tuple[str, int]] = field(default_factory=list)  # (organisation, rounds registered in)


def never_matched(scope: Scope) -> NeverMatched:
    """One statement, across every round (the point is the rounds they tried)."""
    placed = (
        select(CreativeProfile.organisation_key)
        .join(SessionAttendee, SessionAttendee.user_id == CreativeProfile.user_id)
        .distinct()
    )
    query = (
        select(
            func.min(CreativeProfile.organisation_name),
            func.count(func.distinct(Registration.round_id)),
        )
        .join(Registration, Registration.user_id == CreativeProfile.user_id)
        .join(Round, Round.id == Registration.round_id)
        .join(User, User.id == CreativeProfile.user_id)
        .where(
            Round.status != RoundStatus.DRAFT,
            User.deleted_at.is_(None),
            CreativeProfile.organisation_key.not_in(placed),
        )
        .group_by(CreativeProfile.organisation_key)
        .having(func.count(func.distinct(Registration.round_id)) >= 2)
        .order_by(func.min(CreativeProfile.organisation_name))
    )
    if scope.restricted:
        query = query.where(CreativeProfile.user_id.in_(_people(scope)))
    return NeverMatched(names=[(name, int(count)) for name, count in db.session.execute(query)])


def outcomes(scope: Scope, round_ids: list[int], codes: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """stage -> {code: respondents reporting it, "answered": respondents, "referrals": people referred,
    "plans_yes"/"plans_maybe"/"plans_no": commissioners}: one statement."""
    columns = [
        func.count(func.distinct(_respondent())).label("answered"),
        *(
            func.count(func.distinct(case((_outcome_like((code,)), _respondent()), else_=None))).label(code)
            for code in codes
        ),
        func.coalesce(func.sum(FollowUp.referrals), 0).label("referrals"),
        func.coalesce(func.sum(FollowUp.funded_amount), 0).label("funded_amount"),
        func.count(FollowUp.funded_amount).label("funded_answers"),
        *(
            func.count(func.distinct(case((FollowUp.plans_to_commission == plan, _respondent()), else_=None))).label(
                f"plans_{plan}"
            )
            for plan in ("yes", "maybe", "no")
        ),
    ]
    query = (
        select(FollowUp.stage, *columns)
        .join(ConsultationSession, FollowUp.session_id == ConsultationSession.id)
        .where(FollowUp.answered_at.is_not(None), ConsultationSession.round_id.in_(round_ids or [-1]))
        .group_by(FollowUp.stage)
    )
    if scope.restricted:
        query = query.where(FollowUp.user_id.in_(_people(scope)))
    found: dict[str, dict[str, int]] = {}
    for row in db.session.execute(query).mappings():
        found[row["stage"]] = {key: int(value or 0) for key, value in row.items() if key != "stage"}
    return found


def quotes(scope: Scope, round_ids: list[int], limit: int = 20) -> list[tuple[str, str, int]]:
    """Notes people agreed to have quoted anonymously, newest first: (note, stage, condition id).

    For organisers' eyes (the page never shows who wrote one; no export carries them).
    """
    query = (
        select(FollowUp.note, FollowUp.stage, ConsultationSession.condition_id)
        .join(ConsultationSession, FollowUp.session_id == ConsultationSession.id)
        .where(
            FollowUp.quote_consent.is_(True),
            FollowUp.note != "",
            FollowUp.user_id.is_not(None),
            ConsultationSession.round_id.in_(round_ids or [-1]),
        )
        .order_by(FollowUp.updated_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )
    if scope.restricted:
        return []
    return [(note, stage, condition_id) for note, stage, condition_id in db.session.execute(query)]


def commissioner_boards(user: User) -> tuple[int, ...]:
    """The health boards a commissioner works with."""
    rows = db.session.scalars(
        select(commissioner_health_boards.c.health_board_id)
        .join(CommissionerProfile, commissioner_health_boards.c.profile_id == CommissionerProfile.id)
        .where(CommissionerProfile.user_id == user.id)
    )
    return tuple(sorted(rows))
