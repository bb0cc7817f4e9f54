"""From abroad to the local JMD (issue 20; seed 003: "Verknüpfung zwischen Vorintegration im Drittstaat
und Erstintegration in Deutschland").

A young person who asked from abroad (`Case.country_of_residence`, from the ask form) says on their case
page that they have arrived, with the postcode where they live now. They see the JMD nearest to it that
counsels on site (`routing.nearest_site`, the one postcode-to-site rule) with its address and hours,
and only once they tick their consent is the case handed to that site's team with a handover note
(`services.case_handover`, the one handover: the team's queue, never straight back to whoever had it,
open sockets checked again). The counselor who had it is told (a mail without content); the young person
keeps the whole thread and sees "your local JMD" on the case page from then on (the ARRIVED event names
the site). Without consent nothing is written and nothing moves.

Only the young person of the case may do this: another young person, staff or a network partner get the
same 404 as for a case that does not exist. Closed cases are not offered the step: writing again opens
them, and the step with them.
"""

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from counseling import access, routing, services, stats
from counseling.models import Case, CaseEvent, CaseStatus
from hub.countries import GERMANY, country_name
from hub.statistics import StatKind


def is_abroad(case: Case) -> bool:
    return bool(case.country_of_residence) and case.country_of_residence != GERMANY


def arrival_event(case: Case) -> CaseEvent | None:
    return (
        case.events.filter(kind=CaseEvent.Kind.ARRIVED)
        .select_related("site")
        .order_by("-created_at", "-pk")
        .first()
    )


def may_arrive(case: Case, *, arrived: bool | None = None) -> bool:
    """The step is offered: a young person's open case from abroad that has not arrived yet (`arrived`:
    what the caller has read already, so that the case page does not ask twice)."""
    if case.youth_id is None or not is_abroad(case) or case.status == CaseStatus.CLOSED:
        return False
    if arrived is None:
        arrived = case.events.filter(kind=CaseEvent.Kind.ARRIVED).exists()
    return not arrived


def access_case_arrival(user, public_id) -> Case:
    """The case of this young person; for anyone else (staff, partners, other youth) a 404."""
    case = access.access_case_participant(user, public_id)
    if case.youth_id != user.pk:
        raise Http404
    return case


def local_site(postcode: str):
    """The JMD a young person who lives at this postcode can visit: the nearest with on-site counseling."""
    return routing.nearest_site(postcode, offer="on_site")


class ArrivalRefused(Exception):
    """The case may not (or no longer) take the step: arrived already, closed, or not from abroad."""


@transaction.atomic
def case_arrive(*, case: Case, youth, postcode: str, site) -> Case:
    """The young person's consented arrival: the postcode is kept, an ARRIVED event and a statistics
    event are written, and the case goes to `site`'s team with a handover note."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("site").get(pk=case.pk)
    if locked.youth_id != youth.pk or not may_arrive(locked):
        raise ArrivalRefused
    previous = locked.counselor_id
    reason = {"country": locked.country_of_residence, "postcode": postcode}
    CaseEvent.objects.create(case=locked, kind=CaseEvent.Kind.ARRIVED, actor=youth, site=site, reason=reason)
    locked.postcode = postcode  # routing's "nearest to" reason and the team's view use where they live now
    locked.save(update_fields=["postcode"])
    services.case_handover(case=locked, actor=youth, site=site, note=_handover_note(locked, site, postcode))
    stats.case_stat(StatKind.ARRIVAL, locked)  # counted for the local site and the country they came from
    if previous is not None and previous != locked.counselor_id:
        from counseling.tasks import notify_arrival

        transaction.on_commit(lambda: notify_arrival.delay(locked.pk, previous))
    return locked


def _handover_note(case: Case, site, postcode: str) -> str:
    # Stored once for every colleague who opens the case: in the staff's default language.
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "The young person has arrived in Germany (postcode %(postcode)s) and agreed that their "
            "conversation goes to the team of %(site)s. Country of residence when they asked: %(country)s. "
            "They keep the whole conversation and can book an appointment at the site."
        )
        country = country_name(case.country_of_residence, settings.LANGUAGE_CODE)
        return text % {"postcode": postcode, "site": site.name, "country": country}


def local_site_facts(site) -> dict:
    """What the young person sees of their local JMD: address, on-site hours, appointment booking."""
    from sites.models import HoursKind

    rows = list(site.hours.all())
    on_site = [row for row in rows if row.kind == HoursKind.ON_SITE]
    return {
        "site": site,
        "hours": on_site,
        "has_appointments": any(row.kind == HoursKind.APPOINTMENTS for row in rows),
    }
