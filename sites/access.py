"""Who may see and change a site."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sites.models import Site


def site_may_change(user, site: Site) -> bool:
    # Coordinators hold the model-level permission; site leads hold it on their own sites only.
    return user.has_perm("sites.change_site") or user.has_perm("sites.change_site", site)


def access_site(user, slug: str, *, for_write: bool = False) -> Site:
    try:
        site = Site.objects.select_related("provider_group").get(slug=slug)
    except Site.DoesNotExist as exc:
        raise Http404 from exc
    if for_write and not site_may_change(user, site):
        raise PermissionDenied
    return site


def site_team_member(user, site: Site) -> bool:
    return site_may_change(user, site) or user.has_perm("sites.counsel_at_site", site)


def access_site_team(user, slug: str) -> Site:
    """For the site's own staff (counselors, lead) and coordinators: the agenda and its actions."""
    site = access_site(user, slug)
    if not site_team_member(user, site):
        raise PermissionDenied
    return site


def access_own_appointment(user, public_id):
    from sites.models import Appointment

    appointment = Appointment.objects.select_related("site").filter(public_id=public_id, youth=user).first()
    if appointment is None:
        raise Http404
    return appointment
