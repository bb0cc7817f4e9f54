from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from hub.sockets import access_revoked
from sites.models import Site


def site_profile_update(*, form) -> Site:
    return form.save()


@transaction.atomic
def site_schedule_update(*, hours_formset, closures_formset) -> None:
    """Hours and closures are saved together: a site never shows half-edited hours."""
    hours_formset.save()
    closures_formset.save()


@transaction.atomic
def site_lead_grant(*, user, site: Site) -> None:
    assign_perm("sites.lead_site", user, site)
    assign_perm("sites.change_site", user, site)


@transaction.atomic
def site_lead_revoke(*, user, site: Site) -> None:
    remove_perm("sites.lead_site", user, site)
    remove_perm("sites.change_site", user, site)
    access_revoked(user_ids=[user.pk], reason="revoked")  # the site's cases may be out of reach now


def site_counselor_grant(*, user, site: Site) -> None:
    assign_perm("sites.counsel_at_site", user, site)


def site_counselor_revoke(*, user, site: Site) -> None:
    remove_perm("sites.counsel_at_site", user, site)
    access_revoked(user_ids=[user.pk], reason="revoked")
