"""Sites' purges for the one retention mechanism (hub/retention.py): appointments and group-offer
registrations, a set time after their date."""

from datetime import datetime

from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hub.retention import Purge, policy_cutoff
from sites.models import Appointment, GroupParticipation, GroupSession


def _due_appointments(now: datetime):
    return Appointment.objects.filter(ends_at__lt=policy_cutoff("registrations", now=now))


def _delete(model):
    def remove(ids, now):
        return model.objects.filter(pk__in=ids).delete()[1].get(model._meta.label, 0)

    return remove


APPOINTMENTS = Purge("appointments", _("Appointments"), _due_appointments, _delete(Appointment))


def _due_participations(now: datetime):
    """Registrations of offers whose last meeting ended long enough ago (offers without meetings count
    from their creation)."""
    last_meeting = (
        GroupSession.objects.filter(offer=OuterRef("offer"))
        .values("offer")
        .annotate(last=Max("ends_at"))
        .values("last")
    )
    return GroupParticipation.objects.alias(
        last=Coalesce(Subquery(last_meeting), "offer__created_at")
    ).filter(last__lt=policy_cutoff("registrations", now=now))


GROUP_REGISTRATIONS = Purge(
    "group_registrations", _("Group-offer registrations"), _due_participations, _delete(GroupParticipation)
)
