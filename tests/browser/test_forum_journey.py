"""The forum in real Chromium: a young person asks in Russian (a new account: the question waits for
moderation), a counselor approves it and answers, the young person sees the answer marked as a
counselor's."""

import pytest

from counseling.forum.models import Category, Post
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from tests.browser.test_accounts_journeys import log_in, log_out
from tests.browser.test_counseling_journey import outside_the_browser_loop, staff_log_in

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


def test_forum_pages_are_accessible_and_the_support_box_reads_right_to_left(
    page, client, live_server, screenshot_dir
):
    from axe_playwright_python.sync_playwright import Axe

    from counseling.forum import services
    from counseling.forum.models import WatchedWord
    from counseling.forum.tests.factories import poster

    category = Category.objects.create(topic="health", language="ar", is_sensitive=True)
    WatchedWord.objects.create(word="*انتحار", language="ar", kind=WatchedWord.Kind.SELF_HARM)
    author = poster("layla", pseudonym="ياسمين", published_posts=10)
    counselor = staff_with_totp(username="counselor_ar", display_name="سارة", roles=[Role.COUNSELOR])

    def setup():  # services notify after commit; Playwright's event loop runs in this thread
        post = services.thread_create(
            category=category, author=author, title="أشعر بالوحدة", body="أفكر في الانتحار"
        )
        services.post_approve(post=post, moderator=counselor)
        reported = services.post_reply(thread=post.thread, author=counselor, body="نحن هنا من أجلك")
        services.report_create(post=reported, reporter=author, reason="other")
        return post, reported

    post, reported = outside_the_browser_loop(setup)

    def as_user(user):
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )

    def violations():
        results = Axe().run(page)
        return [
            f"{violation['id']}: {violation['help']}"
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]

    as_user(author)
    thread_path = f"/ar/forum/t/{post.thread_id}/"
    for path in [
        "/ar/forum/",
        f"/ar/forum/c/{category.pk}/",
        thread_path,
        f"/ar/forum/c/{category.pk}/new/",
        f"/ar/forum/p/{reported.pk}/report/",
        "/ar/forum/me/",
    ]:
        page.goto(path)
        assert violations() == [], path
    page.goto(thread_path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    box = page.locator(".support-box")
    assert box.count() == 1 and "116 111" in box.inner_text()
    # The box's start edge is on the right in Arabic: its border sits at the right end of the page.
    box_right = box.bounding_box()["x"] + box.bounding_box()["width"]
    assert box_right > page.viewport_size["width"] - 40
    page.screenshot(path=str(screenshot_dir / "forum-support-box-ar.png"), full_page=True)

    as_user(counselor)
    for path in [
        "/de/staff/forum/",
        f"/de/staff/forum/posts/{reported.pk}/",
        "/de/staff/forum/words/",
        "/de/staff/forum/categories/",
    ]:
        page.goto(path)
        assert violations() == [], path
    page.goto(f"/de/staff/forum/posts/{post.pk}/")
    page.screenshot(path=str(screenshot_dir / "forum-moderate-post.png"), full_page=True)
