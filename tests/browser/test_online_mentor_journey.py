"""Digital streetwork in real Chromium (issue 20, acceptance): an online mentor signs in with TOTP,
records a social space – the form refuses a young person's handle in the notes and keeps everything
typed – links a planned post to it, and cannot open any case (the inbox and a case page answer 403/404,
the staff start page offers neither). A counselor then books the social-media office hour she holds."""

import pytest
from django.utils import translation

from campaigns.forms import personal_data_in
from campaigns.models import OfficeHourBooking, OfficeHours, PlannedPost, SocialSpace
from campaigns.tests.factories import campaign_create, channel_create
from counseling.tests.factories import counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_accounts_journeys import log_out
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_online_mentor_records_a_social_space_links_a_post_and_opens_no_case(page, screenshot_dir):
    campaign = campaign_create()
    channel = channel_create(campaign, kind="facebook", name="Facebook-Gruppe Jordanien")
    counselor = counselor_with_profile("counselor_om", ["de", "ar"])
    case = make_case(youth=UserFactory(username="layla_amman", roles=[Role.YOUTH]), language="ar")
    mentor = staff_with_totp(username="online_mentor_ola", display_name="Ola", roles=[Role.ONLINE_MENTOR])

    staff_log_in(page, mentor)
    assert page.locator("main a[href='/de/staff/cases/']").count() == 0
    with page.expect_navigation():
        page.click("main a[href='/de/staff/campaigns/spaces/']")
    with page.expect_navigation():
        page.click("main a[href='/de/staff/campaigns/spaces/new/']")
    with translation.override("de"):  # the German texts once the catalogues carry them
        handle_refused = str(personal_data_in("@layla_amman", "de", handles=True))
    assert "(@name)" in page.inner_text("main .streetwork-note")
    page.select_option("select[name=platform]", "facebook")
    page.fill("input[name=name]", "Deutsche in Jordanien – Fragen und Antworten")
    page.select_option("select[name=country]", "JO")
    page.select_option("select[name=language]", "ar")
    page.fill("input[name=members]", "18000")
    page.check("input[name=topics][value=arrival]")
    page.check("input[name=topics][value=work]")
    page.fill("textarea[name=rules]", "Keine Werbung, Beiträge auf Arabisch oder Englisch.")
    page.check("input[name=contact_role][value=admin]")
    page.fill("input[name=observed_on]", "2026-11-20")
    page.check(f"input[name=channels][value='{channel.pk}']")
    notes = "Viele Fragen zu Visum und Ausbildung; sehr aktiv ist @layla_amman."
    page.fill("textarea[name=notes]", notes)
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")

    # Refused, with a message at the notes, and nothing typed is lost.
    assert page.inner_text("#id_notes_error").strip() == handle_refused
    assert page.input_value("textarea[name=notes]") == notes
    assert page.input_value("input[name=members]") == "18000"
    assert page.is_checked("input[name=topics][value=work]")
    assert page.is_checked(f"input[name=channels][value='{channel.pk}']")
    assert not SocialSpace.objects.exists()
    page.screenshot(path=str(screenshot_dir / "social-space-refused.png"), full_page=True)
    page.fill("textarea[name=notes]", "Viele Fragen zu Visum und Ausbildung, abends am aktivsten.")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    assert "Deutsche in Jordanien" in page.inner_text("table.social-spaces")
    space = SocialSpace.objects.get()

    page.goto("/de/staff/campaigns/posts/new/")
    page.select_option("select[name=campaign]", str(campaign.pk))
    page.select_option("select[name=platform]", "facebook")
    page.select_option("select[name=language]", "ar")
    page.fill("input[name=publish_on]", "2026-12-10")
    page.select_option("select[name=channel]", str(channel.pk))
    page.select_option("select[name=social_space]", str(space.pk))
    page.fill("textarea[name=text]", "هل شهادتك معترف بها في ألمانيا؟ اسألنا بالعربية.")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    assert PlannedPost.objects.get().social_space == space
    page.goto("/de/staff/campaigns/posts/?all=1")
    assert "Deutsche in Jordanien" in page.inner_text("table.planner")
    page.screenshot(path=str(screenshot_dir / "planner-with-social-space.png"), full_page=True)

    # No case: not the inbox, not the case page, not the chat desk or the callbacks.
    for url, status in (
        ("/de/staff/cases/", 403),
        (f"/de/staff/cases/{case.public_id}/", 404),
        ("/de/staff/cases/chats/", 403),
        ("/de/staff/cases/callbacks/", 403),
    ):
        response = page.goto(url)
        assert response.status == status, url
        assert "layla_amman" not in page.content()

    # She holds the office hour on Mondays to Fridays; a counselor books it.
    page.goto("/de/staff/campaigns/office-hour/hours/")
    for weekday in range(5):
        page.select_option("select[name=weekday]", str(weekday))
        page.fill("input[name=opens]", "00:00")
        page.fill("input[name=closes]", "23:00")
        with page.expect_navigation():
            page.click("main form.inline-filter button[type=submit].primary")
    assert OfficeHours.objects.filter(host=mentor).count() == 5
    log_out(page)

    staff_log_in(page, counselor)
    with page.expect_navigation():
        page.click("main a[href='/de/staff/campaigns/office-hour/']")
    page.select_option("select[name=starts_at]", index=1)
    page.select_option("select[name=platform]", "instagram")
    page.fill("textarea[name=question]", "Wie starten wir einen Instagram-Kanal?")
    with page.expect_navigation():
        page.click("main form button[type=submit].primary")
    booking = OfficeHourBooking.objects.get()
    assert (booking.host, booking.booked_by) == (mentor, counselor)
    assert "Ola" in page.inner_text("ul.office-hour-bookings")
    page.screenshot(path=str(screenshot_dir / "office-hour-booked.png"), full_page=True)
