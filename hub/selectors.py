from hub.models import StaffInvitation


def invitations_recent(limit: int = 50):
    return StaffInvitation.objects.select_related("invited_by", "accepted_by")[:limit]
