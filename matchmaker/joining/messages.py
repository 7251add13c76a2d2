"""What the site says when someone cannot join a session (current language)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from matchmaker.joining import service
from matchmaker.models import ConsultationSession
from matchmaker.web.i18n import current_language, format_when
from matchmaker.web.labels import language_name


def role_plural(role: str) -> str:
    """A role as a heading for a list of organisations ('Link workers')."""
    names = {
        "creative": _("Creative professionals"),
        "commissioner": _("Commissioners"),
        "link_worker": _("Link workers"),
    }
    return names.get(role, role)


def places_left(free: int, role: str) -> str:
    """'2 places left for link workers', in the reader's language."""
    if role == "commissioner":
        return ngettext("%(num)d place left for a commissioner", "%(num)d places left for commissioners", free)
    return ngettext("%(num)d place left for a link worker", "%(num)d places left for link workers", free)


def heading(refusal: service.Refusal) -> str:
    """The refusal page's heading."""
    if refusal.reason == service.FULL:
        return _("Someone else has just taken the last place")
    if refusal.reason == service.ALREADY:
        return _("You already have a place in this session")
    return _("You cannot join this session")


def explain(refusal: service.Refusal, session: ConsultationSession, role: str) -> str:
    """Why this person cannot join this session, and what they can do about it."""
    reason = refusal.reason
    if reason == service.FULL:
        if role == "commissioner":
            return _("Sorry, someone else has just taken the last place for a commissioner in this session.")
        return _("Sorry, someone else has just taken the last place for a link worker in this session.")
    if reason == service.CANCELLED:
        return _("This session has been cancelled, so nobody can join it.")
    if reason == service.STARTED:
        return _("This session has already started, so places in it can no longer be taken.")
    if reason == service.ALREADY:
        return _("You already have a place in this session. You can find it in My sessions.")
    if reason == service.REMOVED:
        return _(
            "The organisers have taken you off this session, so you cannot join it again. "
            "If you think this is a mistake, email them at %(mailbox)s.",
            mailbox=session.round.organiser_mailbox,
        )
    if reason == service.KEPT_OUT:
        return _(
            "You cannot be placed in this session at the moment, for example because you cancelled your "
            "booking in this round. Book again, or email the organisers at %(mailbox)s.",
            mailbox=session.round.organiser_mailbox,
        )
    if reason == service.NO_PROFILE:
        return _("Create your profile before you join a session: it tells us which languages you can take part in.")
    if reason == service.LANGUAGE:
        return _(
            "This session is held in %(language)s, which is not one of the languages in your profile. "
            "If you can take part in %(language)s, add it to your profile first.",
            language=language_name(session.language),
        )
    if reason == service.CLASH and refusal.clash is not None:
        return _(
            "You already have a session at the same time: %(condition)s at %(when)s. "
            "You cannot be in two sessions at once.",
            condition=refusal.clash.condition.name(current_language()),
            when=format_when(refusal.clash.starts_at),
        )
    if reason == service.CAP:
        return ngettext(
            "You can take part in %(num)d session in this round, and you already have a place in it.",
            "You can take part in %(num)d sessions in this round, and you already have places in that many.",
            refusal.cap,
        )
    return _("You cannot join this session.")
