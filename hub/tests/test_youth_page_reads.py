"""The young person's case list and account page read what they show with SQL built once per process
(hub/prepared.py; issue 19: building it cost more CPU than PostgreSQL took to answer), and still show
what is theirs, as it is now: their own conversations newest first, their notice address as it stands."""

import pytest
from allauth.account.models import EmailAddress
from django.db.models.sql.compiler import SQLCompiler

from counseling.models import Case
from counseling.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiled(monkeypatch):
    """The models whose SQL the ORM builds during the block."""
    models = []
    real = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        models.append(self.query.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    return models


def test_the_case_list_shows_only_ones_own_cases_newest_first_with_sql_built_once(
    client, youth, other_youth, compiled
):
    older, newer = make_case(youth=youth, topic="work"), make_case(youth=youth, topic="school")
    theirs = make_case(youth=other_youth, topic="housing")
    Case.objects.filter(pk=older.pk).update(last_message_at=newer.last_message_at.replace(year=2020))
    client.force_login(youth)
    client.get("/en/cases/")
    compiled.clear()
    html = client.get("/en/cases/").content.decode()
    assert Case not in compiled
    assert html.index(str(newer.public_id)) < html.index(str(older.public_id))
    assert str(theirs.public_id) not in html
    client.force_login(other_youth)
    html = client.get("/en/cases/").content.decode()
    assert str(theirs.public_id) in html and str(newer.public_id) not in html


def test_the_account_page_shows_the_notice_address_as_it_stands_with_sql_built_once(client, youth, compiled):
    client.force_login(youth)
    assert "Add an e-mail address for reply notices" in client.get("/en/me/").content.decode()
    EmailAddress.objects.create(user=youth, email="amira@example.org", verified=False, primary=True)
    compiled.clear()
    html = client.get("/en/me/").content.decode()
    assert EmailAddress not in compiled
    assert "amira@example.org" in html and "not confirmed yet" in html
    EmailAddress.objects.filter(user=youth).update(verified=True)
    html = client.get("/en/me/").content.decode()
    assert "amira@example.org" in html and "not confirmed yet" not in html
