"""Argument types and arguments shared by the subcommands: a bad number is
argparse's one-line error (exit 2), not a traceback from deep inside."""
from __future__ import annotations

import argparse

DETECTOR_HELP = ("processes for the detectors (default: $MT_EVAL_WORKERS, else one per core "
                 "for large inputs and one for small ones)")


def at_least(low: int):
    """An ``int`` argument type accepting ``low`` or more."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            n = None
        if n is None or n < low:
            raise argparse.ArgumentTypeError(f"a whole number of at least {low} is needed; got {value!r}")
        return n
    parse.__name__ = f"whole number >= {low}"
    return parse


def add_workers_argument(p, help: str) -> None:
    p.add_argument("--workers", type=at_least(1), default=None, metavar="N", help=help)


def add_progress_argument(p) -> None:
    p.add_argument("--progress", dest="show_progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bars on standard error (default: on a terminal, for long work)")
