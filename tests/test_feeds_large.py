"""A 50 MB feed streams: memory stays bounded while every item is read.

Peak resident memory is measured in a child process (``ru_maxrss`` before
and after reading), so the test process's own allocations do not blur it.
For scale: parsing the same RSS file into a full lxml tree grows the
resident set by about 75 MB on this machine.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SIZE = 50 * 1024 * 1024
BOUND_MB = 25   # half the file: a streaming reader needs far less, a tree far more
ROOT = Path(__file__).resolve().parents[1]

PARA = "Le conseil municipal a voté le prolongement du tramway jusqu'à l'hôpital. " * 6

CHILD = """
import json, resource, sys
from mt_eval.readers.feeds import Feed, iter_items
path, fmt = sys.argv[1], sys.argv[2]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = chars = 0
ids = set()
for it in iter_items(Feed(path, fmt)):
    n += 1
    ids.add(it.id)
    chars += sum(len(p.text) for p in it.parts)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"items": n, "distinct": len(ids), "chars": chars, "growth_mb": (peak - base) / 1024}))
"""


def _rss(path: Path) -> int:
    body = f"<p>{PARA}</p>" * 4
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><language>fr</language>\n')
        while f.tell() < SIZE:
            f.write(f"<item><guid>g{n}</guid><title>Titre {n}</title>"
                    f"<content:encoded><![CDATA[{body}]]></content:encoded></item>\n")
            n += 1
        f.write("</channel></rss>\n")
    return n


def _json(path: Path) -> int:
    text = (PARA + "\n\n") * 4
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"version": "https://jsonfeed.org/version/1.1", "language": "fr", "items": [\n')
        while f.tell() < SIZE:
            f.write((",\n" if n else "") + json.dumps({"id": f"g{n}", "title": f"Titre {n}", "content_text": text},
                                                      ensure_ascii=False))
            n += 1
        f.write("]}\n")
    return n


@pytest.mark.parametrize("fmt,make", [("rss", _rss), ("json", _json)])
def test_50mb_feed_streams_in_bounded_memory(tmp_path, fmt, make):
    path = tmp_path / f"big.{fmt}"
    n = make(path)
    assert path.stat().st_size >= SIZE
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), fmt], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["items"] == stats["distinct"] == n          # every item read, once
    assert stats["chars"] > SIZE * 0.8                      # and its text with it
    assert stats["growth_mb"] < BOUND_MB, stats
