"""Case labels: coordinators list, create, rename and delete them on a staff page (with a confirmation
that says how many cases carry the label), every change audited; counselors may only use them."""

import pytest

from counseling.models import Label
from counseling.tests.factories import counselor_with_profile, make_case
from hub.models import AuditEntry
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db
LIST = "/en/staff/cases/labels/"


def test_a_coordinator_creates_renames_and_deletes_a_label_and_each_change_is_audited(client, coordinator):
    client.force_login(coordinator)
    assert client.get(LIST).status_code == 200
    client.post(LIST, {"name": "Wohnung"})
    label = Label.objects.get()
    client.post(f"/en/staff/cases/labels/{label.pk}/", {"name": "Wohnungssuche"})
    label.refresh_from_db()
    assert label.name == "Wohnungssuche"
    client.post(f"/en/staff/cases/labels/{label.pk}/delete/")
    assert not Label.objects.exists()
    actions = list(
        AuditEntry.objects.filter(actor=coordinator, target_type="label")
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert actions == [
        ("label.created", "Wohnung"),
        ("label.renamed", "Wohnung -> Wohnungssuche"),
        ("label.deleted", "Wohnungssuche (0)"),
    ]


def test_the_delete_confirmation_says_how_many_cases_carry_the_label(client, coordinator):
    label = Label.objects.create(name="Anerkennung")
    for _ in range(3):
        make_case().labels.add(label)
    client.force_login(coordinator)
    page = client.get(f"/en/staff/cases/labels/{label.pk}/delete/").content.decode()
    assert "3 cases carry this label." in page
    assert Label.objects.exists()  # a GET asks, only the POST deletes
    assert "3" in client.get(LIST).content.decode()


def test_a_name_taken_in_any_case_is_refused_with_a_translated_message_and_kept(client, coordinator):
    Label.objects.create(name="Wohnung")
    other = Label.objects.create(name="Arbeit")
    client.force_login(coordinator)
    response = client.post(LIST, {"name": "wohnung"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["A label called wohnung already exists."]
    assert 'value="wohnung"' in response.content.decode()  # what was typed is kept
    response = client.post(f"/en/staff/cases/labels/{other.pk}/", {"name": "WOHNUNG"})
    assert response.context["form"].errors["name"] == ["A label called WOHNUNG already exists."]
    assert Label.objects.filter(name__iexact="wohnung").count() == 1
    other.refresh_from_db()
    assert other.name == "Arbeit"


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.SITE_LEAD, Role.MENTOR, Role.EDITOR])
def test_other_staff_may_not_manage_labels(client, role):
    label = Label.objects.create(name="Wohnung")
    client.force_login(staff_with_totp(username=f"staff_{role}", roles=[role]))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"name": "Neu"}).status_code == 403
    assert client.post(f"/en/staff/cases/labels/{label.pk}/", {"name": "Umbenannt"}).status_code == 403
    assert client.post(f"/en/staff/cases/labels/{label.pk}/delete/").status_code == 403
    assert list(Label.objects.values_list("name", flat=True)) == ["Wohnung"]


def test_the_case_page_points_coordinators_to_the_labels_page(client, coordinator):
    counselor = counselor_with_profile("counselor_de", ["de"])
    case = make_case()
    case.counselor = counselor
    case.save(update_fields=["counselor"])
    client.force_login(counselor)
    page = client.get(f"/en/staff/cases/{case.public_id}/").content.decode()
    assert "in the administration" not in page
    assert "Case labels" in page
    assert LIST not in page  # counselors get no link to a page they may not open
    client.force_login(coordinator)
    assert LIST in client.get("/en/staff/").content.decode()


def test_the_labels_list_takes_a_fixed_number_of_queries(client, coordinator, django_assert_max_num_queries):
    for number in range(30):
        make_case().labels.add(Label.objects.create(name=f"Label {number}"))
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
