"""Server time of each request, for benchmarks on a shared machine (bench/support/bare_view.py only).

On two cores shared by eight engineers, latency over HTTP mostly measures the queue for a core. This
outermost middleware adds `Server-Timing: app;dur=<wall ms>, cpu;dur=<CPU ms of this thread>` to every
response: the wall time from the first middleware in to the response out, and the Python CPU the request
cost (the whole synchronous chain runs in one thread; PostgreSQL's own CPU is not in it).
"""

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        wall_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        response["Server-Timing"] = f"app;dur={wall_ms:.1f}, cpu;dur={cpu_ms:.1f}"
        return response


def server_times(header: str) -> dict[str, float]:
    """{"app": ms, "cpu": ms} from the header above."""
    times = {}
    for part in header.split(","):
        name, _, duration = part.strip().partition(";dur=")
        if duration:
            times[name] = float(duration)
    return times
