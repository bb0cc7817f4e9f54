"""The fragment versions a process keeps between bumps (hub/fragments.py KeptVersions, issue 19): a
request takes them without a round trip to Redis while the process's listener is subscribed; a bump made
anywhere reaches every process; a lost subscription makes requests read the versions themselves until
it is back."""

import threading
import time
import uuid

import pytest
from django.core.cache import cache

from hub import fragments

pytestmark = pytest.mark.django_db


def _announce(namespace: str) -> None:
    """What a bump in another process publishes after its `set`."""
    client, channel = fragments._bus()
    client.publish(channel, namespace)


def _until(condition, seconds=15.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time")
        time.sleep(0.0005)


@pytest.fixture
def listening():
    """This process's listener, subscribed and holding the versions."""
    fragments.kept.get()  # starts it in this process
    if fragments.kept.pubsub is not None:  # subscribed before: an announcement has it read at once
        _announce("")
    _until(lambda: fragments.kept.tokens is not None)
    return fragments.kept


@pytest.fixture
def own_reads(monkeypatch):
    """The reads of the versions from the shared cache made by this thread (the test client's requests
    run in it; the listener reads in its own)."""
    reads, real, me = [], fragments._read_tokens, threading.get_ident()

    def counted():
        if threading.get_ident() == me:
            reads.append(1)
        return real()

    monkeypatch.setattr(fragments, "_read_tokens", counted)
    return reads


def _start_page(client) -> str:
    response = client.get("/de/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_takes_the_kept_versions_without_a_round_trip(client, listening, own_reads):
    _start_page(client)  # the page's footer fragment depends on the legal pages' version
    assert own_reads == []
    listening.drop()  # as while the listener is not subscribed
    _start_page(client)
    assert own_reads == [1]


def test_a_bump_from_another_process_reaches_this_one(listening, capsys):
    """Another process's bump is its `set` and its announcement on the channel; here it is written by
    another connection, as that process would."""
    token = uuid.uuid4().hex
    started = time.perf_counter()
    cache.set(fragments.VERSION_KEY.format("sites"), token, None)
    _announce("sites")
    _until(lambda: (fragments.kept.tokens or {}).get("sites") == token)
    elapsed_ms = (time.perf_counter() - started) * 1000
    with capsys.disabled():
        print(f"\n  a bump in another process was kept here after {elapsed_ms:.2f} ms")


def test_a_bump_here_is_kept_at_once(listening):
    fragments.bump("knowledge")
    assert fragments.kept.tokens["knowledge"] == cache.get(fragments.VERSION_KEY.format("knowledge"))


def test_bumps_in_any_order_leave_what_the_shared_cache_holds(listening):
    """The listener reads the versions afresh on each announcement rather than trusting its order: two
    processes' bumps of one namespace may announce in the other order than they were set."""
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    key = fragments.VERSION_KEY.format("forum")
    cache.set(key, first, None)
    cache.set(key, second, None)
    _announce("forum")  # the second's announcement first
    _announce("forum")
    _until(lambda: (fragments.kept.tokens or {}).get("forum") == second)
    time.sleep(0.2)  # the first's announcement, read after it, changes nothing
    assert fragments.kept.tokens["forum"] == second


def test_while_the_listener_fails_requests_read_the_versions_themselves(client, listening, monkeypatch):
    """A listener that cannot read (Redis away) drops what it kept at once; each request reads the
    versions itself until the listener has subscribed and read again."""
    real, me, away, own = fragments._read_tokens, threading.get_ident(), threading.Event(), []

    def read():
        if threading.get_ident() == me:
            own.append(1)
        elif away.is_set():
            raise ConnectionError("Redis away")
        return real()

    monkeypatch.setattr(fragments, "_read_tokens", read)
    away.set()
    _announce("")  # the listener reads, and fails
    _until(lambda: listening.tokens is None)
    _start_page(client)
    assert own == [1]
    away.clear()
    _until(lambda: listening.tokens is not None)  # back: subscribed again after a pause, and read
    _start_page(client)
    assert own == [1]


def test_a_bump_whose_announcement_was_lost_with_the_connection_is_read_after_it(listening, monkeypatch):
    """The connection drops (a Redis restart, the network) and a bump's announcement is lost with it:
    subscribing again, the listener reads every version, well before its periodic read."""
    monkeypatch.setattr(listening, "HEALTH_SECONDS", 600.0)
    token = uuid.uuid4().hex
    listening.pubsub.connection.disconnect()
    cache.set(fragments.VERSION_KEY.format("sites"), token, None)  # announced to nobody
    _until(lambda: (listening.tokens or {}).get("sites") == token, seconds=5.0)
