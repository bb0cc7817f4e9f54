"""Rule enrolment follows staff as they join: hub and sites must not know about learning, so learning
listens to the two writes that make someone staff somewhere — a role (a group membership, via
`hub.services.role_grant`) and a site (a guardian object permission, via `sites.services.site_*_grant`).

The enrolment is written in the same transaction as the grant (it rolls back with it). A nightly resync
(`learning.sync_rule_enrolments`) catches anything granted around these paths (raw SQL, bulk loads)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save


def _sync(user_ids) -> None:
    from learning.services import enrolments_sync_user

    for user in get_user_model().objects.filter(pk__in=user_ids):
        enrolments_sync_user(user=user)


def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "post_add" or not pk_set:
        return
    _sync(pk_set if reverse else [instance.pk])


def on_object_permission_saved(sender, instance, created, **kwargs):
    if created and instance.permission.codename in ("counsel_at_site", "lead_site"):
        _sync([instance.user_id])


def connect() -> None:
    from guardian.utils import get_user_obj_perms_model

    m2m_changed.connect(
        on_groups_changed, sender=get_user_model().groups.through, dispatch_uid="learning.groups"
    )
    post_save.connect(
        on_object_permission_saved, sender=get_user_obj_perms_model(), dispatch_uid="learning.site-perms"
    )
