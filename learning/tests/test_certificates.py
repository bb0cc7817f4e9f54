"""Certificates: the public check confirms a real certificate without login and rejects a forged code;
the PDF carries name, course, date and the verification link; only its holder (and coordinators) get it;
re-certification opens before expiry."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from hub.roles import Role
from hub.tests.factories import staff_with_totp
from learning import services, tasks
from learning.models import Certificate, Enrolment, EnrolmentSource
from learning.tests.factories import CertificateFactory, CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(counselor):
    counselor.display_name = "Anna Berg"
    counselor.save()
    course = CourseFactory(title="Datenschutz und Krisenintervention", slug="datenschutz")
    return CertificateFactory(user=counselor, course=course, valid_until=timezone.now() + timedelta(days=300))


def test_the_verification_page_confirms_a_real_certificate_without_login(client, certificate):
    response = client.get(f"/en/certificates/{certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate is genuine and valid." in page
    assert "Anna Berg" in page and "Datenschutz und Krisenintervention" in page


@pytest.mark.parametrize(
    "forged", ["x", "AAAAAAAAAAAAAAAAAAAAAA", "certificate-of-anna", "0" * 22, "%27%20OR%201%3D1"]
)
def test_the_verification_page_rejects_a_forged_code(client, certificate, forged):
    response = client.get(f"/en/certificates/{forged}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate with this code exists." in page
    assert "Anna Berg" not in page


def test_an_altered_real_code_is_rejected(client, certificate):
    altered = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    assert client.get(f"/en/certificates/{altered}/").status_code == 404


def test_an_expired_certificate_is_shown_as_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.now() - timedelta(days=1))
    page = client.get(f"/en/certificates/{certificate.code}/").content.decode()
    assert "has expired" in page and "genuine and valid" not in page


def test_the_pdf_contains_name_course_date_and_the_verification_link(client, certificate, settings):
    settings.ALLOWED_HOSTS = ["beratung.example.org"]
    client.force_login(certificate.user)
    response = client.get(
        f"/en/staff/learning/certificates/{certificate.code}/pdf/",
        HTTP_HOST="beratung.example.org",
        secure=True,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Anna Berg" in text
    assert "Datenschutz und Krisenintervention" in text
    assert str(certificate.issued_at.year) in text
    # On the host the PDF was downloaded from, not the embedded default's SITE_URL (127.0.0.1:8000).
    assert f"https://beratung.example.org/en/certificates/{certificate.code}/" in text.replace("\n", "")


def test_another_staff_member_cannot_download_the_pdf(client, certificate):
    colleague = staff_with_totp(username="colleague", roles=[Role.COUNSELOR])
    client.force_login(colleague)
    assert client.get(f"/en/staff/learning/certificates/{certificate.code}/pdf/").status_code == 404


def test_a_coordinator_can_download_the_pdf(client, certificate, coordinator):
    client.force_login(coordinator)
    assert client.get(f"/en/staff/learning/certificates/{certificate.code}/pdf/").status_code == 200


def test_recertification_opens_a_month_before_expiry_once(counselor):
    course = CourseFactory(validity_months=12)
    enrolment = services.enrolment_create(user=counselor, course=course, source=EnrolmentSource.SELF)
    certificate = services.certificate_issue(enrolment=enrolment, at=timezone.now() - timedelta(days=340))
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=certificate.issued_at)
    assert tasks.open_renewals() == 1
    assert tasks.open_renewals() == 0  # claimed: a second run opens nothing
    renewal = Enrolment.objects.get(user=counselor, completed_at__isnull=True)
    assert renewal.source == EnrolmentSource.RENEWAL
    assert renewal.due_at == certificate.valid_until


def test_a_certificate_far_from_expiry_opens_no_renewal(counselor):
    CertificateFactory(user=counselor, valid_until=timezone.now() + timedelta(days=200))
    assert tasks.open_renewals() == 0


def test_during_recertification_the_still_valid_certificate_stays_on_the_course_page(client, certificate):
    Enrolment.objects.create(user=certificate.user, course=certificate.course, source=EnrolmentSource.RENEWAL)
    client.force_login(certificate.user)
    page = client.get("/en/staff/learning/courses/datenschutz/").content.decode()
    assert f"/en/staff/learning/certificates/{certificate.code}/pdf/" in page


def test_a_certificate_stays_checkable_when_its_course_is_deleted(client, certificate):
    certificate.course.delete()
    page = client.get(f"/en/certificates/{certificate.code}/").content.decode()
    assert "This certificate is genuine and valid." in page and "Datenschutz und Krisenintervention" in page
