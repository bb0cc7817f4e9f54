"""Staff manage staff accounts only: no staff role opens, lists or changes a young person's account in the
CMS user editor or the staff-accounts pages, no one sets a password there, and every change is audited.
The account views are enumerated from the resolver and the bulk-action registry, so new ones are covered."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import resolve
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from hub.audit import AuditAction
from hub.models import AuditEntry, User
from hub.roles import STAFF_ROLES, Role
from hub.tests.factories import PASSWORD, UserFactory, staff_with_totp
from hub.tests.test_staff_area import staff_paths

pytestmark = pytest.mark.django_db

# Views with an account in their URL: the CMS user editor and the staff-accounts pages.
ACCOUNT_VIEW_PREFIXES = ("wagtailusers_users:", "hub:staff_account")


def account_view_paths(user_id):
    """Every staff URL whose view works on one account, for this account (the sample id replaced)."""
    paths = []
    for path in staff_paths():
        if resolve(path).view_name.startswith(ACCOUNT_VIEW_PREFIXES) and "/1/" in path:
            paths.append(path.replace("/1/", f"/{user_id}/"))
    return paths


def user_bulk_action_paths(user_id):
    meta = User._meta
    return [
        f"/staff/cms/bulk/{meta.app_label}/{meta.model_name}/{action.action_type}/?id={user_id}"
        for action in bulk_action_registry.get_bulk_actions_for_model(meta.app_label, meta.model_name)
    ]


def every_staff_actor():
    """One signed-in actor per staff role, and an administrator (superuser) on top."""
    actors = [staff_with_totp(username=f"actor_{role}", roles=[role]) for role in sorted(STAFF_ROLES)]
    actors.append(staff_with_totp(username="actor_admin", roles=[Role.COORDINATOR], is_superuser=True))
    return actors


def snapshot(user):
    user = User.objects.get(pk=user.pk)
    groups = sorted(user.groups.values_list("name", flat=True))
    return (user.password, user.email, user.first_name, user.last_name, user.is_active, user.username, groups)


EDIT_POST = {
    "email": "fake@example.org",
    "first_name": "Fake",
    "last_name": "Name",
    "password1": "Taken-0ver-2026!",
    "password2": "Taken-0ver-2026!",
    "is_active": "on",
    "mark_as_active": "False",
}


def test_the_account_view_list_covers_the_cms_editor_and_the_staff_accounts_pages():
    paths = account_view_paths(7)
    assert "/staff/cms/users/edit/7/" in paths and "/staff/cms/users/delete/7/" in paths
    assert "/staff/cms/users/history/7/" in paths
    assert any(path.endswith("/staff/accounts/7/reset-2fa/") for path in paths)
    assert {"assign_role", "delete", "set_active_state"} <= {
        p.split("/")[6] for p in user_bulk_action_paths(7)
    }


def test_no_staff_role_opens_or_changes_a_youth_account(client, youth):
    before = snapshot(youth)
    paths = account_view_paths(youth.pk) + user_bulk_action_paths(youth.pk)
    for actor in every_staff_actor():
        client.force_login(actor)
        for path in paths:
            for response in (client.get(path), client.post(path, {**EDIT_POST, "username": youth.username})):
                # 302: Wagtail sends roles without CMS access away (to the login page or the dashboard).
                assert response.status_code in {302, 403, 404, 405}, (actor.username, path)
                if actor.has_perm("hub.change_user") and response.status_code != 405:  # a GET on a POST view
                    assert response.status_code == 404, (actor.username, path)
        assert snapshot(youth) == before, actor.username
    assert User.objects.get(pk=youth.pk).check_password(PASSWORD)
    assert not AuditEntry.objects.exists()


def test_the_cms_user_list_shows_staff_and_never_young_people(client, youth, counselor):
    guest = UserFactory(username="guest_fox", is_guest=True)
    youth_with_flag = UserFactory(username="youth_flagged", roles=[Role.YOUTH], is_staff=True)
    for actor in (
        staff_with_totp(username="coord_list", roles=[Role.COORDINATOR]),
        staff_with_totp(username="admin_list", roles=[Role.COORDINATOR], is_superuser=True),
    ):
        client.force_login(actor)
        for url in ("/staff/cms/users/", "/staff/cms/users/results/", "/staff/cms/users/?q=a"):
            page = client.get(url).content.decode()
            assert counselor.username in page or "?q=" in url, url
            for hidden in (youth, guest, youth_with_flag):
                assert hidden.username not in page, (actor.username, url)
        assert youth.username not in client.get("/en/staff/accounts/").content.decode()


def test_the_cms_sets_no_password_forces_no_address_or_name_and_audits_every_change(
    client, coordinator, counselor
):
    password_before = User.objects.get(pk=counselor.pk).password
    client.force_login(coordinator)
    page = client.get(f"/staff/cms/users/edit/{counselor.pk}/").content.decode()
    assert 'name="password1"' not in page and 'name="is_superuser"' not in page
    mentor = Group.objects.get_or_create(name=Role.MENTOR)[0]
    counselor_group = Group.objects.get(name=Role.COUNSELOR)
    response = client.post(
        f"/staff/cms/users/edit/{counselor.pk}/",
        {
            "username": counselor.username,
            "groups": [counselor_group.pk, mentor.pk],
            "password1": "Taken-0ver-2026!",
            "password2": "Taken-0ver-2026!",
            "is_superuser": "on",
        },  # no e-mail, no name, and no longer active
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    account = User.objects.get(pk=counselor.pk)
    assert account.password == password_before and not account.is_superuser and not account.is_active
    assert (account.email, account.first_name, account.last_name) == ("", "", "")
    entries = {entry.action: entry for entry in AuditEntry.objects.filter(target_id=str(counselor.pk))}
    assert entries[AuditAction.ROLE_CHANGED].detail == "+mentor"
    assert entries[AuditAction.ACCOUNT_CHANGED].detail == "is_active"
    assert {entry.actor for entry in entries.values()} == {coordinator}


def test_the_youth_role_cannot_be_given_in_the_cms(client, coordinator, counselor):
    youth_group = Group.objects.get_or_create(name=Role.YOUTH)[0]
    client.force_login(coordinator)
    edit = f"/staff/cms/users/edit/{counselor.pk}/"
    response = client.post(
        edit, {"username": counselor.username, "is_active": "on", "groups": [youth_group.pk]}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not User.objects.filter(pk=counselor.pk, groups=youth_group).exists()
    admin = staff_with_totp(username="admin_roles", roles=[Role.COORDINATOR], is_superuser=True)
    client.force_login(admin)
    bulk = f"/staff/cms/bulk/hub/user/assign_role/?id={counselor.pk}"
    assert client.post(bulk, {"role": youth_group.pk}).status_code == 200
    assert not User.objects.filter(pk=counselor.pk, groups=youth_group).exists()


def test_bulk_actions_creation_and_deletion_in_the_cms_are_audited(client, counselor):
    admin = staff_with_totp(username="admin_bulk", roles=[Role.COORDINATOR], is_superuser=True)
    colleague = staff_with_totp(username="counselor_gone", roles=[Role.COUNSELOR])
    mentor = Group.objects.get_or_create(name=Role.MENTOR)[0]
    client.force_login(admin)
    bulk = "/staff/cms/bulk/hub/user/{}/?id=" + str(counselor.pk)
    assert client.post(bulk.format("assign_role"), {"role": mentor.pk}).status_code == 302
    assert client.post(bulk.format("set_active_state"), {"mark_as_active": "False"}).status_code == 302
    assert client.post(f"/staff/cms/users/delete/{colleague.pk}/").status_code == 302
    response = client.post(
        "/staff/cms/users/new/",
        {"username": "counselor_new_cms", "groups": [mentor.pk], "is_superuser": ""},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = User.objects.get(username="counselor_new_cms")
    assert not created.has_usable_password()  # they set it themselves through "forgot password"

    logged = set(AuditEntry.objects.filter(actor=admin).values_list("action", "target_id", "detail"))
    assert logged == {
        (AuditAction.ROLE_CHANGED, str(counselor.pk), "+mentor"),
        (AuditAction.ACCOUNT_CHANGED, str(counselor.pk), "is_active"),
        (AuditAction.ACCOUNT_DELETED, str(colleague.pk), ""),
        (AuditAction.ACCOUNT_CREATED, str(created.pk), ""),
        (AuditAction.ROLE_CHANGED, str(created.pk), "+mentor"),
    }


def test_no_admin_page_contains_a_gravatar_url():
    client = Client(raise_request_exception=False)  # sample arguments make some choosers fail: skipped
    admin = staff_with_totp(
        username="admin_avatar", roles=[Role.COORDINATOR], is_superuser=True, email="someone@example.org"
    )
    client.force_login(admin)
    checked = 0
    for path in staff_paths():
        if not path.startswith("/staff/cms/"):
            continue
        response = client.get(path)
        if response.status_code == 200 and not response.streaming:
            assert b"gravatar" not in response.content.lower(), path
            checked += 1
    assert checked > 20
