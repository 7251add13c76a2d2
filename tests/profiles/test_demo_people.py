"""The demo people: counts, spread and idempotence."""

from collections import Counter

from sqlalchemy import func, select

from matchmaker.demo.cli import DEMO_LOADERS
from matchmaker.demo.people import _reference, demo_people, load_demo_people
from matchmaker.extensions import db
from matchmaker.models import (
    Approval,
    CommissionerProfile,
    CreativeProfile,
    LinkWorkerProfile,
    PrescribingLink,
    Role,
    User,
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_people_load_twice_without_duplicates_and_meet_the_brief(app):
    with app.app_context():
        added = load_demo_people()
        assert added == 72 + 15 + 8
        assert load_demo_people() == 0
        assert _count(User) == 95
        assert _count(CreativeProfile) == 72
        assert _count(LinkWorkerProfile) == 15
        assert _count(CommissionerProfile) == 8

        creatives = list(db.session.scalars(select(CreativeProfile)))
        organisations = {p.organisation_key for p in creatives}
        assert len(organisations) >= 60
        per_org = Counter(p.organisation_key for p in creatives)
        assert sum(1 for n in per_org.values() if n == 2) >= 5

        boards = {b.slug for p in creatives for b in p.health_boards}
        assert len(boards) == 7
        by_org = {p.organisation_key: p for p in creatives}
        welsh = sum(1 for p in by_org.values() if "cy" in p.languages)
        assert 0.15 <= welsh / len(by_org) <= 0.3
        no_link = sum(1 for p in by_org.values() if p.prescribing_link == PrescribingLink.NONE)
        assert no_link / len(by_org) >= 0.35
        assert any(p.description_cy for p in by_org.values())
        assert any(not p.description_cy for p in by_org.values())
        conditions = Counter(c.condition.slug for p in by_org.values() for c in p.conditions)
        assert len(conditions) >= 12  # a long tail, not three conditions for everyone
        assert len({a.slug for p in by_org.values() for a in p.art_forms}) >= 10

        users = list(db.session.scalars(select(User)))
        assert all(u.email.endswith("@demo.example.org") for u in users)
        assert all(u.approval == Approval.APPROVED and u.is_verified for u in users)
        emails = {u.email for u in users}
        assert "creative01@demo.example.org" in emails and "creative72@demo.example.org" in emails
        assert "linkworker15@demo.example.org" in emails and "commissioner08@demo.example.org" in emails
        link_boards = {p.health_board.slug for p in db.session.scalars(select(LinkWorkerProfile))}
        assert len(link_boards) == 7
        assert Counter(u.role for u in users)[Role.COMMISSIONER] == 8


def test_demo_people_are_the_same_on_every_installation(app):
    with app.app_context():
        load_demo_people()
        first = {(p.organisation_name, tuple(sorted(p.languages))) for p in db.session.scalars(select(CreativeProfile))}
    with app.app_context():
        plan = demo_people(_reference())
        again = {
            (p.profile["organisation_name"], tuple(sorted(p.profile["languages"])))
            for p in plan
            if p.role == Role.CREATIVE
        }
    assert first == again


def test_people_are_the_first_demo_loader():
    assert DEMO_LOADERS[0] is load_demo_people


def test_demo_load_command_creates_the_people(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count(CreativeProfile) == 72
        assert db.session.scalar(select(User).where(User.email == "linkworker01@demo.example.org")) is not None


def test_every_demo_condition_reads_well_in_the_english_descriptions():
    from matchmaker.demo.people import CONDITION_WEIGHTS, LIVING_WITH

    assert set(LIVING_WITH) == set(CONDITION_WEIGHTS)
