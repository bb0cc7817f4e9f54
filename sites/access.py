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
