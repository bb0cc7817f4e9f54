"""The sites import as a page: upload, dry-run preview with created/updated and rejected rows (line and
translated reason), apply without choosing the file again; bad files get a message, never an error page;
coordinators only; audited."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hub.models import AuditEntry
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites import register_upload
from sites.models import Site
from sites.tests.factories import ProviderGroupFactory, SiteFactory
from sites.tests.test_importer import COLUMNS, register_row

pytestmark = pytest.mark.django_db
UPLOAD, PREVIEW = "/en/staff/sites/import/", "/en/staff/sites/import/preview/"


@pytest.fixture(autouse=True)
def awo():
    return ProviderGroupFactory(short_name="AWO")


def register_bytes(rows, *, columns=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def upload(client, content: bytes, name="register.csv", url=UPLOAD):
    return client.post(url, {"register": SimpleUploadedFile(name, content, content_type="text/csv")})


def a_register():
    """Line 2 creates, line 3 updates JMD-0002, line 4 is rejected (postcode), line 5 duplicates line 2."""
    SiteFactory(code="JMD-0002", name="Alter Name")
    return register_bytes(
        [register_row(1), register_row(2), register_row(3, postcode="12"), register_row(1, name="Doppelt")]
    )


def test_upload_preview_and_apply_without_choosing_the_file_again(client, coordinator):
    client.force_login(coordinator)
    response = upload(client, a_register())
    assert response.status_code == 302 and response["Location"] == PREVIEW
    page = client.get(PREVIEW).content.decode()
    assert "1 site would be created" in page and "1 site would be updated" in page
    assert "2 rows are rejected" in page
    assert "JMD-0001" in page and "JMD Standort 1" in page and "new site" in page
    rejected = page.split('id="rejected"', 1)[1].split("</section>", 1)[0]
    assert (
        '<td>4</td><td><bdi dir="ltr">JMD-0003</bdi></td>' in rejected
        and "postcode: Enter exactly five digits." in rejected
    )
    assert (
        '<td>5</td><td><bdi dir="ltr">JMD-0001</bdi></td>' in rejected
        and "code: Duplicate of line 2." in rejected
    )
    assert not Site.objects.filter(code="JMD-0001").exists()  # the preview wrote nothing
    assert Site.objects.get(code="JMD-0002").name == "Alter Name"
    token = client.session[register_upload.SESSION_KEY]["token"]
    response = client.post(PREVIEW, {"token": token}, follow=True)
    assert "1 created, 1 updated, 2 rows rejected" in response.content.decode()
    assert Site.objects.get(code="JMD-0001").name == "JMD Standort 1"
    assert Site.objects.get(code="JMD-0002").name == "JMD Standort 2"
    assert register_upload.SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(action="sites.imported")
    assert entry.actor == coordinator and "created 1, updated 1, unchanged 0, rejected 2" in entry.detail


def test_rejection_reasons_are_in_the_page_language(client, coordinator):
    client.force_login(coordinator)
    upload(client, register_bytes([register_row(1, postcode="12", latitude="north", federal_state="XX")]))
    page = client.get("/de/staff/sites/import/preview/").content.decode()
    rejected = page.split('id="rejected"', 1)[1].split("</section>", 1)[0]
    # The importer's own reasons are translated (their German text is in the catalogue) …
    assert "Gib genau fünf Ziffern ein." in rejected
    assert "Enter exactly five digits." not in rejected
    assert "Enter the latitude as a decimal number." not in rejected
    assert "Unknown federal state" not in rejected


def test_a_stale_preview_is_not_applied(client, coordinator):
    client.force_login(coordinator)
    upload(client, register_bytes([register_row(1)]))
    stale = client.session[register_upload.SESSION_KEY]["token"]
    upload(client, register_bytes([register_row(7)]))  # another tab, another file
    response = client.post(PREVIEW, {"token": stale}, follow=True)
    assert "Another file was uploaded in the meantime." in response.content.decode()
    assert not Site.objects.filter(code__in=["JMD-0001", "JMD-0007"]).exists()


def test_cancel_forgets_the_file(client, coordinator):
    client.force_login(coordinator)
    upload(client, register_bytes([register_row(1)]))
    client.post(PREVIEW, {"cancel": "1"})
    assert register_upload.SESSION_KEY not in client.session
    assert client.get(PREVIEW)["Location"] == UPLOAD
    assert not Site.objects.filter(code="JMD-0001").exists()


BAD_FILES = {
    "not csv": ("register.pdf", b"%PDF-1.4 binary", "This is not a CSV file."),
    "binary with csv name": ("register.csv", b"code,name\x00\x01\x02", "This is not a CSV file."),
    "wrong encoding": (
        "register.csv",
        "code;name;Straße\nJMD;Müller;Straße".encode("cp1252"),
        "The file is not UTF-8 encoded text.",
    ),
    "wrong header": ("register.csv", b"id,title\n1,JMD\n", "The file lacks the columns: code, name,"),
    "header only": (
        "register.csv",
        ",".join(COLUMNS).encode() + b"\n",
        "The file has a header but no sites.",
    ),
    "empty": ("register.csv", b"", "The file is empty."),
    "too large": (
        "register.csv",
        b"x" * (register_upload.MAX_UPLOAD_BYTES + 1),
        "The file is too large (1.0\xa0MB). A register may be at most 1.0\xa0MB.",
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_gets_a_clear_message_on_the_upload_page(client, coordinator, kind):
    name, content, message = BAD_FILES[kind]
    client.force_login(coordinator)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert register_upload.SESSION_KEY not in client.session


def test_no_file_chosen_is_a_message_too(client, coordinator):
    client.force_login(coordinator)
    response = client.post(UPLOAD, {})
    assert response.status_code == 200 and "Please choose a file." in response.content.decode()


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.SITE_LEAD, Role.EDITOR])
def test_only_coordinators_import_sites(client, role):
    client.force_login(staff_with_totp(username=f"staff_{role}", roles=[role]))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, register_bytes([register_row(1)])).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post(PREVIEW, {"token": "x"}).status_code == 403
    assert not Site.objects.filter(code="JMD-0001").exists()


def _importer_reasons():
    """Every reason the import gives: each field's error messages (Django's own or set in the import form)
    and the messages of sites/importer.py itself."""
    from sites import importer

    form = importer.SiteImportForm({}, provider_groups=None)
    for field in form.fields.values():
        yield from (message._args[0] for message in field.error_messages.values())
    yield from [
        "Unknown language code %(codes)s. Use two-letter ISO 639-1 codes such as de or ar.",
        "Unknown offer %(offers)s. Use online, on_site or groups.",
        "Unknown provider group %(short_name)s. To create it, give its full name in the column "
        "provider_group_name.",
        "Another provider group is already called %(name)s.",
        "The row has more values than the header has columns.",
        "Duplicate of line %(line)d.",
        "The file lacks the columns: %(columns)s.",
        "Line %(line)d cannot be read: %(error)s",
        "The file is not UTF-8 encoded text.",
    ]


@pytest.mark.parametrize("language", ["de", "ar", "ru", "tr", "sq", "uk", "fr"])
def test_every_rejection_reason_has_a_translation(language):
    """Needs the compiled catalogues with this branch's entries (the integrator regenerates them)."""
    from django.utils import translation

    untranslated = []
    with translation.override(language):
        for msgid in _importer_reasons():
            if translation.gettext(msgid) == msgid:
                untranslated.append(msgid)
    assert untranslated == []
