"""A young person attaches a PDF with a script hidden in a doubly compressed object stream: the form
comes back with their text, says why the file was refused, and nothing is sent. Then a harmless PDF goes."""

import pytest

from counseling.models import Attachment, Case
from counseling.tests.pdfs import harmless_pdf, pdf_with_object_stream
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.browser.test_accounts_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
QUESTION = "Ich brauche Hilfe mit meiner Bewerbung."


def test_a_crafted_pdf_is_refused_the_text_kept_and_a_good_one_goes_through(page, tmp_path, screenshot_dir):
    UserFactory(username="mina_22", roles=[Role.YOUTH])
    crafted = tmp_path / "bewerbung.pdf"
    crafted.write_bytes(
        pdf_with_object_stream(
            b"<< /S /JavaScript /JS (app.alert(1)) >>", filters=("FlateDecode", "FlateDecode")
        )
    )
    harmless = tmp_path / "zeugnis.pdf"
    harmless.write_bytes(harmless_pdf())
    log_in(page, "mina_22")

    page.goto("/en/ask/")
    page.check("input[name=topic][value=work]")
    page.fill("textarea[name=body]", QUESTION)
    page.set_input_files("input[name=attachments]", str(crafted))
    page.click("main form button[type=submit].primary")

    page.wait_for_selector(".field-invalid")
    assert "“bewerbung.pdf” contains macros or scripts" in page.inner_text("main")
    assert page.input_value("textarea[name=body]") == QUESTION
    page.screenshot(path=str(screenshot_dir / "upload-refused.png"), full_page=True)
    assert not Case.objects.exists()

    page.set_input_files("input[name=attachments]", str(harmless))
    page.click("main form button[type=submit].primary")
    page.wait_for_url("**/en/cases/**")
    assert Attachment.objects.count() == 1
