"""Profiles, one factory per role, and `profile_for(user, ...)` choosing by the user's role.

    CreativeProfileFactory(user=u, conditions=["stroke"], health_boards=["cardiff-vale"])
    CreativeProfileFactory(conditions={"stroke": "specialist", "dementia": "open"})
    CommissionerProfileFactory(user=u, conditions=["stroke"], languages=["en", "cy"])
    LinkWorkerProfileFactory(user=u, health_board="hywel-dda", capacity=1)

`user` may be a detached User (as make_user returns); without one, a user of the right role is made.
Reference rows are given by slug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import factory

from matchmaker.models import (
    CommissionerKind,
    CommissionerProfile,
    CreativeCondition,
    CreativeProfile,
    Experience,
    LinkWorkerProfile,
    OrganisationKind,
    Role,
)
from tests.factories.accounts import UserFactory
from tests.factories.base import BaseFactory, art_forms, conditions, health_board, health_boards, id_of


class _ProfileFactory(BaseFactory):
    """Common to the three: the owner (a user of the role), languages."""

    class Meta:
        abstract = True

    class Params:
        user = None

    user_id = factory.LazyAttribute(lambda o: id_of(o.user))
    languages = factory.LazyFunction(lambda: ["en"])

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs["languages"] = list(kwargs["languages"])
        return kwargs


class CreativeProfileFactory(_ProfileFactory):
    """A creative organisation; conditions as slugs (experience `experience`) or {slug: experience}."""

    class Meta:
        model = CreativeProfile

    class Params:
        user = factory.SubFactory(UserFactory, role=Role.CREATIVE)

    experience = Experience.SPECIALIST  # of each condition given as a slug (not a column)
    organisation_name = factory.LazyAttributeSequence(lambda o, n: f"Arts organisation {n}")
    organisation_key = factory.LazyAttribute(lambda o: o.organisation_name.strip().lower())
    organisation_kind = OrganisationKind.ARTS_ORGANISATION
    conditions = ()
    health_boards = ()
    art_forms = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs = super()._adjust_kwargs(**kwargs)
        chosen = kwargs["conditions"]
        experience = kwargs.pop("experience")
        if not isinstance(chosen, Mapping):
            chosen = dict.fromkeys(chosen, experience)
        kwargs["conditions"] = [
            CreativeCondition(condition_id=row.id, experience=Experience(level))
            for row, level in zip(conditions(chosen), chosen.values(), strict=True)
        ]
        kwargs["health_boards"] = health_boards(kwargs["health_boards"])
        kwargs["art_forms"] = art_forms(kwargs["art_forms"])
        kwargs["organisation_kind"] = OrganisationKind(kwargs["organisation_kind"])
        return kwargs


class CommissionerProfileFactory(_ProfileFactory):
    """A commissioner; conditions and health boards as slugs."""

    class Meta:
        model = CommissionerProfile

    class Params:
        user = factory.SubFactory(UserFactory, role=Role.COMMISSIONER)

    organisation = factory.Sequence(lambda n: f"Health board {n}")
    organisation_kind = CommissionerKind.HEALTH_BOARD
    conditions = ()
    health_boards = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs = super()._adjust_kwargs(**kwargs)
        kwargs["conditions"] = conditions(kwargs["conditions"])
        kwargs["health_boards"] = health_boards(kwargs["health_boards"])
        kwargs["organisation_kind"] = CommissionerKind(kwargs["organisation_kind"])
        return kwargs


class LinkWorkerProfileFactory(_ProfileFactory):
    """A link worker; conditions as slugs, one health board (slug) or none."""

    class Meta:
        model = LinkWorkerProfile

    class Params:
        user = factory.SubFactory(UserFactory, role=Role.LINK_WORKER)

    employer = factory.Sequence(lambda n: f"GP cluster {n}")
    health_board = None
    conditions = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        kwargs = super()._adjust_kwargs(**kwargs)
        kwargs["conditions"] = conditions(kwargs["conditions"])
        kwargs["health_board"] = health_board(kwargs["health_board"])
        return kwargs


PROFILE_FACTORIES: dict[Role, type[_ProfileFactory]] = {
    Role.CREATIVE: CreativeProfileFactory,
    Role.COMMISSIONER: CommissionerProfileFactory,
    Role.LINK_WORKER: LinkWorkerProfileFactory,
}


def profile_for(user: Any, *, organisation: str | None = None, boards: Any = None, **fields: Any) -> Any:
    """The profile of this user's role, with shared words for what differs by role.

    organisation: the creative's organisation_name, commissioner's organisation, link worker's employer;
    boards: health board slugs (a link worker gets the first).
    """
    role = Role(user.role)
    if organisation is not None:
        key = {Role.CREATIVE: "organisation_name", Role.COMMISSIONER: "organisation"}.get(role, "employer")
        fields[key] = organisation
    if boards is not None:
        if role == Role.LINK_WORKER:
            fields["health_board"] = next(iter(boards), None)
        else:
            fields["health_boards"] = boards
    if role != Role.CREATIVE:
        fields.pop("experience", None)
    return PROFILE_FACTORIES[role](user=user, **fields)
