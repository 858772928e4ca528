"""How fast this machine is right now, for reading absolute timings.

The load average misses what slows a shared virtual machine most: other
tenants on the same host.  Seen here within one session: the same
ten-million-step Python loop took 0.89 s, then 1.68 s half an hour later,
with nothing else running in the machine.  Benches with absolute targets
(seconds, segments per second) print this reading beside their figures, so
that two runs can be compared and a figure scaled to a quicker or slower
moment: ``figure * REFERENCE_LOOP / loop``.
"""
from __future__ import annotations

import os
import time

# The loop's time on an unloaded core of the quicker machine this project's
# earlier figures were measured on is unknown; 0.45 s is a typical recent
# x86-64 core with CPython 3.11, used only to express the reading as a factor.
REFERENCE_LOOP = 0.45


def loop_seconds(repeat: int = 3) -> float:
    """Best of ``repeat`` runs of a fixed pure-Python loop (10**7 additions)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        s = 0
        for i in range(10_000_000):
            s += i
        best = min(best, time.perf_counter() - t)
    return best


def speed_line() -> str:
    secs = loop_seconds()
    return (f"machine speed: a fixed Python loop takes {secs:.2f} s ({secs / REFERENCE_LOOP:.1f}x a typical "
            f"core's {REFERENCE_LOOP} s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    print(speed_line())
