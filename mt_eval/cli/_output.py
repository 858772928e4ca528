"""Output options shared by sub-commands, and atomic file writing."""
from __future__ import annotations

import argparse
import contextlib
import sys
from typing import IO, Iterator

from ..fileio import atomic_write


def add_output_arguments(p: argparse.ArgumentParser, formats: list[str], default: str | None = None) -> None:
    p.add_argument("-f", "--format", choices=formats, default=default or formats[0],
                   help=f"output format (default: {default or formats[0]})")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


@contextlib.contextmanager
def open_output(args) -> Iterator[IO]:
    if getattr(args, "output", None):
        with atomic_write(args.output) as fh:
            yield fh
    else:
        yield sys.stdout
