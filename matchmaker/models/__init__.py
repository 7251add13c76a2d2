"""All models, importable from one place (Alembic and the app import this)."""

from matchmaker.models.accounts import ROLES_NEEDING_APPROVAL_VALUES, Approval, Role, User
from matchmaker.models.audit import AuditEvent
from matchmaker.models.base import Base, UTCDateTime, utcnow
from matchmaker.models.bookings import ACTIVE_STATUSES, BOOKING_LANGUAGES, Booking, BookingStatus
from matchmaker.models.listings import ACCESS_FEATURES, WEEKDAYS, Frequency, Listing, OpenSession
from matchmaker.models.matching import ACTIVE_RUN_STATUSES, MatchDraft, MatchRun, RunKind, RunStatus
from matchmaker.models.outbox import OutboxMessage, OutboxStatus
from matchmaker.models.outcomes import AttendanceMark, AttendanceSource, FollowUp, FollowUpStage
from matchmaker.models.places import PlaceTaken, SessionPlace
from matchmaker.models.profiles import (
    CommissionerKind,
    CommissionerProfile,
    CreativeCondition,
    CreativeProfile,
    EmployerKind,
    Experience,
    Horizon,
    ImpactMeasure,
    LinkWorkerProfile,
    OrganisationKind,
    PrescribingLink,
)
from matchmaker.models.reference import ArtForm, Condition, ConditionKind, HealthBoard
from matchmaker.models.rounds import Registration, RegistrationCondition, Round, RoundStatus, Slot
from matchmaker.models.saved_answers import SavedAnswers
from matchmaker.models.sessions import (
    ConsultationSession,
    ExclusionReason,
    InboundMessage,
    InboundStatus,
    PartStat,
    SessionAttendee,
    SessionExclusion,
    SessionStatus,
)

__all__ = [
    "AttendanceMark",
    "AttendanceSource",
    "FollowUp",
    "FollowUpStage",
    "ACCESS_FEATURES",
    "WEEKDAYS",
    "Frequency",
    "Listing",
    "OpenSession",
    "SavedAnswers",
    "AuditEvent",
    "ACTIVE_RUN_STATUSES",
    "MatchDraft",
    "MatchRun",
    "RunKind",
    "RunStatus",
    "ACTIVE_STATUSES",
    "BOOKING_LANGUAGES",
    "Booking",
    "BookingStatus",
    "ConsultationSession",
    "ExclusionReason",
    "InboundMessage",
    "InboundStatus",
    "SessionExclusion",
    "PartStat",
    "SessionAttendee",
    "SessionStatus",
    "CommissionerKind",
    "CommissionerProfile",
    "CreativeCondition",
    "CreativeProfile",
    "EmployerKind",
    "Experience",
    "Horizon",
    "ImpactMeasure",
    "LinkWorkerProfile",
    "OrganisationKind",
    "PrescribingLink",
    "Registration",
    "RegistrationCondition",
    "Round",
    "RoundStatus",
    "Slot",
    "ArtForm",
    "Condition",
    "ConditionKind",
    "HealthBoard",
    "ROLES_NEEDING_APPROVAL_VALUES",
    "Approval",
    "Base",
    "OutboxMessage",
    "OutboxStatus",
    "PlaceTaken",
    "SessionPlace",
    "Role",
    "User",
    "UTCDateTime",
    "utcnow",
]
