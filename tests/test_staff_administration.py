"""Staff administration by coordinators (all staff) and site leads (their sites' staff): what each may see
and change, the refusals beyond that scope, the audit trail, the last coordinator, deactivation (cases back
to the team, sessions ended) and invitations that create a ready account."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from counseling import routing, services, staffing
from counseling.models import Case, CaseEvent, CaseStatus, CounselorProfile
from counseling.tests.factories import counselor_with_profile, make_case
from hub.models import AuditEntry, StaffInvitation, User
from hub.roles import Role, user_roles
from hub.tests.factories import staff_with_totp
from sites import services as site_services
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_a(db):
    return SiteFactory(name="JMD Essen", town="Essen")


@pytest.fixture
def site_b(db):
    return SiteFactory(name="JMD Dresden", town="Dresden")


@pytest.fixture
def lead_a(site_a):
    lead = staff_with_totp(username="lead_essen", roles=[Role.SITE_LEAD, Role.COUNSELOR])
    site_services.site_lead_grant(user=lead, site=site_a)
    return lead


def account_form(account, **changes):
    """The staff page's form as it is shown for `account`, with `changes` applied."""
    profile = CounselorProfile.objects.filter(user=account).first()
    held = {
        "roles": sorted(user_roles(account)),
        "counsel_sites": [s for s in _sites_of(account, "counsel_at_site")],
        "lead_sites": [s for s in _sites_of(account, "lead_site")],
        "languages": profile.languages if profile else ["de"],
        "topics": profile.topics if profile else [],
        "capacity": profile.capacity if profile else 25,
        "chat_seats": profile.chat_seats if profile else 2,
    }
    return {**held, **changes}


def _sites_of(account, codename):
    from hub.access import account_site_ids

    return sorted(account_site_ids(account)[codename])


def _login(client, user):
    client.force_login(user)
    return client


# --- a site lead: their site's staff only ---------------------------------------------------------------


def test_a_site_lead_sees_and_manages_only_the_staff_of_their_site(client, site_a, site_b, lead_a):
    anna = counselor_with_profile("counselor_anna", ["de"], site=site_a)
    bodo = counselor_with_profile("counselor_bodo", ["de"], site=site_b)
    _login(client, lead_a)

    listing = client.get("/en/staff/accounts/").content.decode()
    assert "counselor_anna" in listing and "counselor_bodo" not in listing
    assert client.get(f"/en/staff/accounts/{anna.pk}/").status_code == 200

    # Staff of site B: not even visible.
    assert client.get(f"/en/staff/accounts/{bodo.pk}/").status_code == 404
    assert (
        client.post(f"/en/staff/accounts/{bodo.pk}/", account_form(bodo, languages=["ru"])).status_code == 404
    )
    assert client.get(f"/en/staff/accounts/{bodo.pk}/deactivate/").status_code == 404
    assert client.post(f"/en/staff/accounts/{bodo.pk}/deactivate/", {"confirm": "on"}).status_code == 404
    assert client.post(f"/en/staff/accounts/{bodo.pk}/reset-2fa/", {"confirm": "on"}).status_code == 404
    assert client.get("/en/staff/accounts/?q=bodo&status=all").content.decode().count("counselor_bodo") == 0

    # Anna, of site A: no coordinator or site-lead role, no site B, no mentor role from a site lead.
    for changes in (
        {"roles": ["counselor", "coordinator"]},
        {"roles": ["counselor", "site_lead"]},
        {"roles": ["counselor", "mentor"]},
        {"counsel_sites": [site_a.pk, site_b.pk]},
        {"lead_sites": [site_a.pk], "roles": ["counselor", "site_lead"]},
    ):
        response = client.post(f"/en/staff/accounts/{anna.pk}/", account_form(anna, **changes))
        assert response.status_code == 403, changes
    assert user_roles(User.objects.get(pk=anna.pk)) == {Role.COUNSELOR}
    assert _sites_of(anna, "counsel_at_site") == [site_a.pk] and _sites_of(anna, "lead_site") == []
    assert not AuditEntry.objects.exists()

    # What a site lead may do: counseling roles and the profile of their team.
    response = client.post(
        f"/en/staff/accounts/{anna.pk}/",
        account_form(anna, roles=["trainee_counselor"], languages=["de", "ru"], topics=["work"], capacity=10),
    )
    assert response.status_code == 302
    assert user_roles(User.objects.get(pk=anna.pk)) == {Role.TRAINEE_COUNSELOR}
    profile = CounselorProfile.objects.get(user=anna)
    assert (profile.languages, profile.topics, profile.capacity) == (["de", "ru"], ["work"], 10)
    actions = set(AuditEntry.objects.filter(actor=lead_a).values_list("action", flat=True))
    assert actions == {"role.changed", "profile.changed"}


def test_a_site_lead_cannot_change_a_coordinator_or_someone_of_another_site_too(
    client, site_a, site_b, lead_a
):
    boss = staff_with_totp(username="coordinator_at_a", roles=[Role.COORDINATOR, Role.COUNSELOR])
    site_services.site_counselor_grant(user=boss, site=site_a)
    both = counselor_with_profile("counselor_both", ["de"], site=site_a)
    site_services.site_counselor_grant(user=both, site=site_b)
    _login(client, lead_a)
    assert client.get(f"/en/staff/accounts/{boss.pk}/").status_code == 200  # a colleague of the site: seen
    assert client.post(f"/en/staff/accounts/{boss.pk}/", account_form(boss)).status_code == 403
    assert client.post(f"/en/staff/accounts/{boss.pk}/deactivate/", {"confirm": "on"}).status_code == 403
    assert User.objects.get(pk=boss.pk).is_active and user_roles(User.objects.get(pk=boss.pk)) == {
        Role.COORDINATOR,
        Role.COUNSELOR,
    }
    # Works at site B as well: a site lead of A may not sign them out everywhere …
    assert client.post(f"/en/staff/accounts/{both.pk}/deactivate/", {"confirm": "on"}).status_code == 403
    assert User.objects.get(pk=both.pk).is_active
    # … but may take them off their own site; site B, which the lead does not see, stays.
    response = client.post(f"/en/staff/accounts/{both.pk}/", account_form(both, counsel_sites=[]))
    assert response.status_code == 302
    assert _sites_of(both, "counsel_at_site") == [site_b.pk]
    assert client.get(f"/en/staff/accounts/{both.pk}/").status_code == 404  # no longer their team


def test_a_site_lead_invites_counselors_for_their_site_only(client, site_a, site_b, lead_a, mailoutbox):
    _login(client, lead_a)
    invite = {"email": "neu@jmd-essen.de", "roles": ["counselor"], "languages": ["ru"], "topics": ["work"]}
    for refused in (
        {**invite, "counsel_sites": [site_b.pk]},
        {**invite, "counsel_sites": [site_a.pk, site_b.pk]},
        {**invite, "counsel_sites": [site_a.pk], "roles": ["coordinator"]},
        {**invite, "counsel_sites": [site_a.pk], "roles": ["counselor", "site_lead"]},
        {**invite, "counsel_sites": [site_a.pk], "roles": ["editor"]},
    ):
        assert client.post("/en/staff/invitations/", refused).status_code == 403, refused
    assert not StaffInvitation.objects.exists()
    assert client.post("/en/staff/invitations/", {**invite, "counsel_sites": [site_a.pk]}).status_code == 302
    invitation = StaffInvitation.objects.get()
    assert invitation.roles == ["counselor"]
    assert invitation.setup["counsel_sites"] == [site_a.pk]
    entry = AuditEntry.objects.get(action="invitation.sent")
    assert (entry.actor, entry.detail) == (lead_a, f"+counselor +counsel:{site_a.pk}")
    assert "neu@jmd-essen.de" not in entry.detail


def test_who_may_not_reach_the_staff_administration(client, counselor, youth, site_a):
    lone_lead = staff_with_totp(username="lead_without_site", roles=[Role.SITE_LEAD])
    _login(client, counselor)
    assert client.get("/en/staff/accounts/").status_code == 403
    assert client.get("/en/staff/invitations/").status_code == 403
    _login(client, lone_lead)
    assert "counselor_anna" not in client.get("/en/staff/accounts/").content.decode()
    assert client.get(f"/en/staff/accounts/{counselor.pk}/").status_code == 404


# --- a coordinator: everything, audited -----------------------------------------------------------------


def test_a_coordinator_sets_up_a_counselor_and_every_change_is_in_the_audit_log(
    client, coordinator, site_a, site_b
):
    mentor = counselor_with_profile("mentor_mira", ["de"], roles=[Role.COUNSELOR, Role.MENTOR])
    newcomer = staff_with_totp(username="new_nina", roles=[Role.EDITOR])
    _login(client, coordinator)
    until = timezone.localdate() + timedelta(days=3)
    response = client.post(
        f"/en/staff/accounts/{newcomer.pk}/",
        {
            "roles": ["trainee_counselor", "site_lead"],
            "counsel_sites": [site_a.pk],
            "lead_sites": [site_b.pk],
            "languages": ["ru", "uk"],
            "topics": ["work", "housing"],
            "capacity": 12,
            "chat_seats": 1,
            "mentor": mentor.pk,
            "is_absent": "on",
            "absent_until": until.isoformat(),
            "absence_message": "Bis Donnerstag im Urlaub.",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(pk=newcomer.pk)
    assert user_roles(newcomer) == {Role.TRAINEE_COUNSELOR, Role.SITE_LEAD}
    assert newcomer.has_perm("sites.counsel_at_site", site_a) and newcomer.has_perm("sites.lead_site", site_b)
    profile = CounselorProfile.objects.get(user=newcomer)
    assert (profile.languages, profile.topics, profile.capacity, profile.chat_seats, profile.mentor) == (
        ["ru", "uk"],
        ["work", "housing"],
        12,
        1,
        mentor,
    )
    assert not routing.present(profile, timezone.localdate())  # through the one absence rule
    assert (
        '<span class="badge">absent</span>'
        in client.get(f"/en/staff/accounts/{newcomer.pk}/").content.decode()
    )

    details = dict(AuditEntry.objects.filter(target_id=str(newcomer.pk)).values_list("action", "detail"))
    assert details["role.changed"] == "+site_lead +trainee_counselor -editor"
    assert details["sites.changed"] == f"+counsel:{site_a.pk} +lead:{site_b.pk}"
    assert set(details["profile.changed"].split()) == {
        "languages",
        "topics",
        "capacity",
        "chat_seats",
        "mentor",
        "absence",
    }
    assert "Urlaub" not in " ".join(details.values())
    log = client.get("/en/staff/audit/").content.decode()
    for label in ("changed a role", "changed the sites of a staff member", "changed a counselor profile"):
        assert label in log


def test_bad_input_on_the_staff_page_comes_back_with_messages_and_keeps_what_was_typed(client, coordinator):
    anna = counselor_with_profile("counselor_anna", ["de"])
    _login(client, coordinator)
    response = client.post(
        f"/en/staff/accounts/{anna.pk}/",
        {
            "roles": ["counselor"],
            "languages": [],
            "capacity": "viele",
            "chat_seats": 2,
            "absence_message": "Zurück am 3.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose at least one language" in page and "Enter a whole number." in page
    assert 'value="Zurück am 3."' in page
    assert CounselorProfile.objects.get(user=anna).languages == ["de"]


def test_the_last_coordinator_cannot_lose_the_role_or_be_deactivated(client, coordinator):
    # A superuser (with a staff role to enter the staff area) is the only one who could try this page-wise:
    # a coordinator never manages their own account.
    admin = staff_with_totp(username="admin_root", roles=[Role.EDITOR], is_superuser=True)
    _login(client, admin)
    response = client.post(
        f"/en/staff/accounts/{coordinator.pk}/", {"roles": ["editor"], "capacity": 1, "chat_seats": 0}
    )
    assert response.status_code == 400
    assert "last active coordinator" in response.content.decode()
    response = client.post(f"/en/staff/accounts/{coordinator.pk}/deactivate/", {"confirm": "on"})
    assert response.status_code == 400
    assert "last active coordinator" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.is_active and Role.COORDINATOR in user_roles(coordinator)
    assert not AuditEntry.objects.exists()

    # With a second coordinator, one of them may go — but then the other is the last one.
    second = staff_with_totp(username="coordinator_carl", roles=[Role.COORDINATOR])
    assert (
        client.post(f"/en/staff/accounts/{coordinator.pk}/deactivate/", {"confirm": "on"}).status_code == 302
    )
    response = client.post(f"/en/staff/accounts/{second.pk}/deactivate/", {"confirm": "on"})
    assert response.status_code == 400
    assert User.objects.get(pk=second.pk).is_active
    with pytest.raises(staffing.LastCoordinator):  # the rule sits in the service, whoever calls it
        staffing.staff_setup_apply(actor=admin, account=second, setup=staffing.StaffSetup(roles={"editor"}))
    assert Role.COORDINATOR in user_roles(User.objects.get(pk=second.pk))


def test_a_coordinator_may_deactivate_another_coordinator_and_reactivate(client, coordinator):
    other = staff_with_totp(username="coordinator_carl", roles=[Role.COORDINATOR])
    _login(client, coordinator)
    assert client.post(f"/en/staff/accounts/{other.pk}/deactivate/", {"confirm": "on"}).status_code == 302
    assert not User.objects.get(pk=other.pk).is_active
    assert "coordinator_carl" in client.get("/en/staff/accounts/?status=deactivated").content.decode()
    assert "coordinator_carl" not in client.get("/en/staff/accounts/").content.decode()
    assert client.post(f"/en/staff/accounts/{other.pk}/reactivate/").status_code == 302
    assert User.objects.get(pk=other.pk).is_active
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["account.deactivated", "account.reactivated"]


# --- deactivation: cases back to the team, signed out everywhere --------------------------------------


def test_deactivating_a_counselor_gives_their_open_cases_back_and_ends_their_sessions(
    client, coordinator, site_a, django_capture_on_commit_callbacks
):
    leaving = counselor_with_profile("counselor_leaving", ["ru"], site=site_a)
    colleague = counselor_with_profile("counselor_colleague", ["ru"], site=site_a, capacity=1)
    CounselorProfile.objects.filter(user=colleague).update(capacity=0)  # full while the cases arrive
    cases = [make_case(language="ru", site=site_a) for _ in range(2)]
    assert {case.counselor for case in cases} == {leaving}
    closed = make_case(language="ru", site=site_a)
    services.case_set_status(case=closed, status=CaseStatus.CLOSED, actor=leaving)
    CounselorProfile.objects.filter(user=colleague).update(capacity=1)
    session = Client()
    session.force_login(leaving)
    assert session.get("/de/staff/cases/").status_code == 200

    _login(client, coordinator)
    assert client.get(f"/en/staff/accounts/{leaving.pk}/deactivate/").status_code == 200  # confirm first
    assert client.post(f"/en/staff/accounts/{leaving.pk}/deactivate/").status_code == 400  # unticked
    assert User.objects.get(pk=leaving.pk).is_active
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/staff/accounts/{leaving.pk}/deactivate/", {"confirm": "on"}, follow=True)
    assert "2 open cases went back to the team queue" in response.content.decode()

    assert len(cases) == 2
    assert not Case.objects.filter(counselor=leaving, status__in=["new", "open", "waiting"]).exists()
    assert Case.objects.get(pk=closed.pk).counselor == leaving  # a closed case keeps its history
    # The colleague of the site took one (capacity 1); the other waits in the team queue.
    assert Case.objects.filter(pk__in=[c.pk for c in cases], counselor=colleague).count() == 1
    assert routing.queued_cases().filter(pk__in=[c.pk for c in cases]).count() == 1
    for case in cases:
        assert case.events.filter(kind=CaseEvent.Kind.RELEASED, actor=coordinator).exists()
        note = case.notes.get()
        assert services.note_body(note) == staffing._release_reason("deactivated")
    assert not any(
        str(s.get_decoded().get("_auth_user_id")) == str(leaving.pk) for s in Session.objects.all()
    )
    assert session.get("/de/staff/cases/").status_code == 302  # signed out
    entry = AuditEntry.objects.get(action="account.deactivated")
    assert (entry.actor, entry.target_id) == (coordinator, str(leaving.pk))


def test_cases_release_is_a_service_others_can_call(site_a):
    leaving = counselor_with_profile("counselor_leaving", ["tr"], site=site_a)
    case = make_case(language="tr", site=site_a)
    assert case.counselor == leaving
    User.objects.filter(pk=leaving.pk).update(is_active=False)
    assert staffing.cases_release(user=leaving, actor=None, reason="Test") == [case.pk]
    case.refresh_from_db()
    assert case.counselor is None and case.events.filter(kind=CaseEvent.Kind.QUEUED).exists()


# --- two-factor reset: a confirmation step -------------------------------------------------------------


def test_a_two_factor_reset_asks_for_confirmation_first(client, coordinator, counselor):
    _login(client, coordinator)
    url = f"/en/staff/accounts/{counselor.pk}/reset-2fa/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    assert client.post(url).status_code == 400
    assert Authenticator.objects.filter(user=counselor).exists()
    assert not AuditEntry.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Authenticator.objects.filter(user=counselor).exists()
    _login(client, staff_with_totp(username="counselor_ben", roles=[Role.COUNSELOR]))
    assert client.get(f"/en/staff/accounts/{coordinator.pk}/reset-2fa/").status_code == 403


# --- invitations create a ready account ----------------------------------------------------------------


def test_an_accepted_invitation_is_a_counselor_who_is_routed_cases_at_once(
    client, coordinator, site_a, site_b, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.ALLOWED_HOSTS = ["jmd.example.org", "testserver"]
    other = counselor_with_profile("counselor_elsewhere", ["ru"], site=site_b)
    _login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/staff/invitations/",
            {"email": "olga@jmd-essen.de", "roles": ["counselor"], "counsel_sites": [site_a.pk],
             "languages": ["ru"], "topics": ["work"]},
            HTTP_HOST="jmd.example.org",
        )  # fmt: skip
    body = mailoutbox[0].body
    assert "http://jmd.example.org/en/accounts/invitation/" in body and "127.0.0.1" not in body
    invitation = StaffInvitation.objects.get()
    user = staffing.invitation_accept(
        invitation=invitation, username="olga_b", password="lang-und-sicher-42", display_name="Olga"
    )
    assert user_roles(user) == {Role.COUNSELOR}
    assert user.has_perm("sites.counsel_at_site", site_a) and not user.has_perm(
        "sites.counsel_at_site", site_b
    )
    profile = CounselorProfile.objects.get(user=user)
    assert (profile.languages, profile.topics) == (["ru"], ["work"])
    # The site's team comes first: a Russian "work" question for site A goes to her, not to the other.
    assert make_case(language="ru", topic="work", site=site_a).counselor == user
    assert make_case(language="ru", topic="work", site=site_b).counselor == other
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=user).exists()


# --- the list: filters, search, constant queries -------------------------------------------------------


def test_the_staff_list_filters_and_searches(client, coordinator, site_a, site_b):
    anna = counselor_with_profile("counselor_anna", ["ru"], site=site_a)
    counselor_with_profile("counselor_bodo", ["tr"], site=site_b)
    gone = counselor_with_profile("counselor_gone", ["ru"], site=site_a)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    services.absence_set(user=anna, is_absent=True, until=timezone.localdate() + timedelta(days=1))
    _login(client, coordinator)

    def names(query):
        page = client.get(f"/en/staff/accounts/?{query}").content.decode()
        return {
            n for n in ("counselor_anna", "counselor_bodo", "counselor_gone", "coordinator_bea") if n in page
        }

    assert names("") == {"counselor_anna", "counselor_bodo", "coordinator_bea"}
    assert names("role=coordinator") == {"coordinator_bea"}
    assert names(f"site={site_a.pk}") == {"counselor_anna"}
    assert names(f"site={site_a.pk}&status=all") == {"counselor_anna", "counselor_gone"}
    assert names("status=deactivated") == {"counselor_gone"}
    assert names("language=tr") == {"counselor_bodo"}
    assert names("absent=on") == {"counselor_anna"}
    assert names("q=BODO") == {"counselor_bodo"}
    assert names("q=Anna") == {"counselor_anna"}  # the display name
    assert client.get("/en/staff/accounts/?site=abc&page=x&status=nonsense").status_code == 200


def test_the_absent_filter_agrees_with_the_routing_rule(coordinator):
    from hub.access import staff_scope

    today = timezone.localdate()
    for n, (absent, until) in enumerate(
        [
            (False, None),
            (True, None),
            (True, today),
            (True, today - timedelta(days=1)),
            (True, today + timedelta(days=2)),
        ]
    ):
        user = counselor_with_profile(f"counselor_{n}", ["de"])
        services.absence_set(user=user, is_absent=absent, until=until)
    listed = set(staffing.staff_list(staff_scope(coordinator), {"absent": True}).values_list("pk", flat=True))
    rule = {p.user_id for p in CounselorProfile.objects.all() if not routing.present(p, today)}
    assert listed == rule and len(rule) == 3


def test_the_staff_list_costs_the_same_queries_for_many_accounts(
    client, coordinator, site_a, site_b, django_assert_max_num_queries
):
    mentor = counselor_with_profile("mentor_mira", ["de"], roles=[Role.COUNSELOR, Role.MENTOR])
    for n in range(40):
        user = counselor_with_profile(
            f"counselor_{n}", ["de", "ru"], site=site_a if n % 2 else site_b, mentor=mentor
        )
        site_services.site_counselor_grant(user=user, site=site_b)
    _login(client, coordinator)
    with django_assert_max_num_queries(18):
        page = client.get("/en/staff/accounts/?language=ru").content.decode()
    assert page.count("counselor_") >= 40 and "JMD Essen" in page
    with django_assert_max_num_queries(18):
        client.get(f"/en/staff/accounts/{mentor.pk}/")
