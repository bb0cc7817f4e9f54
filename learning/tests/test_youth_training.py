"""Youth application training: the branching interview practice (no account needed; with an account a
result can be kept and deleted) and the CV helper, which returns a PDF and stores nothing."""

import io

import pytest
from pypdf import PdfReader

from learning import interview
from learning.models import InterviewRun

pytestmark = pytest.mark.django_db


def test_the_interview_branches_on_the_answer():
    _turns, after_good = interview.walk(["a", "a"])
    _turns, after_weak = interview.walk(["a", "b"])
    assert after_good.key == "weakness"
    assert after_weak.key == "company"  # a weak "why" answer brings a follow-up question


def test_every_path_ends_and_every_option_has_feedback():
    for step in interview.STEPS.values():
        for option in step.options:
            assert option.feedback and option.next in interview.STEPS
    assert interview.STEPS["end"].is_end


def test_an_anonymous_visitor_gets_feedback_and_finishes(client):
    page = client.get("/en/learn/interview/?path=a.b").content.decode()
    assert "What do you know about our company?" in page
    assert "Honest, but it sounds as if you do not care where." in page
    page = client.get("/en/learn/interview/?path=a.b.a.a.a.a").content.decode()
    assert "Your result" in page and "5 of 6 answers were strong." in page
    assert "Nothing of this practice is stored." in page
    assert not InterviewRun.objects.exists()


def test_a_forged_path_stops_at_the_first_unknown_answer(client):
    page = client.get("/en/learn/interview/?path=a.zzz.a").content.decode()
    assert "Why do you want to do your apprenticeship with us?" in page


def test_a_signed_in_youth_keeps_and_deletes_results(client, youth, other_youth):
    client.force_login(youth)
    client.post("/en/learn/interview/keep/", {"path": "a.a.a.a.a"})
    run = InterviewRun.objects.get(youth=youth)
    assert run.good_answers == 5
    InterviewRun.objects.create(youth=other_youth, path=["a"], good_answers=1)
    page = client.get("/en/learn/").content.decode()
    assert "5 of 5 answers were strong" in page
    client.post("/en/learn/interview/delete/")
    assert not InterviewRun.objects.filter(youth=youth).exists()
    assert InterviewRun.objects.filter(youth=other_youth).exists()  # only their own


def test_an_unfinished_run_cannot_be_kept(client, youth):
    client.force_login(youth)
    client.post("/en/learn/interview/keep/", {"path": "a.a"})
    assert not InterviewRun.objects.exists()


def test_deleting_the_account_deletes_the_results(youth):
    from hub.services import account_delete

    InterviewRun.objects.create(youth=youth, path=["a"], good_answers=1)
    account_delete(user=youth)
    assert not InterviewRun.objects.exists()


def test_the_cv_helper_returns_a_pdf_with_what_was_typed_and_stores_nothing(
    client, django_assert_max_num_queries
):
    data = {
        "name": "Olena Kovalenko",
        "email": "olena@example.org",
        "experience": "2025 – Praktikum, Bäckerei Schmidt, Bonn",
        "languages": "Ukrainisch, Deutsch B1",
        "letter": "Sehr geehrte Damen und Herren, ich bewerbe mich …",
    }
    with django_assert_max_num_queries(3):  # session only: nothing is written
        response = client.post("/en/learn/cv/", data)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0].extract_text()
    assert "Olena Kovalenko" in first and "Bäckerei Schmidt" in first and "Work experience" in first
    assert "ich bewerbe mich" in reader.pages[1].extract_text()


def test_the_cv_helper_keeps_the_entries_when_something_is_wrong(client):
    response = client.post("/en/learn/cv/", {"name": "", "email": "not-an-address", "skills": "Teamarbeit"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Teamarbeit" in page and "not-an-address" in page
    assert "This field is required." in page


def test_the_cv_helper_loads_its_script_with_the_csp_nonce(client):
    response = client.get("/de/learn/cv/")
    assert 'src="/static/learning/js/cv.js"' in response.content.decode()
    assert "nonce=" in response.content.decode()
