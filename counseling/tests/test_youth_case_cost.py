"""The young person's own case page costs the same per request whatever the conversation holds, beyond
formatting each line (issue 19, counseling/youth_case_page.py): one cipher set up for the case's key, not
one per message; the messages read as rows, not as model instances of each message and its author."""

import sys

import pytest
from django.db.models.signals import post_init

from counseling import services
from counseling.models import Message
from counseling.tests.factories import counselor_with_profile, make_case
from hub import crypto
from hub.models import User
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counselor():
    return counselor_with_profile("berta", ["de"], site=SiteFactory(slug="essen", name="JMD Essen"))


def _conversation(youth, counselor, *, messages: int):
    case = make_case(youth=youth, language="de")
    if case.counselor_id != counselor.pk:
        from counseling import routing

        routing.assign(case, counselor)
    for number in range(1, messages):
        staff = number % 2 == 1
        services.message_send(
            case=case, author=counselor if staff else youth, body=f"Nachricht {number}\nzweite Zeile"
        )
    return case


def _get(client, case, language="de") -> str:
    response = client.get(f"/{language}/cases/{case.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ciphers(monkeypatch):
    """Every cipher set up from a key (the master key's and the data keys'), counted."""
    made = []
    real = crypto.AESGCM

    def counted(key):
        made.append(len(key))
        return real(key)

    counted.generate_key = real.generate_key  # new cases' keys
    monkeypatch.setattr(crypto, "AESGCM", counted)
    return made


def test_the_page_sets_one_cipher_up_for_the_case_whatever_it_holds(client, youth, counselor, ciphers):
    short = _conversation(youth, counselor, messages=2)
    long = _conversation(youth, counselor, messages=12)
    client.force_login(youth)
    _get(client, short)  # the session's first request
    counts = []
    for case in (short, long):
        ciphers.clear()
        html = _get(client, case)
        counts.append(len(ciphers))
    assert "Nachricht 11" in html and "zweite Zeile" in html  # every message opened
    # The master key's (to unwrap the case's key) and the case's: not one per message.
    assert counts == [2, 2]


def test_the_page_builds_no_model_instance_per_message(client, youth, counselor):
    short = _conversation(youth, counselor, messages=2)
    long = _conversation(youth, counselor, messages=12)
    client.force_login(youth)
    _get(client, short)
    built = []

    def count(sender, **kwargs):
        built.append(sender.__name__)

    counts = []
    post_init.connect(count, sender=Message)
    post_init.connect(count, sender=User)
    try:
        for case in (short, long):
            built.clear()
            html = _get(client, case)
            counts.append(sorted(built))
    finally:
        post_init.disconnect(count, sender=Message)
        post_init.disconnect(count, sender=User)
    assert "Nachricht 11" in html and 'id="latest"' in html
    assert counts[0] == counts[1]  # the signed-in user and the counselor's name, not a message
    assert "Message" not in counts[1]


def test_a_message_whose_author_account_is_gone_reads_your_counselor(client, youth, counselor):
    case = _conversation(youth, counselor, messages=2)
    Message.objects.filter(case=case, from_staff=True).update(author=None)
    client.force_login(youth)
    html = _get(client, case, "en")
    assert "Nachricht 1" in html and '<strong><bdi dir="auto">Your counselor</bdi></strong>' in html


def _calls_and_raises(work) -> tuple[int, int]:
    """The Python function calls `work()` makes and the exceptions raised in them (caught or not): counts
    that no load on the machine skews (bench/youth_profile.py prints the calls per request)."""
    monitoring = sys.monitoring
    tool = next(tool for tool in range(6) if monitoring.get_tool(tool) is None)
    counts = [0, 0]

    def started(code, offset):
        counts[0] += 1

    def raised(code, offset, exception):
        counts[1] += 1

    monitoring.use_tool_id(tool, "case page cost")
    monitoring.register_callback(tool, monitoring.events.PY_START, started)
    monitoring.register_callback(tool, monitoring.events.RAISE, raised)
    monitoring.set_events(tool, monitoring.events.PY_START | monitoring.events.RAISE)
    try:
        work()  # the test client's request runs in this thread
    finally:
        monitoring.set_events(tool, 0)
        monitoring.free_tool_id(tool)
    return counts[0], counts[1]


def test_each_further_message_costs_a_bounded_number_of_calls_and_no_exception(client, youth, counselor):
    """The page's cost per message (issue 19): its values are computed once and written into the line's
    markup in Python (counseling/youth_case_page.py conversation_html), already HTML (the template's
    escaping of each went through Django's wrappers), its id as text (no number formatting), its body
    escaped without the filter's wrappers, the case's language attribute looked up once for the page.
    A further message cost 178 Python calls and 9 exceptions through the template's per-message tags
    and filters, 133 and none through a template loop over precomputed values; now about 25."""
    short = _conversation(youth, counselor, messages=2)
    long = _conversation(youth, counselor, messages=12)
    client.force_login(youth)
    for case in (short, long):
        _get(client, case)  # warm: the session, the fragments, the template
    (calls, raises), (more_calls, more_raises) = (
        _calls_and_raises(lambda case=case: _get(client, case)) for case in (short, long)
    )
    assert "Nachricht 11" in _get(client, long)
    assert (more_calls - calls) / 10 <= 30
    assert more_raises == raises
