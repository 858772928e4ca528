"""Findings as a readable listing: where, what, the text with the span marked.

::

    hyp.en:31:1: BP001 [major] web boilerplate (mobile-theme link; …)
       | Exit mobile version
       | ^^^^^^^^^^^^^^^^^^^
       = delete it

Colour only when asked (the CLI asks on a TTY, unless ``NO_COLOR`` is set).
Long lines are cut to a window around the span.
"""
from __future__ import annotations

from typing import IO

from .base import FindingsFormatter, location, register_formatter, summary

WIDTH = 100
SEV_COLOR = {"critical": "1;31", "major": "31", "minor": "33", "info": "36"}


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and text else text


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK, most emoji) characters two,
    combining marks none, so that the carets sit under the span."""
    import unicodedata
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def excerpt(text: str, start: int, end: int, width: int = WIDTH) -> tuple[str, int, int]:
    """The line of ``text`` holding ``start``, cut to about ``width``
    characters around the span; returns it with the span's offsets in it."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    le = len(text) if le < 0 else le
    line = text[ls:le]
    s, e = start - ls, min(end, le) - ls
    if len(line) > width:
        room = max(0, width - (e - s))
        a = max(0, s - room // 2)
        b = min(len(line), max(e, a + width))
        prefix = "…" if a > 0 else ""
        suffix = "…" if b < len(line) else ""
        line = prefix + line[a:b] + suffix
        s, e = s - a + len(prefix), e - a + len(prefix)
    # Tabs and control characters would shift the carets.
    line = "".join(c if c.isprintable() else "·" for c in line)
    return line, s, e


@register_formatter
class TerminalFormatter(FindingsFormatter):
    name = "text"
    extension = ".txt"
    description = "readable listing: location, code, severity, message, the text with the span marked"

    def write(self, result, out: IO[str], *, color: bool = False) -> None:
        for f in result.findings.to_dict(orient="records"):
            path, line, col = location(result, f)
            system = f["system"] if isinstance(f["system"], str) else None
            if path:
                where = path if line is None else f"{path}:{line}" if col is None else f"{path}:{line}:{col}"
            else:
                where = f"{f['doc_id']}:{f['seg_id']}"
            ctx = f" ({f['side']}" + (f", {system}" if system and len(result.systems) > 1 else "") + ")"
            sev = f["severity"]
            out.write(f"{_c(where, '1', color)}: {_c(f['code'], SEV_COLOR.get(sev, '0'), color)} [{sev}] "
                      f"{f['message']}{ctx if f['side'] == 'source' or len(result.systems) > 1 else ''}\n")
            text = result.text_of(f)
            start, end = int(f["start"]), int(f["end"])
            if text:
                shown, s, e = excerpt(text, start, end)
                marked = shown[:s] + _c(shown[s:e], "4;31", color) + shown[e:] if color else shown
                out.write(f"   | {marked}\n")
                carets = "^" * max(1, _columns(shown[s:e]))
                out.write(f"   | {' ' * _columns(shown[:s])}{_c(carets, '31', color)}\n")
            sug = f.get("suggestion")
            if isinstance(sug, str):
                out.write(f"   = {'delete it' if sug == '' else 'suggestion: ' + repr(sug)}\n")
        s = summary(result)
        sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items() if n)
        n_sys = len(s["systems"])
        out.write(f"{s['findings']} finding{'s' if s['findings'] != 1 else ''}"
                  f"{' (' + sev + ')' if sev else ''} in {s['segments']} segment{'s' if s['segments'] != 1 else ''}"
                  f"{f' × {n_sys} systems' if n_sys > 1 else ''}; {len(s['detectors'])} detectors ran\n")
        if s["by_code"]:
            out.write("by code: " + ", ".join(f"{k} {v}" for k, v in s["by_code"].items()) + "\n")
        if s["inferred_languages"]:
            langs = {k: v for k, v in s["languages"].items() if v}
            out.write("languages guessed from the text: " + ", ".join(f"{k} {v}" for k, v in langs.items()) +
                      " (give --langpair to set them)\n")
        for code, why in s["skipped"].items():
            out.write(f"skipped {code}: {why}\n")
        if s["errors"]:
            out.write(f"{s['errors']} detector error{'s' if s['errors'] != 1 else ''} (segments left unchecked by "
                      "that detector):\n")
            for e in result.errors.to_dict(orient="records"):
                out.write(f"  {e['doc_id']}:{e['seg_id']} {e['code']}: {e['error']}\n")
