"""Social-space analysis (issue 20): online mentors record the digital places where young people from the
origin countries meet, link planned posts and campaign channels to them and read reach per place;
coordinators get an overview per country and platform; no personal data of young people is stored."""

from datetime import date

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from campaigns.forms import personal_data_in
from campaigns.models import PlannedPost, ReachCount, SocialSpace
from campaigns.services import reach_count
from campaigns.social_spaces import overview_rows, social_spaces_with_reach
from campaigns.tests.factories import campaign_create, channel_create
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db

SPACES_URL = "/en/staff/campaigns/spaces/"
NEW_URL = "/en/staff/campaigns/spaces/new/"
OVERVIEW_URL = "/de/staff/campaigns/spaces/overview/"


@pytest.fixture
def online_mentor():
    return staff_with_totp(username="online_mentor_ola", roles=[Role.ONLINE_MENTOR])


@pytest.fixture
def campaign():
    return campaign_create()


def space_form(**overrides):
    data = {
        "platform": "facebook",
        "name": "Deutsche in Jordanien – Fragen und Antworten",
        "country": "JO",
        "language": "ar",
        "members": "18000",
        "topics": ["arrival", "work"],
        "rules": "Keine Werbung.",
        "contact_role": "admin",
        "observed_on": "2026-11-20",
        "notes": "Viele Fragen zu Visum und Ausbildung, oft abends.",
    }
    data.update(overrides)
    return data


def space_create(**fields) -> SocialSpace:
    values = {
        "platform": "facebook",
        "name": "Deutsche in Jordanien",
        "country": "JO",
        "language": "ar",
        "observed_on": date(2026, 11, 20),
    }
    values.update(fields)
    return SocialSpace.objects.create(**values)


def test_an_online_mentor_records_a_space_and_links_a_planned_post_to_it(client, online_mentor, campaign):
    channel = channel_create(campaign, kind="facebook", name="Facebook-Gruppe Jordanien")
    client.force_login(online_mentor)
    form_page = client.get(NEW_URL).content.decode()
    assert "no names, usernames (@name), phone numbers or e-mail addresses" in form_page

    response = client.post(NEW_URL, space_form(channels=[channel.pk]))
    assert response.status_code == 302
    space = SocialSpace.objects.get()
    assert (space.country, space.platform, space.members, space.recorded_by) == (
        "JO",
        "facebook",
        18000,
        online_mentor,
    )
    assert space.topics == ["arrival", "work"] and list(space.channels.all()) == [channel]

    response = client.post(
        "/en/staff/campaigns/posts/new/",
        {
            "campaign": campaign.pk,
            "platform": "facebook",
            "language": "ar",
            "publish_on": "2026-12-10",
            "status": "ready",
            "channel": channel.pk,
            "social_space": space.pk,
            "text": "هل شهادتك معترف بها في ألمانيا؟ اسألنا بالعربية.",
        },
    )
    assert response.status_code == 302
    assert PlannedPost.objects.get().social_space == space
    assert space.name in client.get("/en/staff/campaigns/posts/?all=1").content.decode()

    # Reach per place: what came through the place's channels.
    reach_count(channel=channel, kind="landing", language="ar")
    reach_count(channel=channel, kind="landing", language="ar")
    reach_count(channel=channel, kind="enquiry", language="ar")
    [read] = social_spaces_with_reach()
    assert read.reach == {"landing": 2, "signup": 0, "enquiry": 1} and read.posts == 1
    listing = client.get(SPACES_URL).content.decode()
    assert space.name in listing and "Deutsche in Jordanien" in listing


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("notes", "Die Admin ist @lena_amman, sehr aktiv.", "username (@name)"),
        ("notes", "Ein Junge schrieb: ruf mich an 0176 1234567", "phone number"),
        ("rules", "Fragen an lena.k@gmail.com schicken", "e-mail address"),
        ("notes", "Sein Insta: kim_2009", "username (@name)"),
        ("name", "Gruppe von +962 79 123 4567", "phone number"),
    ],
)
def test_personal_data_in_the_texts_is_refused_with_a_message_and_nothing_is_lost(
    client, online_mentor, field, text, problem
):
    client.force_login(online_mentor)
    response = client.post(NEW_URL, space_form(**{field: text}))
    assert response.status_code == 400
    page = response.content.decode()
    assert problem in page and "we record the place, not the people in it" in page
    assert not SocialSpace.objects.exists()
    form = response.context["form"]
    assert form.errors.keys() == {field}
    # Everything typed is still in the form, the refused text included, to be corrected.
    assert form[field].value() == text and form["members"].value() == "18000"
    assert form["topics"].value() == ["arrival", "work"]


def test_the_same_text_in_another_language_is_refused_in_that_language(client, online_mentor):
    client.force_login(online_mentor)
    response = client.post(NEW_URL.replace("/en/", "/de/"), space_form(notes="Admin: @lena_amman"))
    with translation.override("de"):  # German once the catalogues carry it ("Das sieht nach …")
        message = str(personal_data_in("@lena_amman", "de", handles=True))
    assert escape(message) in response.content.decode()


def test_ordinary_descriptions_of_a_place_pass(client, online_mentor):
    client.force_login(online_mentor)
    notes = "Viele fragen nach Telegram-Gruppen für Deutschkurse, um 20:00 am aktivsten, seit 2024."
    response = client.post(NEW_URL, space_form(name="Telegram Deutschland Gruppe", notes=notes))
    assert response.status_code == 302, response.context["form"].errors


def test_bad_numbers_and_dates_are_form_errors(client, online_mentor):
    client.force_login(online_mentor)
    response = client.post(NEW_URL, space_form(members="99999999999999", observed_on="31.02.2026"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"members", "observed_on"}


def test_the_space_pages_are_for_online_mentors_and_coordinators_only(client, counselor, campaign):
    space = space_create()
    editor = staff_with_totp(username="editor_eva", roles=[Role.EDITOR])
    for user in (counselor, editor):
        client.force_login(user)
        delete_url = f"/en/staff/campaigns/spaces/{space.pk}/delete/"
        for url in (SPACES_URL, NEW_URL, f"/en/staff/campaigns/spaces/{space.pk}/", delete_url, OVERVIEW_URL):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(NEW_URL, space_form()).status_code == 403
        assert client.post(delete_url).status_code == 403
    assert SocialSpace.objects.count() == 1


def test_an_unknown_space_is_404(client, online_mentor):
    client.force_login(online_mentor)
    assert client.get("/en/staff/campaigns/spaces/999999/").status_code == 404
    assert client.get("/en/staff/campaigns/spaces/999999/delete/").status_code == 404
    assert client.post("/en/staff/campaigns/spaces/999999/delete/").status_code == 404


def test_a_place_is_deleted_after_asking_and_its_posts_keep_their_text(client, online_mentor, campaign):
    space, other = space_create(name="Syrer in Gaziantep"), space_create(name="Deutsch lernen in Tunis")
    post = PlannedPost.objects.create(
        campaign=campaign,
        platform="facebook",
        language="ar",
        publish_on=date(2026, 12, 10),
        text="Frag uns auf Arabisch.",
        social_space=space,
    )
    client.force_login(online_mentor)
    edit_page = client.get(f"/en/staff/campaigns/spaces/{space.pk}/").content.decode()
    assert f"/en/staff/campaigns/spaces/{space.pk}/delete/" in edit_page

    with translation.override("de"):
        asking = client.get(f"/de/staff/campaigns/spaces/{space.pk}/delete/").content.decode()
    assert "Syrer in Gaziantep" in asking
    assert "Mit diesem Ort verknüpfte geplante Beiträge: 1." in asking
    assert SocialSpace.objects.filter(pk=space.pk).exists()  # asking deletes nothing

    response = client.post(f"/en/staff/campaigns/spaces/{space.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0].endswith(SPACES_URL)
    assert "The social space is deleted." in response.content.decode()
    assert list(SocialSpace.objects.all()) == [other]
    post.refresh_from_db()
    assert post.social_space is None and post.text == "Frag uns auf Arabisch."


def test_the_overview_is_the_coordinators(client, online_mentor, coordinator, campaign):
    channel = channel_create(campaign, kind="instagram", name="Reel")
    space_create(country="JO", platform="facebook", members=1000)
    space_create(country="JO", platform="facebook", name="Zweite Gruppe", members=500)
    istanbul = space_create(country="TR", platform="instagram", name="Almanya'ya göç", members=42000)
    istanbul.channels.add(channel)
    ReachCount.objects.create(
        campaign=campaign, channel=channel, language="tr", day=timezone.localdate(), kind="landing", count=7
    )
    client.force_login(online_mentor)
    assert client.get(OVERVIEW_URL).status_code == 403

    client.force_login(coordinator)
    response = client.get(OVERVIEW_URL)
    assert response.status_code == 200
    page = response.content.decode()
    main = page.split("<main")[1].split("</main>")[0]
    # A chart drawn on the server (no script), and its figures as a table beside it.
    assert page.count('<svg class="bar-chart" role="img"') == 2 and "<script" not in main
    assert "Jordanien" in main and "Türkei" in main and "<table" in main
    rows = {(row.country, row.platform): row for row in response.context["rows"]}
    assert rows["JO", "facebook"].places == 2 and rows["JO", "facebook"].members == 1500
    assert rows["TR", "instagram"].landings == 7
    assert [bar.shown for bar in response.context["by_country"]["bars"]] == ["2", "1"]


def test_the_overview_reads_in_constant_queries(client, coordinator, campaign, django_assert_max_num_queries):
    channels = [channel_create(campaign, kind="instagram", name=f"Reel {n}") for n in range(5)]
    for n in range(30):
        space = space_create(name=f"Gruppe {n}", country=["JO", "TR", "AL"][n % 3])
        space.channels.add(channels[n % 5])
    client.force_login(coordinator)
    client.get(OVERVIEW_URL)
    with django_assert_max_num_queries(12):
        assert client.get(OVERVIEW_URL).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(SPACES_URL).status_code == 200


def test_overview_rows_sum_per_country_and_platform():
    a = space_create(members=None)
    b = space_create(name="B", members=20)
    for space in (a, b):
        space.reach, space.posts = {"landing": 1, "signup": 0, "enquiry": 0}, 2
    [row] = overview_rows([a, b])
    assert (row.places, row.members, row.posts, row.landings) == (2, 20, 4, 2)
