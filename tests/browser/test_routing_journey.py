"""Routing honest for every language, in real Chromium: on the ask page a young person chooses French,
which no present counselor speaks; the page says so at once (and again for Arabic, not for Russian),
and the question lands in the fallback counselors' queue."""

import pytest

from counseling.models import Case, CaseEvent, CounselorProfile
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def notice(page, code):
    return page.locator(f"[data-language-notices] [data-language={code}]")


def test_the_ask_page_says_when_nobody_speaks_the_language_and_the_case_goes_to_the_fallback(
    page, screenshot_dir
):
    russian = staff_with_totp(username="counselor_ru", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=russian, languages=["ru", "de"])
    helper = staff_with_totp(username="helper", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=helper, languages=["de"], is_fallback=True)

    page.goto("/en/ask/")
    assert not notice(page, "fr").is_visible()  # English… is not spoken either, but French is not chosen
    page.select_option("select[name=language]", "fr")
    assert notice(page, "fr").is_visible()
    assert "No counselor speaks French right now" in notice(page, "fr").inner_text()
    page.select_option("select[name=language]", "ru")
    assert not page.locator("[data-language-notices] [role=status]:visible").count()
    page.select_option("select[name=language]", "fr")
    page.screenshot(path=str(screenshot_dir / "routing-ask-french-notice.png"), full_page=True)

    page.check("input[name=topic][value=work]")
    page.fill("textarea[name=body]", "Comment faire reconnaître mon diplôme ?")
    page.fill("#id_account-username", "amel_2009")
    page.fill("#id_account-password1", "kaffee-mit-milch-7")
    page.fill("#id_account-password2", "kaffee-mit-milch-7")
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/en/cases/**")

    case = Case.objects.get(language="fr")
    assert case.counselor is None
    assert case.events.get(kind=CaseEvent.Kind.QUEUED).reason["rule"] == "fallback"
