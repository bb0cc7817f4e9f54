"""Page weight and server time of the youth pages, and what that means on a slow 3G phone.

Prints, per page: HTML bytes, the bytes of everything it loads (CSS, JS, icon), gzip-compressed size,
the number of requests, the median server time over 20 renders, and an estimated first load on
"slow 3G" (400 kbit/s, 400 ms round trip; Chrome DevTools' preset) with a cold cache.

Run: make bench   (or .venv/bin/python bench/page_weight.py)
"""

import contextlib
import gzip
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SLOW_3G_BYTES_PER_SECOND = 400_000 / 8
SLOW_3G_RTT = 0.4
PAGES = ["/de/", "/ar/", "/de/accounts/signup/", "/de/accounts/login/", "/de/me/"]


def main():
    setup_test_environment()
    Path("var").mkdir(exist_ok=True)
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", "--noinput", verbosity=0)
    from hub.models import User
    from hub.services import youth_role_grant

    user, created = User.objects.get_or_create(username="bench_youth")
    if created:
        youth_role_grant(user=user)
    client = Client()
    client.force_login(user)
    print(f"{'page':<24}{'html B':>8}{'all B':>8}{'gzip B':>8}{'req':>5}{'server ms':>11}{'slow 3G s':>11}")
    for path in PAGES:
        page_client = client if path == "/de/me/" else Client()
        html = page_client.get(path).content
        asset_urls = re.findall(r'(?:href|src)="/static/([^"]+)"', html.decode())
        asset_bytes = [Path(finders.find(url)).read_bytes() for url in asset_urls]
        total = len(html) + sum(len(body) for body in asset_bytes)
        compressed = len(gzip.compress(html)) + sum(len(gzip.compress(body)) for body in asset_bytes)
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            page_client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        server_ms = statistics.median(timings)
        requests = 1 + len(asset_urls)
        # HTML first, then its assets in parallel: two round trips plus the bytes over the wire.
        slow_3g = 2 * SLOW_3G_RTT + SLOW_3G_RTT + compressed / SLOW_3G_BYTES_PER_SECOND + server_ms / 1000
        print(
            f"{path:<24}{len(html):>8}{total:>8}{compressed:>8}{requests:>5}{server_ms:>11.1f}{slow_3g:>11.2f}"
        )


if __name__ == "__main__":
    main()
