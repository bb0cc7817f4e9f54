"""The forum in real Chromium: a young person asks in Russian (a new account: the question waits for
moderation), a counselor approves it and answers, the young person sees the answer marked as a
counselor's."""

import pytest

from counseling.forum.models import Category, Post
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_accounts_journeys import log_in, log_out
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
QUESTION = "Как найти место для учёбы на повара в Берлине?"
ANSWER = "Привет! Начни с биржи труда (Agentur für Arbeit) – я расскажу, как это работает."


def test_youth_asks_in_russian_counselor_approves_and_answers(page, screenshot_dir):
    category = Category.objects.create(topic="work", language="ru", description="Учёба и работа")
    counselor = staff_with_totp(username="counselor_ru", display_name="Ольга", roles=[Role.COUNSELOR])
    UserFactory(username="katya_08", roles=[Role.YOUTH])

    log_in(page, "katya_08")
    page.goto("/ru/forum/")
    page.click(f"a[href='/ru/forum/c/{category.pk}/']")
    page.click(f"a[href='/ru/forum/c/{category.pk}/new/']")
    page.fill("#id_pseudonym", "Подсолнух")
    page.fill("#id_title", "Учёба на повара")
    page.fill("#id_body", QUESTION)
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/ru/forum/t/**")
    assert QUESTION in page.inner_text(".forum-posts")
    assert page.locator(".forum-post.is-pending .hold-hint").count() == 1
    page.screenshot(path=str(screenshot_dir / "forum-question-pending-ru.png"), full_page=True)
    thread_url = page.url
    log_out(page)

    page.goto(thread_url)  # a visitor does not see the waiting question
    assert QUESTION not in page.inner_text("main")

    staff_log_in(page, counselor)
    page.goto("/de/staff/forum/")
    item = page.locator(".queue-item", has_text=QUESTION)
    assert item.count() == 1
    page.screenshot(path=str(screenshot_dir / "forum-moderation-queue.png"), full_page=True)
    with page.expect_navigation():
        item.locator("button[type=submit].primary").click()
    assert Post.objects.get().status == "published"
    page.goto(thread_url)
    page.fill("#reply textarea[name=body]", ANSWER)
    with page.expect_navigation():
        page.click("#reply button[type=submit].primary")
    log_out(page)

    log_in(page, "katya_08")
    page.goto("/ru/forum/me/")
    assert page.locator(".badge-new").count() == 1
    page.click("a[href*='/ru/forum/t/']")
    answer = page.locator(".forum-post.from-counselor")
    assert ANSWER in answer.inner_text()
    assert answer.locator(".badge-counselor").count() == 1 and "Ольга" in answer.inner_text()
    assert page.locator(".forum-post.is-pending").count() == 0
    page.screenshot(path=str(screenshot_dir / "forum-answered-ru.png"), full_page=True)
    assert page.requests.foreign(page.url) == []
