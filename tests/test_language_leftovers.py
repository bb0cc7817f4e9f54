"""Every page, for every role, in every language reads in that language (issue 18, point 3).

Enumerated, not sampled: the pages are every URL pattern of the resolver with the objects of the input
fuzz test's world (tests/test_input_fuzz.py: a new route without arguments there fails that test, so
it is covered here too), rendered with the test client for each role that may open them, in each of
the eight languages. Each page's visible text (tests/leftovers.py) must hold no string of another
language's catalogue, no English source string its own catalogue translates and no raw code. A failure
names the language, the role, the page and the string.

The same responses carry the check of the legal footer (tests/test_legal_footer.py: every page links
each legal page in its own language): rendering every page in every language is the walk's cost, so
the checks of one page share one rendering of it.
"""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from counseling.tests.factories import counselor_with_profile
from hub.legal.services import legal_pages_ensure
from hub.roles import Role
from hub.tests.factories import staff_with_totp
from sites.models import Site
from tests import test_input_fuzz
from tests.fuzzing import unrecorded_templates
from tests.leftovers import CODES, page_offences, text_offences, visible_text
from tests.test_input_fuzz import page_url, staff_pages, youth_routes
from tests.test_legal_footer import footer_offence

# The fuzz test's world of objects (and the chat hours it is built in), shared as fixtures: built once
# for this module, with its young person (tests/shared_rows.py).
chat_hours, world_once, world, youth = (
    test_input_fuzz.chat_hours,
    test_input_fuzz.world_once,
    test_input_fuzz.world,
    test_input_fuzz.youth,
)

# One worker of a parallel run takes the whole module: the world is built once (not once per worker that
# gets a language), and the pages that are no page of their own (NOT_A_PAGE) are learnt once, by the first
# language, as in a serial run, instead of by the first language on each worker.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("language walk")]

STAFF_ROLES = ("counselor", "trainee", "mentor", "site lead", "coordinator", "editor", "online mentor")
HTML = "text/html"


@pytest.fixture(scope="module")
def actors_once(world_once, django_db_blocker):
    """One person per role, built once with the world (and rolled back with it)."""
    world, _kept = world_once
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(timezone, "now", lambda: test_input_fuzz.TUESDAY_11)  # as the world was built
        site = Site.objects.get(slug=world["staff args"]["sites_staff:edit"]["slug"])
        legal_pages_ensure()  # every footer links each kind of legal page
        return {
            "anonymous": None,
            "youth": world["youth"],
            "guest": world["guest"],
            "partner": world["partner"],
            "counselor": counselor_with_profile("counselor_plain", ["de", "tr"], site=site),
            "trainee": counselor_with_profile("trainee_tom", ["de"], trainee=True),
            "mentor": counselor_with_profile("mentor_mia", ["de"], roles=[Role.COUNSELOR, Role.MENTOR]),
            "site lead": world["counselor"],  # counselor and lead of the world's site
            "coordinator": staff_with_totp(username="coordinator_bea", roles=[Role.COORDINATOR]),
            "editor": staff_with_totp(username="editor_eva", roles=[Role.EDITOR]),
            "online mentor": world["online mentor"],  # holds office hours, has recorded a social space
        }


@pytest.fixture
def actors(actors_once, world):
    return actors_once


@pytest.fixture
def coordinator(actors):
    """The actors' coordinator (conftest's `coordinator`, built with them)."""
    return actors["coordinator"]


def _roles_for(route):
    if route.name.startswith("partners:"):
        return ("anonymous", "youth", "partner")
    if route.name.startswith("counseling:"):
        return ("anonymous", "youth", "guest")
    if route.name.startswith(("account_", "mfa_")):
        # Sign-in, password and two-factor pages are staff pages too.
        return ("anonymous", "youth", "counselor", "partner")
    return ("anonymous", "youth")


def in_language(url: str, language: str) -> str:
    return f"/{language}/{url[4:]}" if url.startswith("/de/") else url


def pages(world):
    """(roles, url in German) for every page; the staff pages for every staff role."""
    for route in youth_routes():
        yield _roles_for(route), page_url(route, world, _roles_for(route)[-1])
    for url in staff_pages(world):
        if not url.startswith("/staff/cms/"):  # the CMS follows the editor's language: test_cms_language
            yield STAFF_ROLES, url


class Reader:
    def __init__(self, actors):
        self.actors, self.clients, self.requests = actors, {}, 0

    def get(self, role, url, language):
        if role not in self.clients:
            # The language comes from the URL; pages without a prefix (documents) read the browser's.
            self.clients[role] = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
            if self.actors[role] is not None:
                self.clients[role].force_login(
                    self.actors[role], backend="django.contrib.auth.backends.ModelBackend"
                )
        self.requests += 1
        response = self.clients[role].get(url)
        if self._signed_out(role, response):  # the next request starts afresh
            self.clients.pop(role)
        return response

    def _signed_out(self, role, response) -> bool:
        """A new session cookie ends a visitor's client; a signed-in client only when the page signed it
        out. Staff pages renew the cookie on every request (the idle timer), and signing in again for
        each of them was a third of this test's time."""
        if "sessionid" not in response.cookies:
            return False
        return self.actors[role] is None or "_auth_user_id" not in self.clients[role].session


# (role, page) pairs that answered with anything but a page of their own (a redirect, 405, a file) or a 403/
# 404 page: who may open what does not depend on the language, so after the first language they are left
# out (the error pages themselves were read in that language, and are read in every language where a
# youth route answers 404).
NOT_A_PAGE: set[tuple[str, str]] = set()
_ROUTE_OF = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+")  # ids differ from one test's world to the next

# A page whose visible text for one role is word for word another role's (the person's own name aside) in
# German and in English is rendered from the same template branches with the same strings for both: the
# languages after those two read it once, for the first of these roles. The two languages are learnt from,
# not skipped in; a run of a later language alone (-k ar) reads every role's page.
LEARNT_FROM = ("de", "en")
TEXT_OF: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {code: {} for code in LEARNT_FROM}


def _same_text_as_another_role(pairs) -> set[tuple[str, str]]:
    """(role, page) pairs with the text of an earlier role on that page in every language learnt from."""
    repeats, first_of = set(), {}
    for role, route in pairs:
        texts = tuple(TEXT_OF[code].get((role, route)) for code in LEARNT_FROM)
        if None in texts:
            continue
        if (route, texts) in first_of:
            repeats.add((role, route))
        else:
            first_of[(route, texts)] = role
    return repeats


def _text_key(nodes: list[str], actor) -> tuple[str, ...]:
    return tuple(node.replace(actor.username, "\x00") for node in nodes) if actor else tuple(nodes)


@pytest.mark.parametrize("language", CODES)
def test_every_page_reads_in_its_language(world, actors, language, settings, monkeypatch):
    settings.ACCOUNT_RATE_LIMITS = False
    unrecorded_templates(monkeypatch)
    started, reader, offences, seen, footers = time.monotonic(), Reader(actors), {}, 0, 0
    every_page = [(roles, url, _ROUTE_OF.sub("#", url)) for roles, url in pages(world)]
    pairs = [(role, route) for roles, _url, route in every_page for role in roles]
    repeats = set() if language in LEARNT_FROM else _same_text_as_another_role(pairs)
    for roles, german_url, route in every_page:
        url = in_language(german_url, language)
        for role in roles:
            if (role, route) in NOT_A_PAGE or (role, route) in repeats:
                continue
            response = reader.get(role, url, language)
            if response.status_code != 200 or HTML not in response.get("Content-Type", ""):
                NOT_A_PAGE.add((role, route))
            if response.status_code not in (200, 403, 404) or HTML not in response.get("Content-Type", ""):
                continue
            seen += 1
            html = response.content.decode()
            nodes = visible_text(html, language)
            if language in LEARNT_FROM and response.status_code == 200:
                TEXT_OF[language][(role, route)] = _text_key(nodes, actors[role])
            found = text_offences(nodes, language)
            footer = footer_offence(url, html, language)
            footers += "<html" in html
            for offence in [*found, footer] if footer else found:
                offences.setdefault(offence, []).append(f"{role} {url}")
    took, requests = time.monotonic() - started, reader.requests
    print(f"\n{language}: {seen} pages ({footers} with a footer) of {requests} requests in {took:.1f} s;")
    print(f"{len(repeats)} (role, page) pairs read for another role with the same text in {LEARNT_FROM}")
    report = [f"{offence}\n    on {', '.join(where[:4])}" for offence, where in sorted(offences.items())]
    assert not report, f"{len(report)} leftovers on {language} pages:\n" + "\n".join(report)
    assert footers > 80  # youth and staff pages, not a handful


def test_the_page_list_covers_youth_staff_partner_account_and_legal_pages(world):
    urls = {url for _roles, url in pages(world)}
    with translation.override("de"):
        expected = {
            reverse("account_reset_password"),
            reverse("mfa_index"),
            reverse("counseling:ask"),
            reverse("hub:staff_accounts"),
            reverse("partners:home"),
            reverse("legal:page", kwargs={"kind": "accessibility"}),  # the legal pages themselves
            reverse("hub:retention"),
            reverse("legal_staff:feedback"),
        }
    assert expected <= urls


# Pages of the account area that staff and young people share; German there says "du" throughout.
ACCOUNT_PAGES = [
    "mfa_index",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "mfa_generate_recovery_codes",
    "account_change_password",
    "account_email",
    "account_logout",
]
FORMAL_ADDRESS = re.compile(r"\b(?:Sie|Ihr|Ihre|Ihren|Ihrem|Ihnen)\b")


def test_german_account_and_two_factor_pages_say_du(client, counselor):
    """allauth's German says "Sie" on its two-factor pages and "du" on the others: ours says "du" on all
    of them, as the same pages serve young people and staff (issue 18: "the 2FA pages say Sie")."""
    client.force_login(counselor)
    formal = []
    for name in ACCOUNT_PAGES:
        with translation.override("de"):
            url = reverse(name)
        text = " ".join(visible_text(client.get(url).content.decode(), "de"))
        formal += [f"{url}: {match}" for match in FORMAL_ADDRESS.findall(text)]
    assert formal == []


def test_the_cms_speaks_german_to_german_editors(client, settings):
    """The CMS follows the editor's language (Wagtail's default: LANGUAGE_CODE, German); the slug check
    of wagtail-modeltranslation ships no catalogue, so ours carries it."""
    editor = staff_with_totp(username="editor_ida", roles=[Role.EDITOR])
    client.force_login(editor)
    offences = []
    for url in test_input_fuzz.CMS_LISTINGS + ["/staff/cms/"]:
        offences += [f"{url}: {o}" for o in page_offences(client.get(url).content.decode(), "de")]
    assert offences == []
    with translation.override("de"):
        assert "bereits verwendet" in translation.gettext("This slug is already in use")
