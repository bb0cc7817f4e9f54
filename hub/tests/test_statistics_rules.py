"""Issue 16, funder statistics that are right: what a hidden cell says, medians and shares never hidden as
counts, no blank or "None" rows, the monthly figures equal to counting the events, the rebuild command,
and a constant number of queries."""

import csv
import io
import random
import statistics as pystats
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from hub.models import StatEvent, StatMonth
from hub.stat_months import DIMENSION_FIELD
from hub.statistics import COUNT_KINDS, Channel, StatKind, stat_record, stat_table
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


@pytest.fixture(autouse=True)
def english():
    """The cell texts are compared in English; the German catalogue says "unterdrückt"."""
    with translation.override("en"):
        yield


def record(kind, n, **extra):
    for _ in range(n):
        stat_record(kind, on=date(YEAR, 3, 10), **extra)


def test_a_cell_hidden_by_secondary_suppression_says_suppressed_never_a_false_small_number(
    client, coordinator
):
    record(StatKind.ENQUIRY, 3, language="ru", channel="mail")
    record(StatKind.ENQUIRY, 110, language="tr", channel="mail")
    record(StatKind.ENQUIRY, 400, language="de", channel="mail")
    table = stat_table(year=YEAR, by="language")
    cells = {row.key: row.cells["enquiry"] for row in table.rows}
    assert cells["ru"].shown == "< 5"
    assert cells["tr"].suppressed and cells["tr"].shown == "suppressed"  # 110 is hidden, not "< 5"
    assert cells["de"].shown == "400" and table.total.cells["enquiry"].shown == "513"

    client.force_login(coordinator)
    page = client.get(f"/en/staff/statistics/?year={YEAR}&by=language").content.decode()
    turkish_row = page.split('<th scope="row">Turkish</th>')[1].split("</tr>")[0]
    assert turkish_row.startswith('<td class="suppressed">suppressed</td>')
    assert "&lt; 5" not in turkish_row.split("</td>")[0]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/en/staff/statistics/export.csv?year={YEAR}&by=language").content.decode()
            )
        )
    )
    by_label = {row[0]: row for row in rows[1:]}
    assert (by_label["Russian"][1], by_label["Turkish"][1], by_label["German"][1]) == (
        "< 5",
        "suppressed",
        "400",
    )


def test_a_median_and_a_share_are_never_suppressed_as_counts():
    # Russian: 3 answers (too few for a median), Turkish: 8 answers, whose count is hidden by secondary
    # suppression; German: 40.
    for language, minutes in (("ru", [60] * 3), ("tr", [600] * 4 + [3000] * 4), ("de", [120] * 40)):
        for m in minutes:
            stat_record(
                StatKind.FIRST_ANSWER, on=date(YEAR, 5, 2), language=language, value=m, flag=m <= 2880
            )
    table = stat_table(year=YEAR, by="language")
    cells = {row.key: row.cells for row in table.rows}
    assert cells["tr"]["first_answers"].shown == "suppressed"
    assert cells["tr"]["median_hours"].value == 30.0 and cells["tr"]["within_48h"].shown == "50"
    assert cells["ru"]["median_hours"].shown == "too few answers" != "< 5"
    assert cells["ru"]["within_48h"].shown == "too few answers"
    for row in [*table.rows, table.total]:
        for column in ("median_hours", "within_48h"):
            assert row.cells[column].shown != "< 5" and row.cells[column].hidden != "secondary"
    assert table.total.cells["median_hours"].value == 2.0


def test_unknown_values_are_one_not_stated_row_never_blank_or_none(client, coordinator):
    site = SiteFactory(name="JMD Essen")
    record(StatKind.ENQUIRY, 6, site=site, language="de", channel="mail", topic="work")
    record(StatKind.ENQUIRY, 7)  # no site, channel, language or topic
    client.force_login(coordinator)
    for by in ("site", "provider_group", "channel", "language", "topic", "month"):
        table = stat_table(year=YEAR, by=by)
        labels = [row.label for row in table.rows]
        assert all(label.strip() and label != "None" for label in labels), (by, labels)
        if by != "month":
            assert labels[-1] == "not stated" and len(labels) == 2, (by, labels)
        page = client.get(f"/en/staff/statistics/?year={YEAR}&by={by}").content.decode()
        assert '<th scope="row"></th>' not in page and '<th scope="row">None</th>' not in page
        assert ">None<" not in page
    page = client.get(f"/de/staff/statistics/?year={YEAR}&by=site").content.decode()
    assert '<th scope="row">nicht angegeben</th>' in page or '<th scope="row">not stated</th>' in page


def test_the_monthly_figures_equal_counting_the_raw_events():
    """Property-style: random events, every table and filter equals the computation from the events."""
    rng = random.Random(16)  # noqa: S311
    sites = [SiteFactory(), SiteFactory(), None]
    for _ in range(400):
        kind = rng.choice(list(StatKind))
        stat_record(
            kind,
            on=date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
            site=rng.choice(sites),
            channel=rng.choice([Channel.MAIL, Channel.CHAT, ""]),
            language=rng.choice(["de", "ar", "ru", ""]),
            topic=rng.choice(["work", "housing", ""]),
            value=rng.randint(0, 5000) if kind == StatKind.FIRST_ANSWER else None,
            flag=rng.random() < 0.7 if kind == StatKind.FIRST_ANSWER else None,
        )
    field = {
        "site": "site_ref",
        "provider_group": "provider_group_ref",
        "channel": "channel",
        "language": "language",
        "topic": "topic",
    }
    selections = [({}, by) for by in ("month", *field)] + [
        ({"language": "de"}, "site"),
        ({"channel": "mail", "topic": "work"}, "month"),
        ({"site": sites[0].pk}, "language"),
    ]
    for filters, by in selections:
        events = [
            e
            for e in StatEvent.objects.filter(day__year=YEAR)
            if all(getattr(e, field[d]) == v for d, v in filters.items())
        ]

        def key_of(event, by=by):
            return event.day.month if by == "month" else (getattr(event, field[by]) or None)

        table = stat_table(year=YEAR, filters=filters, by=by)
        for row in [*table.rows, table.total]:
            mine = [e for e in events if row.key == "total" or key_of(e) == row.key]
            for kind in COUNT_KINDS:
                assert row.cells[kind].value == sum(e.kind == kind for e in mine), (
                    filters,
                    by,
                    row.label,
                    kind,
                )
            answers = [e for e in mine if e.kind == StatKind.FIRST_ANSWER]
            assert row.cells["first_answers"].value == len(answers)
            if len(answers) >= 5:
                assert row.cells["median_hours"].value == round(
                    pystats.median(e.value for e in answers) / 60, 1
                )
                assert row.cells["within_48h"].value == round(
                    100 * sum(e.flag for e in answers) / len(answers)
                )


def test_the_rebuild_command_recomputes_the_monthly_figures_from_the_events():
    site = SiteFactory()
    record(StatKind.ENQUIRY, 6, site=site, language="de", channel="mail")
    stat_record(StatKind.FIRST_ANSWER, on=date(YEAR, 3, 11), site=site, value=90, flag=True)
    before = sorted(
        StatMonth.objects.values_list("dimension", "month", "kind", "site_ref", "language", "n", "within")
    )
    StatMonth.objects.filter(kind="enquiry").update(n=999)  # figures in doubt
    StatEvent.objects.bulk_create(
        [StatEvent(kind="message", day=date(YEAR, 4, 1), language="ar")]
    )  # bypassed
    out = StringIO()
    call_command("stats_rebuild", stdout=out)
    after = sorted(
        StatMonth.objects.values_list("dimension", "month", "kind", "site_ref", "language", "n", "within")
    )
    messages = [row for row in after if row[2] == "message"]
    assert [row for row in after if row[2] != "message"] == before
    # One row of the full combination and one per dimension (the country of residence too: issue 20).
    assert {(row[0], row[5]) for row in messages} == {(d, 1) for d in ("", *DIMENSION_FIELD)}
    assert "rebuilt" in out.getvalue()
    call_command("stats_rebuild", stdout=StringIO())  # twice is the same
    assert (
        sorted(
            StatMonth.objects.values_list("dimension", "month", "kind", "site_ref", "language", "n", "within")
        )
        == after
    )


def test_the_page_costs_the_same_queries_however_many_rows_and_filters(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    sites = [SiteFactory() for _ in range(30)]
    for site in sites:
        record(StatKind.ENQUIRY, 5, site=site, language="de", channel="mail")
        stat_record(StatKind.FIRST_ANSWER, on=date(YEAR, 2, 2), site=site, value=30, flag=True)
    for query in (
        f"year={YEAR}&by=site",
        f"year={YEAR}",
        f"year={YEAR}&by=topic&language=de&site={sites[0].pk}",
    ):
        with django_assert_max_num_queries(20):  # sign-in checks, years, figures, medians, labels, filters
            response = client.get(f"/en/staff/statistics/?{query}")
        assert response.status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(f"/en/staff/statistics/report/{YEAR}/").status_code == 200
