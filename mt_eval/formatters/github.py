"""GitHub Actions workflow commands: one annotation per finding that counts.

Format (GitHub's documented workflow-command syntax)::

    ::error file={path},line={line},title={title}::{message}

``error`` for blocking findings and failed thresholds, ``warning`` for new
findings below the failing severity, ``notice`` for unpaired items;
baselined findings are not annotated.  Values are escaped as the runner
expects: in the message ``%`` ``\\r`` ``\\n`` become ``%25`` ``%0D`` ``%0A``;
in properties ``:`` and ``,`` also become ``%3A`` ``%2C``.

Every item is also listed, one plain log line each, inside a collapsed
``::group::`` so the log accounts for all of them; those lines start with
spaces, so nothing in an item's text can be read as a command.

The CLI emits these only under GitHub Actions (``GITHUB_ACTIONS=true``)
unless asked for with ``--format github``.
"""
from __future__ import annotations

import os

from ..detectors.base import Severity
from ..gate import GateResult
from ._safe import plain, truncate


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, *, file: str | None = None, line: int | None = None,
            col: int | None = None, end_column: int | None = None, title: str | None = None) -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
    if line:
        props.append(f"line={int(line)}")
        if col:
            props.append(f"col={int(col)}")
            if end_column:
                props.append(f"endColumn={int(end_column)}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level}" + (" " + ",".join(props) if props else "")
    # plain() turns control characters into visible escapes but keeps
    # newlines for escape_data to encode.
    return f"{head}::{escape_data(plain(message, one_line=False))}"


def under_actions(env=None) -> bool:
    return (env if env is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def render(result: GateResult) -> str:
    lines = []
    for it in result.items:
        for r in it.findings:
            if r.known:
                continue
            f = r.finding
            level = "error" if r.blocking else ("notice" if f.severity == Severity.INFO else "warning")
            title = f"{f.code} {f.name} ({f.severity})"
            span = f": “{truncate(f.span_text, 120)}”" if f.span_text else ""
            msg = f"{f.message}{span}\n{it.doc_id} — {truncate(it.title, 100)}"
            if f.suggestion:
                msg += f"\nsuggestion: {f.suggestion}"
            lines.append(command(level, msg, file=r.path, line=r.line, col=r.column, end_column=r.end_column,
                                 title=plain(title)))
        if it.status == "unpaired":
            fails = any(u.name == it.unit and u.config.unpaired == "fail" for u in result.units)
            lines.append(command("error" if fails else "notice",
                                 f"unpaired item {it.doc_id}: " + "; ".join(m for _, m in it.notes),
                                 file=it.path, line=it.line, title="mt-eval: unpaired item"))
    for u in result.units:
        for reason in u.reasons:
            lines.append(command("error", reason, file=u.name, title="mt-eval gate failed"))
    counts = result.status_counts()
    lines.append(f"::group::mt-eval ci: {len(result.items)} items — {counts['passed']} passed, "
                 f"{counts['failed']} failed, {counts['unpaired']} unpaired")
    for it in result.items:
        where = f"{it.path}:{it.line}" if it.line else (it.path or "")
        lines.append(f"  {it.status:8} {plain(it.doc_id)} ({where}) {plain(truncate(it.title, 80))}")
    lines.append("::endgroup::")
    return "\n".join(lines) + "\n"
