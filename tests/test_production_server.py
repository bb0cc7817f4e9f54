"""The production command as docker-compose.yml and the Dockerfile start it (uvicorn with their flags,
DEBUG off, PostgreSQL with the pool, Redis): client addresses, logs and headers, checked over HTTP.

Two servers: "direct" runs the Dockerfile's command reached without the proxy (as when the app port was
published: our connection is not the trusted proxy), "behind the proxy" runs compose's web command with
this machine as the trusted proxy (as nginx in deploy/nginx.conf: X-Forwarded-For/-Proto set by it).
"""

import re
import subprocess
import sys
import time

import pytest
import redis
import requests
import websockets.sync.client
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench.support import observatory
from bench.support.production import (
    ProductionServer,
    collect_static,
    compose_services,
    compose_web_command,
    dockerfile_command,
    production_env,
)
from hub.roles import Role
from hub.tests.factories import UserFactory
from tests.workers import worker_port

# One worker of a parallel run takes the whole module: its servers are started once per module, and the
# Redis databases they empty (2-5, tests/workers.py) are this module's alone.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("production")]

SECRET_WORD = "zitronenfalter"
DIRECT_REDIS_DB = 2
USERNAME = "lognamekim"


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _fresh_redis_url(number: int) -> str:
    # A Redis database of its own, emptied: the rate limits of an earlier run must not carry over.
    url = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{number}"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture(scope="module")
def _server_db(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip("needs PostgreSQL and Redis (make test starts them)")
    with django_db_blocker.unblock():
        yield _database_url()


@pytest.fixture(scope="module")
def static_root(_server_db, tmp_path_factory):
    target = tmp_path_factory.mktemp("static")
    collect_static(production_env(database_url=_server_db, redis_url=settings.REDIS_URL), target)
    return str(target)


@pytest.fixture(scope="module")
def direct_server(_server_db, static_root, tmp_path_factory):
    env = production_env(
        database_url=_server_db,
        STATIC_ROOT=static_root,
        redis_url=_fresh_redis_url(DIRECT_REDIS_DB),
        # The proxy lives elsewhere; this client is not it. Plain HTTP, so no redirect to HTTPS.
        FORWARDED_ALLOW_IPS="10.255.255.1",
        SECURE_SSL_REDIRECT="false",
    )
    log_path = tmp_path_factory.mktemp("direct") / "server.log"
    server = ProductionServer(dockerfile_command(), env, log_path, port=worker_port())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxied_server(_server_db, static_root, tmp_path_factory):
    env = production_env(
        database_url=_server_db,
        redis_url=_fresh_redis_url(3),
        STATIC_ROOT=static_root,
        FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    log_path = tmp_path_factory.mktemp("proxied") / "server.log"
    server = ProductionServer(compose_web_command(), env, log_path, port=worker_port())
    yield server
    server.stop()


def via_proxy(client_address: str) -> dict[str, str]:
    """The headers nginx adds (deploy/nginx.conf)."""
    return {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"}


def secure(url: str, path: str) -> str:
    """The page's address as the browser saw it behind the proxy (Django compares the Referer on HTTPS)."""
    return url.replace("http://", "https://") + path


def csrf_session(url: str, headers: dict[str, str]) -> tuple[str, str]:
    """A CSRF cookie and form token. The cookie is Secure, so it is sent by hand over loopback HTTP."""
    response = requests.get(f"{url}/de/accounts/signup/", headers=headers, timeout=30)
    assert response.status_code == 200, response.status_code
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
    return response.cookies["csrftoken"], token


def signup_statuses(url: str, addresses: list[str], *, proxy: bool) -> list[int]:
    first = via_proxy(addresses[0]) if proxy else {}
    cookie, token = csrf_session(url, first)
    statuses = []
    for number, address in enumerate(addresses):
        headers = via_proxy(address) if proxy else {"X-Forwarded-For": address}
        headers |= {"Cookie": f"csrftoken={cookie}", "Referer": secure(url, "/de/accounts/signup/")}
        data = {"csrfmiddlewaretoken": token, "username": f"kid{number}", "password1": "x", "password2": "y"}
        response = requests.post(f"{url}/de/accounts/signup/", data=data, headers=headers, timeout=30)
        statuses.append(response.status_code)
    return statuses


def within_one_minute(run):
    """`run()`'s statuses, from a run that stayed inside the limit's minute by the wall clock (the one
    allauth's sliding window reads): on a loaded machine, or when the clock is stepped, the first
    requests can fall out of the window before the eleventh, which then rightly passes. Such a run is
    repeated (`run` takes fresh addresses each time), up to three times."""
    for attempt in range(3):
        started = time.time()
        statuses = run(attempt)
        elapsed = time.time() - started
        if 0 <= elapsed < 50:
            return statuses
    pytest.fail(f"three runs took longer than the limit's minute by the wall clock (last: {elapsed:.0f} s)")


def test_a_forged_forwarded_for_does_not_lift_the_signup_limit(direct_server):
    # Each request claims another address; the server counts the real one: ten a minute. The real one is
    # this machine's, so a repeated run needs the limit's history emptied first.
    def run(attempt):
        if attempt:
            _fresh_redis_url(DIRECT_REDIS_DB)
        return signup_statuses(direct_server.url, [f"10.9.{n}.{attempt + 1}" for n in range(12)], proxy=False)

    assert within_one_minute(run) == [200] * 10 + [429, 429]


def test_behind_the_proxy_each_client_address_has_its_own_limit(proxied_server):
    # The limit works from the address the proxy names: one client is stopped, another is not.
    def run(attempt):
        one, other = f"198.51.{100 + attempt}.20", f"198.51.{100 + attempt}.21"
        return signup_statuses(proxied_server.url, [one] * 11 + [other], proxy=True)

    assert within_one_minute(run) == [200] * 10 + [429, 200]


def test_trace_is_refused_and_there_is_no_server_banner(direct_server):
    assert requests.request("TRACE", f"{direct_server.url}/de/", timeout=30).status_code == 405
    response = requests.get(f"{direct_server.url}/de/", timeout=30)
    assert response.status_code == 200
    assert "server" not in {name.lower() for name in response.headers}


def test_the_headers_score_at_least_120_on_the_observatory_rules(proxied_server):
    scores = {}
    for path in ["/de/", "/de/accounts/login/"]:
        response = requests.get(f"{proxied_server.url}{path}", headers=via_proxy("198.51.100.30"), timeout=30)
        assert response.status_code == 200
        set_cookies = response.raw.headers.getlist("Set-Cookie")
        scores[path], rules = observatory.score(response.headers, set_cookies, response.text)
        assert ("csp-implemented-with-no-unsafe-default-src-none", 10) in rules
        print(f"Observatory header score of {path}: {scores[path]} {rules}")
    assert scores["/de/accounts/login/"] >= 120, scores  # a page that sets cookies
    assert scores["/de/"] >= 120, scores


def test_the_log_names_no_address_no_search_words_and_no_username(proxied_server, transactional_db):
    youth = UserFactory(username=USERNAME, roles=[Role.YOUTH])
    # Hashed with a hasher of the production settings (the test settings use MD5 only).
    youth.password = PBKDF2PasswordHasher().encode("correct-horse-battery", "saltsaltsalt", iterations=1000)
    youth.save(update_fields=["password"])
    client_address = "198.51.100.77"
    url = proxied_server.url
    headers = via_proxy(client_address)
    search = requests.get(f"{url}/de/knowledge/?q={SECRET_WORD}", headers=headers, timeout=30)
    assert search.status_code == 200
    missing = requests.get(f"{url}/de/no-such-page/{SECRET_WORD}/", headers=headers, timeout=30)
    assert missing.status_code == 404
    # Sign in (the username travels in the form), then open the notification socket.
    page = requests.get(f"{url}/de/accounts/login/", headers=headers, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = f"csrftoken={page.cookies['csrftoken']}"
    response = requests.post(
        f"{url}/de/accounts/login/?next=/de/me/%3Fq%3D{SECRET_WORD}",
        data={"csrfmiddlewaretoken": token, "login": USERNAME, "password": "correct-horse-battery"},
        headers=headers | {"Cookie": cookie, "Referer": secure(url, "/de/accounts/login/")},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    session = response.cookies["sessionid"]
    socket_url = url.replace("http://", "ws://") + "/ws/notifications/"
    with websockets.sync.client.connect(
        f"{socket_url}?q={SECRET_WORD}",
        additional_headers={"Cookie": f"sessionid={session}", "Origin": "https://127.0.0.1", **headers},
        open_timeout=30,
    ) as socket:
        socket.ping().wait(10)

    # The log so far (every test's requests on this server): lines are written before responses go out.
    log = proxied_server.log()
    assert "GET de/knowledge/ 200" in log  # the app's own access line is there
    assert "POST de/accounts/login/ 302" in log
    assert client_address not in log
    assert SECRET_WORD not in log
    assert USERNAME not in log
    assert youth.username not in log
    # 127.0.0.1 (the proxy, here) only in uvicorn's start-up line naming where it listens.
    assert [line for line in log.splitlines() if "127.0.0.1" in line and "running on" not in line] == []


@pytest.mark.parametrize(("service", "ready"), [("worker", " ready."), ("beat", "beat: Starting...")])
def test_the_celery_commands_of_compose_start_under_production_settings(service, ready, _server_db, tmp_path):
    command = compose_services()[service]["command"]
    assert command[0] == "celery"
    # beat's schedule file goes to this test's folder instead of the container's /tmp.
    command = [f"--schedule={tmp_path / 'schedule'}" if a.startswith("--schedule=") else a for a in command]
    env = production_env(database_url=_server_db, redis_url=_fresh_redis_url(5))
    log_path = tmp_path / f"{service}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, compose's arguments
            [sys.executable, "-m", *command],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while ready not in log_path.read_text(errors="replace"):
                assert process.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, log_path.read_text(errors="replace")
                time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(30)
