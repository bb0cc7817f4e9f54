"""Where a youth page's server time goes: each page of bench/youth_pages.py, in this process, in the
production settings (DEBUG off, PostgreSQL with the pool, Redis cache and sessions), through Django's
request handler and the whole middleware stack, under cProfile.

In-process rather than over HTTP so that the profile holds the request's own work and not the server's
or the client's: the WSGI handler runs the same middleware, URL resolver, view and templates in one
thread (the ASGI handler hands the same chain to a worker thread, which cProfile does not follow).
Prints, per page: CPU ms (this thread's: the figure to compare on a loaded machine) and wall ms per
request and queries per request next to the bare view (without a session, and with the youth's, as
bench/youth_pages.py pairs them), then Python function calls per request (a count no load skews) and
the functions with the most own and cumulative CPU time.

Run (after bench/youth_pages.py has built its database once):
    eval "$(scripts/services)" && .venv/bin/python bench/youth_profile.py
Environment: PROFILE_RUNS (200), PROFILE_TOP (30; 0: no profile, only the per-request figures),
BENCH_PAGES (labels, as for bench/youth_pages.py).
"""

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Production serves hashed static files from collectstatic's manifest (as bench/youth_pages.py's server).
STATIC = Path(tempfile.mkdtemp(prefix="jmd-static-"))
os.environ["STATIC_ROOT"] = str(STATIC)

from bench import youth_pages  # noqa: E402 - sets the production environment and Django up

RUNS = int(os.environ.get("PROFILE_RUNS", 200))
TOP = int(os.environ.get("PROFILE_TOP", 30))


def main() -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.client import RequestFactory

    from bench.support import bare_view  # noqa: F401 - adds /bench-bare/ to the URLs
    from counseling.forum.models import Thread

    if not youth_pages.REUSE:
        print("run bench/youth_pages.py once first: it builds the database this profile reads")
        return
    youth_pages.collect_static(youth_pages.ENV, STATIC)
    # Django set the storage up (with no manifest yet) when it started: read the one just written.
    staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()
    if not staticfiles_storage.hashed_files:
        raise RuntimeError(f"no manifest in {staticfiles_storage.location}")
    handler = WSGIHandler()
    factory = RequestFactory()
    targets = youth_pages.pages(Thread.objects.order_by("-reply_count").first())

    last_status = [""]

    def environ(path, cookie):
        path, _, query = path.partition("?")
        request = factory.get(
            path, QUERY_STRING=query, secure=True, HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip"
        )
        if cookie:
            request.environ["HTTP_COOKIE"] = cookie
        return request.environ

    def call(path, cookie):
        def start_response(status, headers):
            last_status[0] = status

        response = handler(dict(environ(path, cookie)), start_response)
        body = b"".join(response)
        response.close()
        return body

    # The bare view as bench/youth_pages.py pairs it: without a session for the visitors' pages, with the
    # youth's for the signed-in ones (reading the session, the user and their roles in the middleware).
    youth_cookie = next(cookie for _label, _path, cookie in targets if cookie)
    bare = [("bare view", "/bench-bare/", ""), ("bare view (youth's session)", "/bench-bare/", youth_cookie)]
    for label, path, cookie in [*bare, *targets]:
        if youth_pages.ONLY and label not in youth_pages.ONLY and not label.startswith("bare view"):
            continue
        for _ in range(5):  # warm: caches, fragments, the template loader
            call(path, cookie)
        queries = []

        def timed(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(timed):
            call(path, cookie)
        status = last_status[0]
        started, cpu = time.perf_counter(), time.thread_time()
        for _ in range(RUNS // 2):
            call(path, cookie)
        plain_ms = (time.perf_counter() - started) * 1000 / (RUNS // 2)
        cpu_ms = (time.thread_time() - cpu) * 1000 / (RUNS // 2)
        print(
            f"\n=== {label}: {cpu_ms:.2f} ms CPU, {plain_ms:.2f} ms wall per request, {len(queries)} queries "
            f"({path}: {status}; load average {youth_pages.load()})"
        )
        for ms, sql in queries:
            print(f"    {ms:6.2f} ms  {sql[:300]}")
        if not TOP:  # PROFILE_TOP=0: the figures above only
            continue
        # CPU time of this thread, not wall time: on a shared machine the wall clock mostly counts the wait
        # for a core (and the waits on PostgreSQL and Redis show as wall ms and query times above).
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        for _ in range(RUNS):
            call(path, cookie)
        profile.disable()
        stats = pstats.Stats(profile)
        print(f"    {stats.total_calls / RUNS:,.0f} Python function calls per request (not skewed by load)")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(TOP)
            print(out.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main()
