"""Progress bars on long work: on for a terminal, off otherwise.

A bar goes to stderr only when stderr is a TTY (CI logs and pipes stay
clean) and only for work big enough to be worth watching; ``MT_EVAL_PROGRESS``
= ``0``/``1`` forces it off or on.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

MIN_TOTAL = 20000  # segment-steps below which a bar is just noise


def enabled(total: int, requested: bool | None = None) -> bool:
    if requested is not None:
        return requested
    env = os.environ.get("MT_EVAL_PROGRESS")
    if env is not None:
        return env not in ("0", "", "false", "no")
    return total >= MIN_TOTAL and sys.stderr.isatty()


@contextmanager
def progress(total: int, desc: str, requested: bool | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; a no-op when the bar is off."""
    if not enabled(total, requested):
        yield lambda n: None
        return
    from tqdm import tqdm
    # No monitor thread: worker processes are forked while a bar is shown,
    # and a fork must not copy a process with a second thread (it may hold
    # a lock the child then waits on forever).
    tqdm.monitor_interval = 0
    with tqdm(total=total, desc=desc, unit="seg", file=sys.stderr, leave=False,
              dynamic_ncols=True, mininterval=0.2) as bar:
        yield bar.update
