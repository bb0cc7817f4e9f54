"""Clients for benchmarks over HTTP: one after another (concurrency 1) and a crowd of ten at once.

Shared by bench/staff_pages.py and bench/youth_pages.py, so both measure a page the same way: every
request through a kept-alive `requests.Session`, as the proxy would send it (HTTPS, gzip), and any answer
other than 200 stops the measurement (a fast error page would flatter the figures).
"""

import contextlib
import os
import statistics
import threading
import time

import requests

HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
CROWD = 10  # clients at once


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def elapsed_only(elapsed: float, response) -> float:
    return elapsed


def get(session, url: str, cookie: str = "", read=elapsed_only):
    """One request; `read(ms at the client, response)`, by default that time in ms alone (a bench that
    also reads the server's own timing passes its reader)."""
    headers = {**HEADERS, "Cookie": cookie} if cookie else HEADERS
    started = time.perf_counter()
    response = session.get(url, headers=headers, timeout=60, allow_redirects=False)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: status {response.status_code} {response.headers.get('Location', '')}")
    return read(elapsed, response)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


def serial(
    url: str, cookie: str = "", *, runs: int, warmups: int = 3, read=elapsed_only
) -> tuple[list, float]:
    """`runs` requests one after another after `warmups`; latencies (ms, or what `read` makes of each)
    and requests/s."""
    with requests.Session() as session:
        for _ in range(warmups):
            get(session, url, cookie)
        started = time.perf_counter()
        timings = [get(session, url, cookie, read) for _ in range(runs)]
        return timings, runs / (time.perf_counter() - started)


def crowd(
    url: str, cookie: str = "", *, runs: int, clients: int = CROWD, read=elapsed_only
) -> tuple[list, float]:
    """`clients` at once, each `runs` requests after one warm-up; latencies (ms, or what `read` makes of
    each) and requests/s."""
    timings, lock, errors = [], threading.Lock(), []
    barrier = threading.Barrier(clients + 1)

    def client():
        with requests.Session() as session:
            try:
                get(session, url, cookie)
                barrier.wait()
                mine = [get(session, url, cookie, read) for _ in range(runs)]
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                barrier.abort()
                return
            with lock:
                timings.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=120)
    started = time.perf_counter()
    for thread in threads:
        thread.join(300)
    if errors:
        raise errors[0]
    return timings, len(timings) / (time.perf_counter() - started)
