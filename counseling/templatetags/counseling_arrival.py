"""`{% case_arrival case %}` on the young person's case page: "I have arrived in Germany" while the case
is from abroad, and "your local JMD" once it went there (counseling/arrival.py). Nothing for a case from
Germany or one whose country was not given."""

from django import template

from counseling import arrival
from hub.countries import country_name

register = template.Library()


@register.inclusion_tag("counseling/includes/case_arrival.html")
def case_arrival(case, arrived=None):
    """`arrived`: whether the case has an arrival event, when the view has read it (no query then for a
    case that has not arrived)."""
    if not arrival.is_abroad(case):
        return {"show": False}
    event = arrival.arrival_event(case) if arrived is not False else None
    if event is not None:
        local = arrival.local_site_facts(event.site) if event.site else None
        return {"show": local is not None, "local": local}
    return {
        "show": arrival.may_arrive(case, arrived=False),  # no arrival event, as just read
        "offer": True,
        "case": case,
        "country": country_name(case.country_of_residence),
    }
