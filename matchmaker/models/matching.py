"""Matching runs (a solver job on one round) and the drafts they produce.

A run holds the problem it solved, its progress points and the plan it found. Every
plan an organiser can publish is a `MatchDraft`: version 1 of a run is the solver's plan,
each adjustment makes the next version with the change it made, so every draft is kept.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.rounds import Round


class RunStatus(enum.StrEnum):
    """A run is queued, then running, then finished, cancelled (best plan kept) or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    FAILED = "failed"


class RunKind(enum.StrEnum):
    """A full run (new sessions anywhere) or a refill (only free places in published sessions)."""

    FULL = "full"
    REFILL = "refill"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED.value, RunStatus.RUNNING.value)
_ACTIVE_SQL = "status IN ('queued', 'running')"


def _enum(kind: type[enum.Enum]) -> Enum:
    """A portable (VARCHAR) enum column storing the values."""
    return Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class MatchRun(Base):
    """One solver run on a round, from queueing to its plan."""

    __tablename__ = "match_runs"
    __table_args__ = (
        # At most one queued or running run per round, enforced by the database (SQLite and PostgreSQL).
        Index(
            "uq_match_runs_active_round",
            "round_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RunKind] = mapped_column(_enum(RunKind), default=RunKind.FULL)
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus), default=RunStatus.QUEUED)
    time_limit: Mapped[float] = mapped_column(Float, default=30.0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # [[seconds, score, bound], ...] in the order the solver reported them.
    progress: Mapped[list[Any]] = mapped_column(JSON, default=list)
    best_score: Mapped[int | None] = mapped_column(Integer)
    best_bound: Mapped[int | None] = mapped_column(Integer)
    plan_status: Mapped[str | None] = mapped_column(String(20))  # the plan's status: optimal, feasible, no_solution
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()

    @property
    def is_active(self) -> bool:
        """Queued or running."""
        return self.status.value in ACTIVE_RUN_STATUSES


class MatchDraft(Base):
    """One version of a round's draft plan: the solver's, or an organiser's adjustment of an earlier one."""

    __tablename__ = "match_drafts"
    __table_args__ = (UniqueConstraint("round_id", "version", name="uq_match_drafts_round_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("match_drafts.id", ondelete="SET NULL"))
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What this version changed ({"action": "remove", "session": "S3", "participant": "u12"}); None: a run's plan.
    change: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    locked: Mapped[list[str]] = mapped_column(JSON, default=list)  # plan session ids a re-run keeps as fixed
    kept_short: Mapped[list[str]] = mapped_column(JSON, default=list)  # short sessions the organiser chose to keep
    # People added against a rule, after a confirmation: [{"session", "participant", "rules": ["H1", ...], "run"}].
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    run: Mapped[MatchRun] = relationship()
