"""Routing on the pages that show a case or ask a question, kept out of the shared views:

- `{% case_routing case %}` (staff case and handover pages): the postcode the young person gave, why the
  case went where it went, and the form to assign it by hand for whoever may.
- `{% language_notice form %}` (ask page): says before sending, in the reader's language, when no
  counselor currently speaks a language (one cached query: counseling.absence.languages_spoken_now).
- `{% absence_notice case absence %}` (the young person's case page): the away notice in the page's
  language (`absence`: what the view read; without it the tag reads it itself).
"""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from counseling import absence, assignment, selectors
from counseling.routing_reasons import language_name, reason_text, routing_event

register = template.Library()


@register.inclusion_tag("counseling/staff/includes/routing.html", takes_context=True)
def case_routing(context, case):
    user = context["user"]
    event = routing_event(case)
    may_assign = assignment.may_assign(user, case)
    return {
        "case": case,
        "reason": reason_text(event, viewer=user) if event else "",
        "assign_form": assignment.AssignForm(user=user, case=case) if may_assign else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("counseling/includes/language_notice.html", takes_context=True)
def language_notice(context, form):
    """One notice per language nobody present speaks; the chosen one is shown, the others wait for the
    language select (a few lines of JS) and stay hidden without it."""
    spoken = absence.languages_spoken_now()
    chosen = form["language"].value()
    notices = [
        {"code": code, "name": language_name(code), "shown": code == chosen}
        for code, _label in form.fields["language"].choices
        if code not in spoken
    ]
    return {"notices": notices, "csp_nonce": context.get("csp_nonce")}


_UNREAD = object()


@register.inclusion_tag("counseling/includes/absence_notice.html")
def absence_notice(case, profile=_UNREAD):
    """Translated framing always; the counselor's own words only on a page in the language they wrote
    them in (a German note on a Turkish page would be the one thing the reader cannot read). `profile`:
    selectors.counselor_absence(case) when the view has read it already."""
    if profile is _UNREAD:
        profile = selectors.counselor_absence(case)
    if profile is None:
        return {"profile": None}
    written_in = profile.absence_message_language or settings.LANGUAGE_CODE
    return {
        "profile": profile,
        "last_day": absence.last_day(profile),
        "message": profile.absence_message if written_in == get_language() else "",
    }
