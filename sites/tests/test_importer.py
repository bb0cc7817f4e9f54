"""Import of the site register from CSV: matching on code, rejected rows, batching, the command."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from sites import importer
from sites.models import ProviderGroup, Site
from sites.tests.factories import ProviderGroupFactory, SiteFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    "code",
    "name",
    "provider_group",
    "street",
    "postcode",
    "town",
    "federal_state",
    "latitude",
    "longitude",
    "phone",
    "email",
    "languages",
    "offers",
    "description_de",
]


@pytest.fixture(autouse=True)
def _english():
    # Reasons are asserted in the msgids' language.
    with translation.override("en"):
        yield


@pytest.fixture
def awo():
    return ProviderGroupFactory(short_name="AWO")


def register_row(number: int, **changes) -> dict:
    row = {
        "code": f"JMD-{number:04d}",
        "name": f"JMD Standort {number}",
        "provider_group": "AWO",
        "street": f"Hauptstraße {number}",
        "postcode": f"{10000 + number:05d}",
        "town": "Berlin",
        "federal_state": "BE",
        "latitude": f"{52 + number / 10000:.6f}",
        "longitude": f"{13 + number / 10000:.6f}",
        "phone": "+49 30 123456",
        "email": f"jmd{number}@example.org",
        "languages": "de;ar",
        "offers": "online;on_site",
        "description_de": "Beratung für junge Menschen.",
    }
    return row | changes


def write_register(path, rows, *, delimiter=",", columns=COLUMNS, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def import_file(path) -> importer.ImportReport:
    return importer.sites_import(rows=importer.read_csv(path))


def test_reimport_matches_on_code_and_counts_changes(awo, tmp_path):
    rows = [register_row(number) for number in range(1, 501)]
    path = write_register(tmp_path / "register.csv", rows)

    first = import_file(path)
    assert (first.created, first.updated, first.unchanged, first.rejected) == (500, 0, 0, [])
    second = import_file(path)
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 500, [])
    assert Site.objects.count() == 500

    rows[41]["phone"] = "+49 30 999999"
    third = import_file(write_register(tmp_path / "register.csv", rows))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 499)
    assert Site.objects.get(code="JMD-0042").phone == "+49 30 999999"
    assert Site.objects.count() == 500


def test_created_site_has_all_values(awo, tmp_path):
    row = register_row(1, languages="AR, de ,ku", offers="groups", latitude="52,5200004")
    import_file(write_register(tmp_path / "register.csv", [row], delimiter=";", bom=True))

    site = Site.objects.get(code="JMD-0001")
    assert site.provider_group == awo
    assert site.slug == "jmd-standort-1-berlin"
    assert site.languages == ["ar", "de", "ku"]
    assert (site.offers_online, site.offers_on_site, site.offers_groups) == (False, False, True)
    assert site.latitude == Decimal("52.520000")
    assert site.description_de == "Beratung für junge Menschen."


def test_bad_rows_are_reported_and_not_written(awo, tmp_path):
    rows = [
        register_row(1),
        register_row(2, postcode="1011"),
        register_row(3, federal_state="XX"),
        register_row(4, email="not-an-address"),
        register_row(5, name=""),
        register_row(6),
        register_row(7, code="JMD-0001"),
        register_row(8, provider_group="NOPE"),
        register_row(9, languages="de;xx"),
    ]
    report = import_file(write_register(tmp_path / "register.csv", rows))

    rejected = {row.line: (row.code, row.reasons) for row in report.rejected}
    assert rejected == {
        3: ("JMD-0002", ["postcode: Enter exactly five digits."]),
        4: ("JMD-0003", ["federal_state: Unknown federal state XX. Use a two-letter code such as BE or NW."]),
        5: ("JMD-0004", ["email: Enter a valid e-mail address."]),
        6: ("JMD-0005", ["name: This field is required."]),
        8: ("JMD-0001", ["code: Duplicate of line 2."]),
        9: (
            "JMD-0008",
            [
                "provider_group: Unknown provider group NOPE. To create it, give its full name "
                "in the column provider_group_name."
            ],
        ),
        10: (
            "JMD-0009",
            ["languages: Unknown language code xx. Use two-letter ISO 639-1 codes such as de or ar."],
        ),
    }
    assert report.created == 2
    assert set(Site.objects.values_list("code", flat=True)) == {"JMD-0001", "JMD-0006"}
    # The duplicate did not overwrite the first row's site.
    assert Site.objects.get(code="JMD-0001").street == "Hauptstraße 1"


def test_line_numbers_follow_the_file(awo, tmp_path):
    rows = [register_row(1, description_de="Erste Zeile\nzweite Zeile"), register_row(2, postcode="x")]
    path = write_register(tmp_path / "register.csv", rows)
    path.write_text(path.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")

    report = import_file(path)

    # Header, blank line, a row over two lines: the bad row starts on line 5.
    assert [(row.line, row.code) for row in report.rejected] == [(5, "JMD-0002")]


def test_unknown_provider_group_is_created_from_its_full_name(awo, tmp_path):
    columns = [*COLUMNS, "provider_group_name"]
    rows = [
        register_row(1, provider_group="IB", provider_group_name="Internationaler Bund e. V."),
        register_row(2, provider_group="ib"),
        register_row(3, provider_group="awo", provider_group_name="Ignored for an existing group"),
    ]
    report = import_file(write_register(tmp_path / "register.csv", rows, columns=columns))

    assert report.created == 3
    ib = ProviderGroup.objects.get(short_name="IB")
    assert ib.name == "Internationaler Bund e. V."
    assert set(Site.objects.filter(provider_group=ib).values_list("code", flat=True)) == {
        "JMD-0001",
        "JMD-0002",
    }
    assert ProviderGroup.objects.get(short_name="AWO").name == awo.name


def test_missing_optional_column_leaves_field_alone(awo, tmp_path):
    site = SiteFactory(code="JMD-0001", provider_group=awo, description_de="Von der Standortleitung.")
    columns = [name for name in COLUMNS if name != "description_de"]

    report = import_file(write_register(tmp_path / "register.csv", [register_row(1)], columns=columns))

    assert report.updated == 1
    site.refresh_from_db()
    assert site.name == "JMD Standort 1"
    assert site.description_de == "Von der Standortleitung."
    assert site.slug.startswith("site-")  # the slug of an existing site never changes


def test_slugs_are_unique(awo, tmp_path):
    SiteFactory(slug="jmd-essen", provider_group=awo)
    rows = [register_row(number, name="JMD Essen", town="Essen") for number in (1, 2)]

    import_file(write_register(tmp_path / "register.csv", rows))

    assert set(Site.objects.filter(code__isnull=False).values_list("slug", flat=True)) == {
        "jmd-essen-2",
        "jmd-essen-3",
    }


def test_import_runs_a_bounded_number_of_queries(awo, tmp_path, django_assert_max_num_queries):
    rows = [register_row(number) for number in range(1, 501)]
    path = write_register(tmp_path / "register.csv", rows)
    # One SELECT per row would be 500 queries; the batches need about a dozen.
    with django_assert_max_num_queries(30):
        assert import_file(path).created == 500
    for row in rows:
        row["phone"] = "+49 30 000000"
    write_register(path, rows)
    with django_assert_max_num_queries(30):
        assert import_file(path).updated == 500


def test_read_csv_accepts_file_objects():
    content = "\ufeffcode;name;provider_group;street;postcode;town;federal_state;latitude;longitude\n"
    content += "JMD-0001;JMD A;AWO;Weg 1;10115;Berlin;BE;52,5;13,4;surplus\n"

    [row] = importer.read_csv(io.BytesIO(content.encode()))

    assert row["code"] == "JMD-0001"
    assert row["latitude"] == "52,5"
    assert row[None] == ["surplus"]
    assert row[importer.LINE_KEY] == 2


def test_read_csv_rejects_a_file_without_required_columns():
    with pytest.raises(importer.ImportFileError, match="postcode"):
        list(importer.read_csv(io.StringIO("code,name\nJMD-1,A\n")))


# --- the management command ---------------------------------------------------------------------


def test_command_prints_progress_and_report(awo, tmp_path):
    rows = [register_row(number) for number in range(1, 251)]
    rows[16]["postcode"] = "123"
    path = write_register(tmp_path / "register.csv", rows)
    out, err = io.StringIO(), io.StringIO()

    call_command("import_sites", str(path), stdout=out, stderr=err)

    assert "\r[" + "#" * 24 + "." * 6 + "] 200/250" in err.getvalue()
    assert "\r[" + "#" * 30 + "] 250/250" in err.getvalue()
    assert "249 created, 0 updated, 0 unchanged, 1 rejected." in out.getvalue()
    assert "line 18 (JMD-0017): postcode: Enter exactly five digits." in out.getvalue()
    assert Site.objects.count() == 249


def test_command_dry_run_writes_nothing(tmp_path):
    columns = [*COLUMNS, "provider_group_name"]
    rows = [register_row(1, provider_group="IB", provider_group_name="Internationaler Bund e. V.")]
    out = io.StringIO()

    call_command(
        "import_sites",
        str(write_register(tmp_path / "r.csv", rows, columns=columns)),
        "--dry-run",
        stdout=out,
    )

    assert "1 created" in out.getvalue()
    assert not Site.objects.exists()
    assert not ProviderGroup.objects.exists()


@pytest.mark.parametrize("content", [None, "Köln".encode("latin-1"), b"code,name\n"])
def test_command_fails_on_an_unreadable_file(tmp_path, content):
    path = tmp_path / "register.csv"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError) as failure:
        call_command("import_sites", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert failure.value.returncode == 1
