"""The young person's own case page read cheaply (issue 19, counseling/youth_case_page.py): what a case
lacks costs no query, what it has is shown; the reply form's shared fragments render as the generic form
does and never carry one person's draft key to another; a changed retention period shows at once."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from counseling import sealing
from counseling.models import Attachment, CallbackRequest, CounselorProfile, Message
from counseling.tests.factories import counselor_with_profile, make_case
from counseling.tests.test_youth_case_queries import CASE_PAGE_QUERIES
from counseling.voice_forms import CaseReplyForm
from hub import fragments
from hub.drafts import draft_attrs, draft_name
from hub.retention import purge_day, retention_policy_set
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counselor():
    return counselor_with_profile("berta", ["de", "en"], site=SiteFactory(slug="essen", name="JMD Essen"))


def _page(client, case, language="en"):
    url = f"/{language}/cases/{case.public_id}/"
    client.get(url)  # warm: the session's first request and the shared fragments
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def _attach(case, name: str) -> None:
    message = Message.objects.filter(case=case).first()
    Attachment.objects.create(
        message=message,
        uploaded_by=case.youth,
        name_sealed=sealing.seal(case, name, purpose="attachment-name"),
        data_sealed=sealing.seal(case, b"%PDF-", purpose="attachment"),
        content_type="application/pdf",
        size=5,
    )


def _callback(case) -> None:
    slot = (timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    CallbackRequest.objects.create(
        case=case, slots=[slot.isoformat()], last_slot_ends_at=slot + timedelta(minutes=30)
    )


def test_what_a_case_lacks_costs_no_query_and_each_part_shows_once_there(client, youth, counselor):
    case = make_case(youth=youth, language="en")
    client.force_login(youth)
    html, queries = _page(client, case)
    # No attachments, no callback request, the counselor present: nothing asked beyond the one statement.
    assert queries == CASE_PAGE_QUERIES - 1
    assert 'class="attachments"' not in html and "We will call you" not in html
    assert '<p class="absence">' not in html

    _attach(case, "zeugnis.pdf")
    html, queries = _page(client, case)
    assert queries == CASE_PAGE_QUERIES and "zeugnis.pdf" in html

    _callback(case)
    CounselorProfile.objects.filter(user=case.counselor).update(is_absent=True)
    html, queries = _page(client, case)
    assert queries == CASE_PAGE_QUERIES + 2
    assert "We will call you at one of these times" in html
    assert '<p class="absence">' in html


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("language", ["de", "ar"])
@pytest.mark.parametrize("bound", [False, True], ids=["blank", "with-errors"])
def test_the_reply_form_renders_as_the_generic_form_does(rf, youth, language, bound):
    """The case page renders its reply form itself (counseling/includes/reply_fields.html, with shared
    fragments); it must read exactly as includes/form.html renders the same form, blank and with errors."""
    fragments.local.clear()
    data = {"body": "", "idempotency_key": str(uuid.uuid4())} if bound else None
    form = CaseReplyForm(data, {} if bound else None, initial={"idempotency_key": uuid.uuid4()})
    form.fields["body"].widget.attrs.update(draft_attrs(youth, "case-x"))  # as the view does
    with translation.override(language):
        for _ in range(2):  # the second time from the fragments
            context = {"form": form, "draft_key": draft_name(youth, "case-x")}
            own = render_to_string("counseling/includes/reply_fields.html", context)
            generic = render_to_string("includes/form.html", {"form": form})
            assert _normalised(own) == _normalised(generic)
    assert ("field-invalid" in own) == bound


def test_one_persons_draft_key_never_reaches_another(client, youth, other_youth, counselor):
    """The reply form's shared fragments hold nothing of the reader: each page carries its own reader's
    draft key and case, also when the fragments were built for someone else."""
    fragments.local.clear()
    mine, theirs = make_case(youth=youth, language="en"), make_case(youth=other_youth, language="en")
    client.force_login(youth)
    my_html, _ = _page(client, mine)
    client.force_login(other_youth)
    their_html, _ = _page(client, theirs)
    assert f'data-draft="{youth.pk}:case-{mine.public_id}"' in my_html
    assert f'data-draft="{other_youth.pk}:case-{theirs.public_id}"' in their_html
    assert str(mine.public_id) not in their_html and f'data-draft="{youth.pk}:' not in their_html
    assert 'name="voice"' in their_html and 'name="attachments"' in their_html


def test_each_page_from_the_kept_reply_form_gets_its_own_idempotency_key(client, youth, counselor):
    """The blank reply form is one kept fragment; its idempotency key is a fresh part, new on every page
    (the same key on two pages would make the second send a repeat of the first)."""
    fragments.local.clear()
    case = make_case(youth=youth, language="en")
    client.force_login(youth)
    pages = [_page(client, case)[0] for _ in range(2)]  # each the second request: from the fragment
    keys = {re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)[1] for html in pages}
    assert len(keys) == 2
    assert not any(key in str(fragments.local.items) for key in keys)


def test_a_changed_retention_period_shows_on_the_case_page_at_once(client, youth, counselor, coordinator):
    case = make_case(youth=youth, language="en")
    client.force_login(youth)
    _page(client, case)  # the periods are kept now
    retention_policy_set(key="inactive_cases", value=120, actor=coordinator)
    html, _ = _page(client, case)
    day = purge_day(case.last_message_at + timedelta(days=120))
    assert f"{day.day} {day:%B} {day.year}" in html  # en_GB: "9 January 2027"


# The conversation's markup as the template wrote it with a dozen lookups, filters and tags per message,
# before counseling/youth_case_page.py lines() computed each line's values once: the page must read the same.
_THREAD_AS_TEMPLATE = """{% load i18n content_lang bidi dates %}<ol class="thread" data-case-live="thread">
{% for item in thread %}
  <li class="message {% if item.message.from_staff %}from-staff{% else %}from-me{% endif %}" data-message="{{ item.message.pk }}"{% if forloop.last %} id="latest"{% endif %}>
    <p class="meta"><strong>{% if item.message.from_staff %}{{ item.message.author.get_full_name|default:_("Your counselor")|isolated }}{% else %}{% translate "You" %}{% endif %}</strong>
      · <time datetime="{{ item.at|date:'c' }}">{{ item.at|when:"datetime" }}</time></p>
    <div class="body"{% content_lang case.language %}>{{ item.body|linebreaksbr }}</div>
    {% if item.attachments %}{% include "counseling/includes/attachments.html" %}{% endif %}
  </li>
{% endfor %}
</ol>"""  # noqa: E501


@pytest.mark.parametrize("attached", [True, False], ids=["attachment", "no-attachment"])
@pytest.mark.parametrize("language", ["de", "ar", "en"])
def test_the_conversation_reads_as_the_template_wrote_it(client, youth, counselor, language, attached):
    """Names in another script, markup and line breaks in a body, an attachment (or none: the messages
    are then read as rows alone), both sides, the newest marked: each line of the page equals what the
    per-message template rendered, in each language."""
    from django.template import engines

    from counseling import selectors, services
    from hub.models import User

    case = make_case(youth=youth, language="ar", body='Hallo <b>"du"</b> & ich\nzweite Zeile')
    User.objects.filter(pk=counselor.pk).update(display_name="سارة", first_name="", last_name="")
    counselor.refresh_from_db()
    case.counselor = counselor
    case.save(update_fields=["counselor"])
    services.message_send(case=case, author=counselor, body="Antwort <i>eins</i>\n\nmit Absatz")
    if attached:
        _attach(case, "zeugnis <1>.pdf")
    client.force_login(youth)
    html, _ = _page(client, case, language)
    shown = re.search(r'<ol class="thread".*?</ol>', html, re.S).group(0)
    with translation.override(language):
        expected = (
            engines["django"]
            .from_string(_THREAD_AS_TEMPLATE)
            .render({"thread": selectors.thread_for_participant(case), "case": case})
        )
    assert _normalised(shown) == _normalised(expected)
    assert "&lt;b&gt;" in shown and "<br>" in shown and '<bdi dir="auto">سارة</bdi>' in shown
