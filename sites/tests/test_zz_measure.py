import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sites import finder, importer
from sites.models import Site
from sites.tests.factories import ProviderGroupFactory
from sites.tests.test_importer import register_row, write_register


@pytest.mark.django_db
def test_measure(tmp_path):
    ProviderGroupFactory(short_name="AWO")
    rows = [register_row(n) for n in range(1, 501)]
    p = write_register(tmp_path / "r.csv", rows)
    for label in ["create", "unchanged"]:
        with CaptureQueriesContext(connection) as c:
            importer.sites_import(rows=importer.read_csv(p))
        print(connection.vendor, label, len(c.captured_queries))
    for r in rows:
        r["phone"] = "1"
    write_register(p, rows)
    with CaptureQueriesContext(connection) as c:
        rep = importer.sites_import(rows=importer.read_csv(p))
    print(connection.vendor, "update500", len(c.captured_queries), rep.updated)
    rows[3]["phone"] = "2"
    write_register(p, rows)
    with CaptureQueriesContext(connection) as c:
        rep = importer.sites_import(rows=importer.read_csv(p))
    print(connection.vendor, "update1", len(c.captured_queries), rep.updated)
    for q in c.captured_queries:
        print("   ", q["sql"][:100])
    with CaptureQueriesContext(connection) as c:
        finder.sites_nearest(origin=finder.Origin(50, 10, "x", "town"), language="ar")
    print("nearest", len(c.captured_queries))
    print(c.captured_queries[0]["sql"][:600])
    for q in ["10115", "01067", "Koeln", "kleinkleckersdorf"]:
        with CaptureQueriesContext(connection) as c:
            finder.locate(q)
        print("locate", q, len(c.captured_queries))
    s = Site.objects.first()
    print(repr(s.__dict__.get("description")), repr(s.description_de), repr(s.description_en))
