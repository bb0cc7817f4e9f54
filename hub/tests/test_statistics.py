"""Statistics for coordinators: recorded when things happen, small counts suppressed, SVG chart, CSV,
yearly report; only coordinators get in."""

import csv
import io
from datetime import date

import pytest
from django.utils import timezone

from counseling import services
from counseling.models import CounselorProfile
from counseling.tests.factories import make_case
from hub.models import AuditEntry, StatEvent
from hub.statistics import StatKind, stat_record, stat_table
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def enquiries(n: int, *, language="de", site=None, on=None):
    for _ in range(n):
        stat_record(
            StatKind.ENQUIRY, on=on or date(YEAR, 3, 10), channel="mail", language=language, site=site
        )


def test_the_services_record_enquiry_message_and_first_answer_without_any_person(youth, counselor):
    CounselorProfile.objects.create(user=counselor, languages=["de"])
    case = make_case(youth=youth, language="de", topic="housing")
    services.message_send(case=case, author=counselor, body="Antwort")
    services.message_send(case=case, author=counselor, body="Noch eine")
    kinds = sorted(StatEvent.objects.values_list("kind", flat=True))
    assert kinds == ["active_case", "enquiry", "first_answer", "message", "message", "message"]
    first = StatEvent.objects.get(kind="first_answer")
    assert first.flag is True and first.value == 0 and first.topic == "housing" and first.language == "de"
    field_names = {field.name for field in StatEvent._meta.get_fields()}
    assert not field_names & {"user", "youth", "case", "counselor", "actor"}


def test_a_cell_with_three_cases_shows_as_suppressed(client, coordinator):
    enquiries(3, language="ru")
    enquiries(7, language="de")
    enquiries(9, language="tr")
    table = stat_table(year=YEAR, by="language")
    cells = {row.key: row.cells["enquiry"] for row in table.rows}
    assert (cells["ru"].shown, cells["de"].shown, cells["tr"].shown) == ("< 5", "7", "9") or cells[
        "ru"
    ].suppressed
    assert cells["ru"].suppressed and cells["ru"].shown == "< 5"

    client.force_login(coordinator)
    page = client.get(f"/en/staff/statistics/?year={YEAR}&by=language").content.decode()
    russian_row = page.split('<th scope="row">Russian</th>')[1].split("</tr>")[0]
    assert russian_row.startswith('<td class="suppressed">&lt; 5</td>')
    assert ">3<" not in page.replace(" ", "")


def test_a_single_suppressed_cell_takes_the_next_smallest_with_it_so_the_total_gives_nothing_away():
    enquiries(3, language="ru")
    enquiries(7, language="de")
    enquiries(9, language="tr")
    table = stat_table(year=YEAR, by="language")
    cells = {row.key: row.cells["enquiry"] for row in table.rows}
    assert table.total.cells["enquiry"].shown == "19"
    assert cells["de"].suppressed and not cells["tr"].suppressed  # 19 - 9 = ru + de: ru stays hidden


def test_medians_rest_on_five_answers_or_are_hidden():
    for minutes in (60, 120, 180, 240):
        stat_record(StatKind.FIRST_ANSWER, on=date(YEAR, 2, 1), value=minutes, flag=True)
    table = stat_table(year=YEAR, by="month")
    assert table.total.cells["median_hours"].suppressed
    stat_record(StatKind.FIRST_ANSWER, on=date(YEAR, 2, 1), value=3000, flag=False)
    table = stat_table(year=YEAR, by="month")
    assert (table.total.cells["median_hours"].value, table.total.cells["within_48h"].value) == (3.0, 80)


def test_the_csv_export_has_the_same_suppression_and_is_audited(client, coordinator):
    enquiries(3, language="ru")
    enquiries(12, language="de")
    enquiries(12, language="tr")
    client.force_login(coordinator)
    response = client.get(f"/en/staff/statistics/export.csv?year={YEAR}&by=language")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Language", "New enquiries"]
    by_label = {row[0]: row for row in rows[1:]}
    assert by_label["Russian"][1] == "< 5"
    assert by_label["Total"][1] == "27"
    assert AuditEntry.objects.filter(
        action="export.made", target_type="statistics", actor=coordinator
    ).exists()


def test_the_chart_is_server_rendered_svg_and_the_page_loads_nothing_from_elsewhere(client, coordinator):
    enquiries(8, on=date(YEAR, 1, 5))
    enquiries(2, on=date(YEAR, 2, 5))
    client.force_login(coordinator)
    page = client.get(f"/en/staff/statistics/?year={YEAR}").content.decode()
    assert '<svg class="bar-chart"' in page and 'class="bar-suppressed"' in page
    assert "https://" not in page.split("<main")[1]


def test_the_page_costs_the_same_queries_however_many_sites(
    client, coordinator, django_assert_max_num_queries
):
    for _ in range(30):
        enquiries(5, site=SiteFactory())
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(f"/en/staff/statistics/?year={YEAR}&by=site")
    assert response.content.decode().count('<th scope="row">') == 31  # 30 sites and the total


def test_filters_narrow_the_figures(client, coordinator):
    from sites.tests.factories import ProviderGroupFactory

    berlin = SiteFactory()
    hamburg = SiteFactory(provider_group=ProviderGroupFactory(short_name="IB", name="Internationaler Bund"))
    enquiries(6, site=berlin)
    enquiries(8, site=hamburg)
    table = stat_table(year=YEAR, filters={"site": berlin.pk})
    assert table.total.cells["enquiry"].value == 6
    table = stat_table(year=YEAR, filters={"provider_group": hamburg.provider_group_id})
    assert table.total.cells["enquiry"].value == 8


def test_the_yearly_report_is_printable_and_shows_every_breakdown(client, coordinator):
    enquiries(9, language="de")
    client.force_login(coordinator)
    page = client.get(f"/en/staff/statistics/report/{YEAR}/").content.decode()
    for heading in ("By Month", "By Channel", "By Language", "By Topic", "By Provider group"):
        assert heading in page
    assert "AMIF" in page


def test_bad_filters_show_a_message_and_keep_the_rest(client, coordinator):
    enquiries(6)
    client.force_login(coordinator)
    page = client.get(f"/en/staff/statistics/?year={YEAR}&month=13&language=de").content.decode()
    assert "Select a valid choice" in page
    assert 'value="de" selected' in page


def test_only_coordinators_see_statistics(client, counselor, youth):
    for user in (counselor, youth):
        client.force_login(user)
        assert client.get("/en/staff/statistics/").status_code == 403
        assert client.get("/en/staff/statistics/export.csv").status_code == 403
        assert client.get(f"/en/staff/statistics/report/{YEAR}/").status_code == 403
    assert not AuditEntry.objects.filter(action="export.made").exists()


def test_the_backfill_builds_figures_from_existing_data_once(youth, counselor):
    from io import StringIO

    from django.core.management import call_command

    CounselorProfile.objects.create(user=counselor, languages=["de"])
    case = make_case(youth=youth)
    services.message_send(case=case, author=counselor, body="Antwort")
    StatEvent.objects.all().delete()
    call_command("stats_backfill", stdout=StringIO())
    kinds = sorted(StatEvent.objects.values_list("kind", flat=True))
    assert kinds == ["active_case", "enquiry", "first_answer", "message", "message"]
    out = StringIO()
    call_command("stats_backfill", stdout=out)
    assert StatEvent.objects.count() == 5 and "already" in out.getvalue()
