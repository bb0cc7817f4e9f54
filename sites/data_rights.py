"""Sites' part of "My data" (hub/data_export.py): appointments and group-offer registrations."""

from hub.data_export import ExportSection
from sites.appointments import appointment_phone
from sites.models import Appointment, GroupParticipation


def export_section(user, add_file) -> ExportSection:
    from django.utils.translation import gettext as _

    appointments = [
        {
            "kind": "appointment",
            "site": str(a.site),
            "starts": a.starts_at,
            "ends": a.ends_at,
            "how": a.get_mode_display(),
            "language": a.language,
            "phone": appointment_phone(a),
            "status": a.get_status_display(),
        }
        for a in Appointment.objects.filter(youth=user).select_related("site")
    ]
    groups = [
        {
            "kind": "group_offer",
            "offer": p.offer.title,
            "site": str(p.offer.site),
            "your_name": p.pseudonym,
            "status": p.get_status_display(),
            "signed_up": p.created_at,
        }
        for p in GroupParticipation.objects.filter(youth=user).select_related("offer__site")
    ]
    return ExportSection("bookings", _("Your appointments and group offers"), appointments + groups)
