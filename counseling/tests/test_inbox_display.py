"""An inbox row reads the same in every language now that its words, links and dates are made once per
page (counseling/inbox_display.py): the words in the reader's language, dates by hub/dates.py with the
ISO form beside them, the language name translated, links to the case and the
queue's take form. The row's markup is written in Python (inbox_display.row_html): every value in it is
escaped, and the rows keep the box's order although they are read by id."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from counseling.models import Case, Label
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from counseling.tests.test_inbox_rows import rows
from hub.dates import format_when
from hub.models import User
from hub.roles import Role
from hub.tests.factories import UserFactory
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


def test_every_value_in_a_row_is_escaped_and_the_rows_keep_the_boxs_order(client):
    essen = SiteFactory(name="JMD <Essen> & Co")
    anna = counselor_with_profile("anna", ["de"], site=essen, capacity=50)
    User.objects.filter(pk=anna.pk).update(display_name="<script>alert(1)</script>")
    youth = UserFactory(roles=[Role.YOUTH])
    User.objects.filter(pk=youth.pk).update(display_name='"><img src=x onerror=alert(2)>')
    label = Label.objects.create(name="<i>dringend</i>")
    cases = [assign_to(make_case(youth=youth, site=essen), anna) for _ in range(4)]
    due = dict(zip([case.pk for case in cases], [3, 1, 4, 2], strict=True))
    for case in cases:
        Case.objects.filter(pk=case.pk).update(answer_due_at=timezone.now() + timedelta(hours=due[case.pk]))
        case.labels.add(label)
    client.force_login(anna)
    html = client.get("/en/staff/cases/").content.decode()
    for raw in ("<script>alert(1)", "<img src=x", "<i>dringend", "<Essen>"):
        assert raw not in html
    row = rows(html)[str(cases[0].public_id)]
    assert '<bdi dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;</bdi>' in row  # the counselor, isolated
    assert '<bdi dir="auto">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</bdi>' in row  # the young person
    assert (
        "JMD &lt;Essen&gt; &amp; Co" in row
        and '<span class="badge">&lt;i&gt;dringend&lt;/i&gt;</span>' in row
    )
    shown = re.findall(r'<tr id="case-([0-9a-f-]{36})"', html)
    assert shown == [str(case.public_id) for case in sorted(cases, key=lambda case: due[case.pk])]
