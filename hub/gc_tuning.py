"""The cyclic garbage collector of the ASGI server process, set for thousands of open websockets
(hub/asgi.py calls `tune` once the application is loaded).

Why: every open socket holds a few hundred long-lived objects (transport and protocol, the consumer and
its tasks, the scope with user and session): 1.1 million tracked objects at 1,000 chat and 5,000 idle
notification sockets, beside about 160,000 of the loaded code. A full collection walks every one of them
and holds the event loop meanwhile: 0.2 s at 1,000 sockets and 0.6-1.3 s at 6,000 (bench/chat_load.py,
timed with a gc callback on the busy machine), and with Python's default thresholds one came every 10-60 s
while sockets opened and chatted; every line in flight waited, and the pages asked to resume what came
late. Reference counting frees nearly all of this process's garbage anyway; the collector is for cycles.

- What is loaded at start-up (code, settings, the URL and routing tables) is frozen: never walked again.
- Young collections come after YOUNG net new objects instead of 700: fewer objects that are merely in
  flight (a frame on its way, a pending statement) are caught alive and promoted. The middle generation
  stays as Python has it (MIDDLE_AFTER young collections): at 50,000 and 20 it grew to a million objects
  while 5,000 sockets opened, and its collection held the loop 2 s.
- A full collection waits for FULL_AFTER middle-generation collections (Python: 10), and still only once
  the old generation has grown by a quarter since the last one (Python's own rule): none in a bench run
  instead of several a minute, each still as long as the heap makes it when it comes.
"""

import gc

YOUNG, MIDDLE_AFTER, FULL_AFTER = 10_000, 10, 100


def tune() -> None:
    gc.collect()  # what start-up left behind is not frozen with the rest
    gc.freeze()
    gc.set_threshold(YOUNG, MIDDLE_AFTER, FULL_AFTER)
