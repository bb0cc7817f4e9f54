"""Learning in real Chromium: a counselor takes a lesson and a quiz, passes and downloads the certificate
(the PDF opens and names them and the course; its link checks out on the public page); a young person
completes the interview practice on a phone and makes an Arabic CV whose PDF reads right to left."""

import io

import pytest
from pypdf import PdfReader

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from learning.models import Enrolment, EnrolmentSource
from learning.tests.factories import CourseFactory, LessonFactory, QuizFactory
from learning.tests.pdf_glyphs import page_lines
from tests.browser.test_counseling_journey import staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_counselor_takes_lesson_and_quiz_passes_and_downloads_the_certificate(
    page, live_server, screenshot_dir
):
    counselor = staff_with_totp(
        username="counselor_lena", display_name="Lena Hoffmann", roles=[Role.COUNSELOR]
    )
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz", validity_months=24)
    LessonFactory(course=course, module="Datenschutz", title="Schweigepflicht")
    QuizFactory(course=course, module="Datenschutz", title="Wissenscheck", pass_mark=100)
    Enrolment.objects.create(user=counselor, course=course, source=EnrolmentSource.RULE)

    staff_log_in(page, counselor)
    page.goto("/en/staff/learning/")
    page.click("text=Datenschutz und Krisenintervention")
    page.wait_for_url("**/staff/learning/courses/datenschutz/")
    page.click("text=Schweigepflicht")
    assert "Schweigepflicht gilt immer." in page.inner_text(".lesson-body")
    with page.expect_navigation():
        page.click("main button[type=submit].primary")
    page.click("text=Quiz: Wissenscheck")
    page.check("text=Nur mit Einwilligung")
    page.check("text=Notruf 112")
    page.check("text=Krisendienst")
    page.screenshot(path=str(screenshot_dir / "learning-quiz.png"), full_page=True)
    with page.expect_navigation():
        page.click("main form.quiz button[type=submit]")
    assert "Passed" in page.inner_text(".quiz-result")
    page.click(".quiz-result a")
    page.wait_for_url("**/staff/learning/courses/datenschutz/")
    page.screenshot(path=str(screenshot_dir / "learning-course-completed.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("text=Download certificate (PDF)")
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: SIM115
    text = pdf.pages[0].extract_text()
    assert "Lena Hoffmann" in text and "Datenschutz und Krisenintervention" in text

    page.click("text=Verification page")
    assert "This certificate is genuine and valid." in page.inner_text("main")
    assert page.requests.foreign(live_server.url) == []


def test_a_youth_completes_the_interview_practice_on_a_phone(page, live_server, screenshot_dir):
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto("/en/learn/")
    page.click("text=Interview practice")
    for expected, answer in [
        ("Please tell us a little about yourself", "I name my school"),
        ("Why do you want to do your apprenticeship with us?", "I need a job, any job."),
        ("What do you know about our company?", "You are a craft business"),
        ("What is one of your weaknesses?", "Sometimes I am impatient"),
        ("How good is your German?", "I have B1"),
        ("Do you have any questions for us?", "what does a typical day look like"),
    ]:
        assert expected in page.inner_text(".speech")
        with page.expect_navigation():
            page.click(f".choices a:has-text('{answer}')")
        if expected.startswith("Why"):
            assert "Honest, but it sounds as if you do not care where." in page.inner_text(".feedback")
            page.screenshot(
                path=str(screenshot_dir / "learning-interview-feedback-phone.png"), full_page=True
            )
    summary = page.inner_text(".interview-summary")
    assert "5 of 6 answers were strong." in summary
    # Every answer is a big enough target, and nothing runs off the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_dir / "learning-interview-result-phone.png"), full_page=True)
    assert page.requests.foreign(live_server.url) == []


def test_learning_pages_have_no_serious_accessibility_violations(page, client, live_server, screenshot_dir):
    from learning.tests.factories import CertificateFactory
    from tests.browser.test_accessibility import serious_violations

    counselor = staff_with_totp(username="counselor_ada", display_name="Ada", roles=[Role.COUNSELOR])
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz")
    LessonFactory(course=course, title="Schweigepflicht")
    quiz = QuizFactory(course=course)
    Enrolment.objects.create(user=counselor, course=course, source=EnrolmentSource.RULE)
    certificate = CertificateFactory(user=counselor, course=course)
    for path in [
        "/de/learn/",
        "/ar/learn/interview/?path=a",
        "/de/learn/interview/?path=a.a.a.a.a",
        "/de/learn/cv/",
        f"/de/certificates/{certificate.code}/",
        "/de/certificates/forged/",
    ]:
        page.goto(path)
        assert serious_violations(page) == [], path
        name = path.strip("/").split("?")[0].replace("/", "-").replace(certificate.code, "real")
        page.screenshot(path=str(screenshot_dir / f"learning-{name}.png"), full_page=True)
    client.force_login(counselor)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in [
        "/de/staff/learning/",
        "/de/staff/learning/courses/datenschutz/",
        f"/de/staff/learning/courses/datenschutz/quizzes/{quiz.pk}/",
        "/de/staff/learning/standards/",
    ]:
        page.goto(path)
        assert serious_violations(page) == [], path
    coordinator = staff_with_totp(username="coordinator_ida", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/de/staff/learning/reports/datenschutz/")
    assert serious_violations(page) == []
    page.screenshot(path=str(screenshot_dir / "learning-report.png"), full_page=True)


def test_a_youth_makes_an_arabic_cv_in_the_browser_and_the_pdf_reads_right_to_left(page, live_server):
    name = "محمد أحمد العلي"
    page.goto("/ar/learn/cv/")
    page.fill("#id_name", name)
    page.fill("#id_address", "شارع Hauptstraße 5، برلين")
    page.fill("#id_phone", "+49 176 1234567")
    page.fill("#id_skills", "أتكلم العربية والألمانية")
    with page.expect_download() as download_info:
        page.click("#cv-form button[type=submit]")
    pdf = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()[0] == name
    lines = page_lines(pdf)
    assert lines[0].right_to_left() == name
    assert "+49 176 1234567" in [line.left_to_right() for line in lines]
    assert len({round(line.end) for line in lines}) == 1  # every line ends at the right margin
