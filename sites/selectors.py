from guardian.shortcuts import get_objects_for_user

from sites.models import Site


def sites_editable_by(user):
    """Sites whose profile the user may change: all for coordinators, their own for site leads."""
    if user.has_perm("sites.change_site"):
        return Site.objects.select_related("provider_group")
    return get_objects_for_user(
        user,
        "sites.change_site",
        klass=Site.objects.select_related("provider_group"),
        accept_global_perms=False,
    )
