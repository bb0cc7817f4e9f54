"""The ASGI server process's garbage collector (hub/gc_tuning.py): what start-up loaded is frozen and full
collections are rare, so thousands of open sockets are not walked every few seconds (bench/chat_load.py)."""

import subprocess
import sys

from hub import gc_tuning

PROBE = "import gc, hub.asgi; print(*gc.get_threshold(), gc.get_freeze_count())"


def test_the_server_process_freezes_what_it_loaded_and_collects_fully_only_rarely():
    # A process of its own, as uvicorn's: loading the application is what tunes it.
    found = subprocess.run(  # noqa: S603 - our interpreter, a fixed program
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    young, middle, full, frozen = (int(value) for value in found[-4:])
    assert (young, middle, full) == (gc_tuning.YOUNG, gc_tuning.MIDDLE_AFTER, gc_tuning.FULL_AFTER)
    assert young > 700 and full > 10  # rarer than Python's defaults
    assert frozen > 50_000  # the loaded code and settings are never walked again
