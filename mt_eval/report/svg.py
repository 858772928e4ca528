"""Inline SVG charts, drawn on the server so they show without JavaScript.

Each function returns one ``<svg>`` element as a string.  Every piece of
text that reaches the markup (system names, detector codes, labels) goes
through :func:`esc`; numbers are formatted here.  Charts carry a ``<title>``
and ``role="img"`` with an ``aria-label`` for screen readers, and colours
come from a colour-blind-safe palette (Okabe & Ito) with dash patterns once
it runs out, so no series is told apart by colour alone.
"""
from __future__ import annotations

import html
import math
from typing import Sequence

# Okabe-Ito, reordered so neighbouring series contrast; its yellow is too
# faint on white for a line, so Tol's wine takes its place.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
SEVERITY_COLOURS = {"critical": "#8e0b1c", "major": "#d1495b", "minor": "#edae49", "info": "#66a5ad"}
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"12\""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def series_style(i: int) -> tuple[str, str]:
    return PALETTE[i % len(PALETTE)], DASHES[(i // len(PALETTE)) % len(DASHES)]


def _num(v: float, digits: int = 1) -> str:
    return f"{v:.{digits}f}"


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    ticks = []
    t = first
    while t <= hi + 1e-9:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _open(width: int, height: int, label: str, cls: str) -> str:
    return (f'<svg class="chart {esc(cls)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
            f"<title>{esc(label)}</title>")


def _label_width(labels: Sequence[str], minimum: int = 60, maximum: int = 220) -> int:
    longest = max((len(str(x)) for x in labels), default=0)
    return max(minimum, min(maximum, 7 * longest + 12))


def _clip(text: str, chars: int) -> str:
    text = str(text)
    return text if len(text) <= chars else text[:chars - 1] + "…"


def box_plots(title: str, rows: Sequence[tuple[str, dict]], axis: tuple[float, float],
              unit: str = "", width: int = 640) -> str:
    """One horizontal box plot per row: whiskers (Tukey), quartiles, median
    and a diamond at the mean."""
    label_w = _label_width([r[0] for r in rows])
    row_h, top, bottom = 26, 10, 34
    height = top + row_h * len(rows) + bottom
    x0, x1 = label_w, width - 16
    lo, hi = axis

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    parts = [_open(width, height, title, "boxplot")]
    for t in _nice_ticks(lo, hi):
        parts.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{height - bottom + 4}" stroke="#ddd"/>'
                     f'<text x="{x(t):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#444">{_num(t, 0)}</text>')
    if unit:
        parts.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#444">{esc(unit)}</text>')
    for i, (label, d) in enumerate(rows):
        cy = top + row_h * i + row_h / 2
        colour, _ = series_style(i)
        parts.append(f'<text x="{label_w - 8}" y="{cy + 4:.1f}" text-anchor="end" fill="#222">'
                     f'{esc(_clip(label, label_w // 7))}</text>')
        if not d.get("n"):
            parts.append(f'<text x="{x0 + 4}" y="{cy + 4:.1f}" fill="#666">no scored segments</text>')
            continue
        desc = (f"{label}: median {_num(d['median'])}, quartiles {_num(d['q1'])}–{_num(d['q3'])}, "
                f"mean {_num(d['mean'])}, n = {d['n']}")
        parts.append(f'<g><title>{esc(desc)}</title>'
                     f'<line x1="{x(d["whisker_low"]):.1f}" x2="{x(d["whisker_high"]):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="{colour}"/>'
                     f'<line x1="{x(d["whisker_low"]):.1f}" x2="{x(d["whisker_low"]):.1f}" y1="{cy - 5:.1f}" y2="{cy + 5:.1f}" stroke="{colour}"/>'
                     f'<line x1="{x(d["whisker_high"]):.1f}" x2="{x(d["whisker_high"]):.1f}" y1="{cy - 5:.1f}" y2="{cy + 5:.1f}" stroke="{colour}"/>'
                     f'<rect x="{x(d["q1"]):.1f}" y="{cy - 8:.1f}" width="{max(1.0, x(d["q3"]) - x(d["q1"])):.1f}" height="16" '
                     f'fill="{colour}" fill-opacity="0.25" stroke="{colour}"/>'
                     f'<line x1="{x(d["median"]):.1f}" x2="{x(d["median"]):.1f}" y1="{cy - 8:.1f}" y2="{cy + 8:.1f}" stroke="{colour}" stroke-width="2.5"/>'
                     f'<path d="M{x(d["mean"]):.1f},{cy - 4:.1f} l4,4 l-4,4 l-4,-4z" fill="#fff" stroke="#222"/></g>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]],
                 width: int = 640, unit: str = "") -> str:
    """Horizontal bars, one per row, stacked from ``(name, value, colour)``
    parts; the total is printed at the end of each bar."""
    label_w = _label_width([r[0] for r in rows])
    row_h, top, bottom = 22, 8, 30
    height = top + row_h * max(1, len(rows)) + bottom
    x0, x1 = label_w, width - 56
    total_max = max((sum(v for _, v, _ in parts) for _, parts in rows), default=0) or 1
    ticks = [t for t in _nice_ticks(0, total_max, 4) if float(t).is_integer()]

    def x(v: float) -> float:
        return x0 + v / total_max * (x1 - x0)

    out = [_open(width, height, title, "bars")]
    for t in ticks:
        out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{height - bottom + 4}" stroke="#e4e4e4"/>'
                   f'<text x="{x(t):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#444">{int(t)}</text>')
    if unit:
        out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{height - 2}" text-anchor="middle" fill="#444">{esc(unit)}</text>')
    if not rows:
        out.append(f'<text x="{x0}" y="{top + 14}" fill="#666">nothing to show</text>')
    for i, (label, parts) in enumerate(rows):
        y = top + row_h * i + 3
        out.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" fill="#222">{esc(_clip(label, label_w // 7))}</text>')
        pos = 0.0
        for name, value, colour in parts:
            if value <= 0:
                continue
            out.append(f'<rect x="{x(pos):.1f}" y="{y}" width="{x(pos + value) - x(pos):.1f}" height="{row_h - 6}" '
                       f'fill="{colour}"><title>{esc(f"{label}: {value:g} {name}")}</title></rect>')
            pos += value
        out.append(f'<text x="{x(pos) + 4:.1f}" y="{y + 12}" fill="#222">{pos:g}</text>')
    out.append("</svg>")
    return "".join(out)


def line_chart(title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
               y_range: tuple[float, float] | None = None, y_label: str = "", x_label: str = "",
               width: int = 640, height: int = 300) -> str:
    """Lines with markers over categorical x; ``None`` values leave a gap.
    The legend sits under the plot, one entry per series."""
    values = [v for _, vs in series for v in vs if v is not None]
    if y_range is None:
        lo = min(values, default=0.0)
        hi = max(values, default=1.0)
        pad = (hi - lo) * 0.1 or 1.0
        y_range = (max(0.0, lo - pad), hi + pad)
    lo, hi = y_range
    legend_cols = 3
    legend_rows = math.ceil(len(series) / legend_cols)
    plot_h = height
    total_h = plot_h + 18 * legend_rows + 6
    x0, x1, y0, y1 = 52, width - 16, 12, plot_h - 44
    n = max(1, len(x_labels))

    def x(i: int) -> float:
        return x0 + (i + 0.5) / n * (x1 - x0)

    def y(v: float) -> float:
        return y1 - (v - lo) / (hi - lo) * (y1 - y0)

    out = [_open(width, total_h, title, "lines")]
    for t in _nice_ticks(lo, hi):
        out.append(f'<line x1="{x0}" x2="{x1}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e4e4e4"/>'
                   f'<text x="{x0 - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#444">{t:g}</text>')
    for i, lab in enumerate(x_labels):
        out.append(f'<text x="{x(i):.1f}" y="{y1 + 16}" text-anchor="middle" fill="#444">{esc(lab)}</text>')
    if x_label:
        out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y1 + 34}" text-anchor="middle" fill="#444">{esc(x_label)}</text>')
    if y_label:
        out.append(f'<text transform="translate(12 {(y0 + y1) / 2:.1f}) rotate(-90)" text-anchor="middle" '
                   f'fill="#444">{esc(y_label)}</text>')
    for k, (name, vs) in enumerate(series):
        colour, dash = series_style(k)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(vs):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x(i), y(v)))
        out.append(f'<g><title>{esc(name)}</title>')
        for run in runs:
            if len(run) > 1:
                pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in run)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for i, v in enumerate(vs):
            if v is not None:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                           f'<title>{esc(f"{name}, {x_labels[i]}: {v:.2f}")}</title></circle>')
        out.append("</g>")
    col_w = (width - 20) / legend_cols
    for k, (name, _) in enumerate(series):
        colour, dash = series_style(k)
        lx = 10 + (k % legend_cols) * col_w
        ly = plot_h + 18 * (k // legend_cols)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx:.1f}" x2="{lx + 22:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
                   f'<text x="{lx + 28:.1f}" y="{ly + 4:.1f}" fill="#222">{esc(_clip(name, int(col_w / 7) - 5))}</text>')
    out.append("</svg>")
    return "".join(out)
