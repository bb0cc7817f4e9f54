"""Keeps the workers of a parallel test run (`make test`: pytest-xdist, `-n`) apart on one machine.

Each worker process has its own
- PostgreSQL test database: pytest-django adds the worker's name (test_jmd_hub_gw0, …);
- Redis database for the cache (which every test empties) and prefix on the channel layer (Redis
  pub/sub ignores database numbers): hub/settings_test.py reads them from here;
- ports for the servers tests start (`worker_port`): a block of its own below the kernel's
  ephemeral range.
Processes a test starts inherit PYTEST_XDIST_WORKER, so a Celery worker or a probe with the test
settings lands on the same cache as the test. A serial run (plain `pytest`) is worker "" and keeps the
layout of before: cache in Redis database 1.
"""

import os
import random
import socket

# Redis has 16 databases unless configured otherwise: 0 is the broker's and the channel layer's (keys
# and queues named per test or per worker), 1 the cache of a serial run, 2-5 the production-server
# tests' (tests/test_production_server.py, one worker at a time: xdist_group "production"), 6-15 one
# cache per worker.
SERIAL_CACHE_DB = 1
FIRST_WORKER_CACHE_DB = 6
MAX_WORKERS = 16 - FIRST_WORKER_CACHE_DB

# Ports the kernel never hands out by itself: an outgoing connection takes its source port from the
# ephemeral range (32768-60999 by default), a probe that binds port 0 too. Each worker scans its own block
# from a random start, so neither another worker nor a connection takes a port between the check here
# and the server's bind; another run on the machine is caught by the check itself.
PORT_BASE = 20000
PORT_BLOCK = 1000


def worker_name() -> str:
    """The worker's name under pytest-xdist ("gw0", "gw1", …); "" in a serial run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_number() -> int | None:
    name = worker_name()
    return int(name.removeprefix("gw")) if name else None


def worker_cache_db() -> int:
    number = worker_number()
    if number is None:
        return SERIAL_CACHE_DB
    if number >= MAX_WORKERS:
        raise RuntimeError(f"at most {MAX_WORKERS} test workers share Redis's 16 databases (-n {number + 1})")
    return FIRST_WORKER_CACHE_DB + number


def worker_channel_prefix() -> str:
    name = worker_name()
    return f"asgi-{name}" if name else "asgi"


def worker_port() -> int:
    """A free TCP port on 127.0.0.1 for a server a test starts (uvicorn, an SMTP sink, a subprocess).

    Every fixture that starts a server on a port must take it from here (or let the server bind port 0
    itself, as pytest-django's live_server does)."""
    number = worker_number()
    block = PORT_BASE + PORT_BLOCK * ((0 if number is None else number + 1) % 12)
    start = random.randrange(PORT_BLOCK)  # noqa: S311 - spreads concurrent runs, nothing secret
    for offset in range(PORT_BLOCK):
        port = block + (start + offset) % PORT_BLOCK
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))  # without SO_REUSEADDR: a port in TIME_WAIT is skipped too
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {block}-{block + PORT_BLOCK - 1}")
