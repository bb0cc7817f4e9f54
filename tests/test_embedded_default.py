"""`make run`'s embedded default: with no service configured, the portal migrates, loads demo data and
serves pages and websockets on SQLite, the in-memory channel layer and inline tasks."""

import asyncio
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tests.fixtures_sqlite import copy_migrated_sqlite, embedded_env
from tests.workers import worker_port

pytestmark = pytest.mark.slow


def test_embedded_default_serves_the_start_page_and_websockets(tmp_path, migrated_sqlite):
    # `make run` migrates an empty SQLite file: the run's shared copy of that (tests/fixtures_sqlite.py),
    # then migrate again as every later `make run` does.
    env = embedded_env(copy_migrated_sqlite(migrated_sqlite, tmp_path / "db.sqlite3"))
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["demo_data"]):
        result = subprocess.run(
            manage + command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    assert "demo_youth" in result.stdout
    session_key = _session_for(env, "demo_youth")

    port = worker_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/")
        assert '<html lang="de"' in body
        # Knowledge search runs on SQLite's FTS5 table; the demo campaign page is served.
        search = _get_when_up(f"http://127.0.0.1:{port}/de/knowledge/?q=Ausbildungsplatz")
        assert "Einen Ausbildungsplatz finden" in search
        assert 'dir="rtl"' in _get_when_up(f"http://127.0.0.1:{port}/ar/campaigns/frag-uns-ar/")
        # The young person's case page reads its conversation as JSON in the case's statement
        # (counseling/youth_case_page.py): on SQLite too.
        cases = _get_when_up(f"http://127.0.0.1:{port}/de/cases/", session_key=session_key)
        case_path = re.search(r'href="(/de/cases/[0-9a-f-]{36}/)"', cases).group(1)
        case_page = _get_when_up(f"http://127.0.0.1:{port}{case_path}", session_key=session_key)
        assert "Merhaba! Türkiye&#x27;deki lise diplomam" in case_page and 'id="latest"' in case_page
        assert asyncio.run(_websocket_upgrade(port, session_key)) == "101"
        assert asyncio.run(_websocket_upgrade(port, None)) == "403"  # anonymous: refused
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # seen on a machine loaded 7 times over its cores
            server.kill()
            server.wait()


def _get_when_up(url, seconds=120, session_key=None):
    # Django's runserver starts in seconds on a quiet machine; on one busy with a parallel run (or eight
    # engineers' runs) it took more than 30.
    deadline = time.monotonic() + seconds
    while True:
        try:
            headers = {"Cookie": f"sessionid={session_key}"} if session_key else {}
            request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _session_for(env, username):
    """A signed-in session of a demo user, made the way Django's login would."""
    code = (
        "from django.contrib.sessions.backends.db import SessionStore; from hub.models import User; "
        f"u = User.objects.get(username='{username}'); s = SessionStore(); "
        "s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


async def _websocket_upgrade(port, session_key):
    cookie = f"Cookie: sessionid={session_key}\r\n" if session_key else ""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            "GET /ws/notifications/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{cookie}\r\n"
        ).encode()
    )
    await writer.drain()
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    return status_line.decode().split()[1]
