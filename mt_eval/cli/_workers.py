"""``--workers``, shared by score, check, report and ci."""
from __future__ import annotations

import argparse

DETECTOR_HELP = ("processes for the detectors (default: $MT_EVAL_WORKERS, else one per core "
                 "for large inputs and one for small ones)")


def add_workers_argument(p, help: str) -> None:
    p.add_argument("--workers", type=process_count, default=None, metavar="N", help=help)


def process_count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"a whole number of processes, 1 or more, is needed; got {value!r}")
    return n
