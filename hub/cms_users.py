"""The CMS user editor (/staff/cms/users/), narrowed to staff accounts and audited.

Wagtail's own editor lists every account and lets anyone with ``change_user`` set a password and sign in
as a young person. Here it works on ``manageable_accounts()`` only (hub/access.py): a youth account is
not listed and every view with an account in its URL answers 404 for it — edit, delete, history, usage —
as do the bulk actions. Passwords are not set here at all (WAGTAILUSERS_PASSWORD_ENABLED = False: each
person sets their own), e-mail and name are optional, the youth role cannot be given, and the
administrator flag is not offered (superusers come from ``manage.py createsuperuser``). Every change
goes into the audit log.

Wagtail picks this viewset up through ``WagtailUsersAppConfig.user_viewset`` (hub/apps.py); the bulk
actions are replaced in hub/wagtail_hooks.py.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, DeleteBulkAction, SetActiveStateBulkAction
from wagtail.users.views.bulk_actions.assign_role import RoleForm

from hub import services
from hub.access import manageable_accounts
from hub.audit import AuditAction
from hub.roles import Role


def _groups_of(user_id) -> set[str]:
    return set(Group.objects.filter(user__pk=user_id).values_list("name", flat=True))


def _assignable_groups():
    return Group.objects.exclude(name=Role.YOUTH)


class _StaffAccountFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff may use a pseudonym and need no address here: nothing is forced onto an account.
        for name in ("email", "first_name", "last_name"):
            if name in self.fields:
                self.fields[name].required = False
        if "groups" in self.fields:
            self.fields["groups"].queryset = _assignable_groups()


class StaffUserCreationForm(_StaffAccountFormMixin, UserCreationForm):
    def save(self, commit=True):
        # No password is set here: the new colleague chooses one through "forgot password".
        account = super().save(commit=False)
        account.set_unusable_password()
        if commit:
            account.save()
            self.save_m2m()
        return account


class StaffUserEditForm(_StaffAccountFormMixin, UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)


class IndexView(users.IndexView):
    def get_base_queryset(self):
        return manageable_accounts().select_related("wagtail_userprofile")


class CreateView(users.CreateView):
    def save_instance(self):
        account = super().save_instance()
        actor = self.request.user
        services.account_change_audit(actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_CREATED)
        services.roles_change_audit(actor=actor, user=account, before=set(), after=_groups_of(account.pk))
        return account


class EditView(users.EditView):
    def save_instance(self):
        groups_before = _groups_of(self.object.pk)
        account = super().save_instance()
        actor = self.request.user
        fields = sorted(set(self.form.changed_data) - {"groups"})
        if fields:
            services.account_change_audit(
                actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_CHANGED, fields=fields
            )
        groups_after = _groups_of(account.pk)
        services.roles_change_audit(actor=actor, user=account, before=groups_before, after=groups_after)
        return account


class DeleteView(users.DeleteView):
    def delete_action(self):
        services.account_change_audit(
            actor=self.request.user, user_id=self.object.pk, action=AuditAction.ACCOUNT_DELETED
        )
        super().delete_action()


def _only_manageable(view):
    """Every view with an account in its URL: 404 unless it is a manageable (staff) account."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if "pk" in kwargs:
            try:
                found = manageable_accounts().filter(pk=unquote(str(kwargs["pk"]))).exists()
            except ValueError:
                found = False
            if not found:
                raise Http404
        return view(request, *args, **kwargs)

    return guarded


class StaffUserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    copy_view_enabled = False  # a copy of someone's account is never what a coordinator wants

    def construct_view(self, view_class, **kwargs):
        return _only_manageable(super().construct_view(view_class, **kwargs))

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm


# --- bulk actions: the same accounts, audited ---------------------------------------------------------


class _ManageableOnly:
    @classmethod
    def get_queryset(cls, model, object_ids):
        return get_list_or_404(manageable_accounts(), pk__in=object_ids)


class StaffRoleForm(RoleForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = _assignable_groups()


class StaffAssignRoleBulkAction(_ManageableOnly, AssignRoleBulkAction):
    form_class = StaffRoleForm


class StaffDeleteBulkAction(_ManageableOnly, DeleteBulkAction):
    pass


class StaffSetActiveStateBulkAction(_ManageableOnly, SetActiveStateBulkAction):
    pass


STAFF_USER_BULK_ACTIONS = (StaffAssignRoleBulkAction, StaffDeleteBulkAction, StaffSetActiveStateBulkAction)


def bulk_action_audit(request, action_type, objects, action) -> None:
    """Before a bulk action on accounts runs (in its transaction): one audit entry per account."""
    if not isinstance(action, STAFF_USER_BULK_ACTIONS):
        return
    actor = request.user
    for account in objects:
        if action_type == "assign_role":
            role = action.cleaned_form.cleaned_data["role"].name
            held = _groups_of(account.pk)
            services.roles_change_audit(actor=actor, user=account, before=held, after=held | {role})
        elif action_type == "delete":
            services.account_change_audit(actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_DELETED)
        else:
            services.account_change_audit(
                actor=actor, user_id=account.pk, action=AuditAction.ACCOUNT_CHANGED, fields=["is_active"]
            )
