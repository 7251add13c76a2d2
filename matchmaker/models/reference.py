"""Reference data organisers manage, in English and Welsh: conditions, art forms, health boards."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, Enum, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base


class ConditionKind(enum.StrEnum):
    """A health condition, or a group of people the service works with."""

    CONDITION = "condition"
    GROUP = "group"


class _Named:
    """Bilingual name, a stable slug (used in the solver's problem), order and an active flag."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_cy: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, language: str = "en") -> str:
        """The name in this language (Welsh falls back to English if blank)."""
        return self.name_cy if language == "cy" and self.name_cy else self.name_en


class Condition(_Named, Base):
    """A health condition or service-user group that sessions are about."""

    __tablename__ = "conditions"

    kind: Mapped[ConditionKind] = mapped_column(
        Enum(ConditionKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=ConditionKind.CONDITION,
    )


class ArtForm(_Named, Base):
    """A creative practice: music, dance, visual art..."""

    __tablename__ = "art_forms"


class HealthBoard(_Named, Base):
    """One of the seven local health boards of NHS Wales."""

    __tablename__ = "health_boards"
