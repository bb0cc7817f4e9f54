"""An inbox row reads the same in every language now that its words, links and dates are made once per
page (counseling/inbox_display.py): the words in the reader's language, dates by hub/dates.py with the
ISO form beside them, the language name translated, links to the case and the
queue's take form."""

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from counseling.tests.test_inbox_rows import rows
from hub.dates import format_when
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_row_reads_in_the_readers_language(client, language):
    essen = SiteFactory(name="JMD Essen")
    anna = counselor_with_profile("anna", ["de", "uk"], site=essen, capacity=50)
    case = assign_to(make_case(language="uk", site=essen), anna)
    client.force_login(anna)
    html = client.get(f"/{language}/staff/cases/").content.decode()
    row = rows(html)[str(case.public_id)]
    case.refresh_from_db()
    at = case.last_message_at or case.created_at
    with translation.override(language):
        words = [gettext("Case"), gettext("Last activity"), gettext("unread"), gettext("Answer due")]
        words += [pgettext("wrote last", "young person"), translation.gettext("Ukrainian")]
        when = format_when(at, "datetime")
        due = format_when(case.answer_due_at, "datetime")
    for word in words:
        assert escape(word) in row
    assert f'<time datetime="{timezone.localtime(at).isoformat()}">{when}</time>' in row
    assert f">{due}</time>" in row
    assert f'href="/{language}/staff/cases/{case.public_id}/"' in row


def test_a_queued_row_links_its_take_form(client):
    essen = SiteFactory(name="JMD Essen")
    counselor_with_profile("anna", ["de"], site=essen, capacity=50, is_absent=True)
    case = make_case(site=essen)  # nobody present: it waits in the queue
    bert = counselor_with_profile("bert", ["de"], site=essen, capacity=50)
    client.force_login(bert)
    row = rows(client.get("/ar/staff/cases/?box=queue").content.decode())[str(case.public_id)]
    assert f'action="/ar/staff/cases/{case.public_id}/take/"' in row
    with translation.override("ar"):
        assert escape(gettext("Take")) in row
