"""Why a case went where it went, in the reader's language: renders the reason routing stored as data on
its CaseEvent (counseling/routing.py, `Rule`), e.g. "Routed to you: speaks Russian, covers work, team of
JMD Essen (nearest to 45127)"."""

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from counseling.models import Case, CaseEvent
from counseling.routing import Rule
from hub.topics import Topic


def language_name(code: str) -> str:
    """The language's name in the active language ("French", "Französisch", "Fransızca")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def routing_event(case: Case) -> CaseEvent | None:
    """The latest routing decision: an assignment or a queueing with a stored reason."""
    kinds = [CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.QUEUED]
    return (
        case.events.filter(kind__in=kinds)
        .exclude(reason={})
        .select_related("counselor")
        .order_by("-created_at", "-pk")
        .first()
    )


def reason_text(event: CaseEvent, *, viewer=None) -> str:
    reason = event.reason or {}
    rule = reason.get("rule")
    language = language_name(reason.get("language", ""))
    site = reason.get("site_name", "")
    if rule == Rule.MATCHED:
        parts = [
            _("speaks %(language)s") % {"language": language},
            _("covers %(topic)s") % {"topic": dict(Topic.choices).get(reason.get("topic"), "")},
        ]
        if reason.get("team") and reason.get("nearest"):
            nearest = {"site": site, "postcode": reason["nearest"]}
            parts.append(_("team of %(site)s (nearest to %(postcode)s)") % nearest)
        elif reason.get("team"):
            parts.append(_("team of %(site)s") % {"site": site})
        reasons = ", ".join(parts)
        if viewer is not None and event.counselor_id == viewer.pk:
            return _("Routed to you: %(reasons)s") % {"reasons": reasons}
        name = event.counselor.get_full_name() if event.counselor else _("(deleted account)")
        return _("Routed to %(name)s: %(reasons)s") % {"name": name, "reasons": reasons}
    if rule == Rule.FALLBACK:
        text = _(
            "No counselor speaks %(language)s right now: fallback queue (answered with a translation aid)"
        )
        return text % {"language": language}
    if rule == Rule.COORDINATORS:
        text = _(
            "No counselor speaks %(language)s right now and no fallback counselor is present: "
            "coordinators' queue"
        )
        return text % {"language": language}
    if rule == Rule.TEAM_QUEUE:
        return _("Handed over to %(site)s: waiting in the queue of that site's team") % {"site": site}
    if rule == Rule.MANUAL:
        name = event.counselor.get_full_name() if event.counselor else _("(deleted account)")
        return _("Assigned by hand to %(name)s") % {"name": name}
    return _("Waiting in the queue: no counselor who speaks %(language)s has room right now") % {
        "language": language
    }
