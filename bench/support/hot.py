"""Sums py-spy's collapsed stacks (bench/chat_load.py with BENCH_PROFILE) into the functions that cost
the most, inclusive ("own and below") and exclusive ("own"), as shares of all samples.

Run: .venv/bin/python bench/support/hot.py chat-profile-500.txt [filter-substring] [count]
"""

import sys
from collections import Counter


def main(path: str, needle: str = "", count: int = 40) -> None:
    inclusive, exclusive, total = Counter(), Counter(), 0
    for line in open(path, encoding="utf-8"):  # noqa: SIM115
        stack, _, samples = line.rstrip().rpartition(" ")
        frames, samples = stack.split(";"), int(samples)
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        exclusive[frames[-1]] += samples
    for title, counter in (("inclusive", inclusive), ("exclusive", exclusive)):
        print(f"\n{title} (of {total} samples)")
        shown = [(frame, n) for frame, n in counter.most_common() if needle in frame][:count]
        for frame, n in shown:
            print(f"{100 * n / total:6.1f}%  {frame}")


if __name__ == "__main__":
    main(sys.argv[1], *(sys.argv[2:3]), *(int(arg) for arg in sys.argv[3:4]))
