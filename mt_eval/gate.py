"""The CI gate: detectors and metrics over feeds or corpora, judged against
thresholds, optionally relative to a baseline.

Configuration lives in ``[tool.mt_eval.gate]`` (``pyproject.toml``) or
``[gate]`` (``mt_eval.toml``)::

    [tool.mt_eval.gate]
    fail-on = "major"              # any new finding this severe or worse fails ("none": never)
    max-findings = { minor = 20 }  # budgets per severity and feed (override fail-on for that severity)
    metrics = { chrf = 55 }        # minimum corpus score when references exist (TER: a maximum)
    unpaired = "report"            # or "fail": unpaired items fail the gate
    detector-errors = "fail"       # or "report": a detector that crashed leaves text unchecked
    select = ["BP", "GN"]          # detectors for the gate (default: the [tool.mt_eval] selection)
    ignore = []
    pair-by = "auto"               # auto, id, link or field:NAME
    langpair = "fr-en"             # which feeds are sources and which translations
    system = "mt"                  # system name given to translated feeds

    [tool.mt_eval.gate.feeds."*/politics-*.xml"]   # per-feed overrides (glob on the path)
    fail-on = "critical"

Findings are counted per unit (one translated feed, or one corpus file).
With a baseline only findings whose fingerprint is not in it count; the
others are reported as known, and baseline entries no longer found are
reported as fixed.
"""
from __future__ import annotations

import fnmatch
import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from .baseline import BaselineEntry, entries, fingerprints, match
from .corpus import Corpus, hyp_column
from .detectors.base import Detector, Finding, Severity
from .errors import UsageError

SEVERITIES = list(Severity)
_KEYS = {"fail-on", "max-findings", "metrics", "unpaired", "detector-errors", "select", "ignore",
         "extend-select", "pair-by", "langpair", "system", "feeds"}
_OVERRIDABLE = {"fail-on", "max-findings", "metrics", "unpaired", "detector-errors", "select", "ignore",
                "extend-select"}


@dataclass(frozen=True)
class GateConfig:
    fail_on: Severity | None = Severity.MAJOR
    max_findings: Mapping[str, int] = field(default_factory=dict)   # severity name -> budget
    metrics: Mapping[str, float] = field(default_factory=dict)
    unpaired: str = "report"
    detector_errors: str = "fail"
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    pair_by: str = "auto"
    langpair: str | None = None
    system: str = "mt"
    feeds: tuple[tuple[str, Mapping[str, Any]], ...] = ()   # (glob, raw override table)

    def limit(self, severity: Severity) -> int | None:
        """Largest allowed count of new findings of ``severity`` (None: no limit)."""
        name = str(severity)
        if name in self.max_findings:
            v = self.max_findings[name]
            return None if v < 0 else v
        if self.fail_on is not None and severity >= self.fail_on:
            return 0
        return None

    def for_feed(self, path: str) -> "GateConfig":
        """This config with the overrides whose glob matches ``path`` (in file order)."""
        cfg = self
        posix = Path(path).as_posix()
        for pattern, table in self.feeds:
            if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(Path(path).name, pattern):
                cfg = _apply(cfg, table, f"feeds.{pattern!r}", overrides_only=True)
        return cfg

    def as_toml_table(self) -> dict[str, Any]:
        """The effective values, in the shape the config file takes."""
        out: dict[str, Any] = {"fail-on": str(self.fail_on) if self.fail_on is not None else "none",
                               "max-findings": dict(self.max_findings), "metrics": dict(self.metrics),
                               "unpaired": self.unpaired, "detector-errors": self.detector_errors}
        if self.select is not None:
            out["select"] = list(self.select)
        out["ignore"] = list(self.ignore)
        if self.extend_select:
            out["extend-select"] = list(self.extend_select)
        out.update({"pair-by": self.pair_by, "system": self.system})
        if self.langpair:
            out["langpair"] = self.langpair
        if self.feeds:
            out["feeds"] = {p: dict(t) for p, t in self.feeds}
        return out


class GateConfigError(UsageError):
    """A bad value in a gate table.  ``table`` is the dotted path of the
    table holding it ("" for the gate table, ``feeds."*.atom"`` for a feed's
    overrides) and ``key`` the key's own, so that a configuration file can
    point at its line; ``detail`` is the message without a place."""

    def __init__(self, where: str, table: str, key: str, detail: str):
        super().__init__(f"{where}{'.' + table if table else ''}: {detail}")
        self.table, self.key, self.detail = table, key, detail


def _apply(cfg: GateConfig, table: Mapping[str, Any], where: str, overrides_only: bool = False,
           path: str = "") -> GateConfig:
    def fail(key: str, detail: str) -> GateConfigError:
        return GateConfigError(where, path, f"{path}.{key}" if path else key, detail)

    allowed = _OVERRIDABLE if overrides_only else _KEYS
    unknown = set(table) - allowed
    if unknown:
        raise fail(sorted(unknown)[0], f"unknown key(s) {', '.join(sorted(unknown))}; "
                                       f"known: {', '.join(sorted(allowed))}")
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "fail-on":
            if not isinstance(value, str):
                raise fail(key, f"fail-on must be a string such as \"major\" or \"none\", got {value!r}")
            if value.strip().lower() == "none":
                changes["fail_on"] = None
            else:
                try:
                    changes["fail_on"] = Severity.parse(value)
                except ValueError as exc:
                    raise fail(key, f"fail-on: {exc} (or 'none')") from None
        elif key == "max-findings":
            if not isinstance(value, Mapping):
                raise fail(key, "max-findings must be a table like { minor = 20 }")
            budgets = dict(cfg.max_findings)
            for sev, n in value.items():
                try:
                    name = str(Severity.parse(sev))
                except ValueError as exc:
                    raise fail(key, f"max-findings: {exc}") from None
                if not isinstance(n, int) or isinstance(n, bool):
                    raise fail(key, f"max-findings.{sev} must be an integer (-1: no limit)")
                budgets[name] = n
            changes["max_findings"] = budgets
        elif key == "metrics":
            if not isinstance(value, Mapping):
                raise fail(key, "metrics must be a table like { chrf = 55 }")
            from .metrics import available
            known = {m.lower() for m in available()}
            mins = dict(cfg.metrics)
            for name, v in value.items():
                if name.lower() not in known:
                    raise fail(key, f"metrics: unknown metric {name!r}; known: {', '.join(sorted(known))}")
                if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                    raise fail(key, f"metrics.{name} must be a number")
                mins[name.lower()] = float(v)
            changes["metrics"] = mins
        elif key in ("unpaired", "detector-errors"):
            if value not in ("report", "fail"):
                raise fail(key, f"{key} must be 'report' or 'fail'")
            changes[key.replace("-", "_")] = value
        elif key in ("select", "ignore", "extend-select"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise fail(key, f"{key} must be a list of strings")
            changes[key.replace("-", "_")] = tuple(value)
        elif key in ("pair-by", "langpair", "system"):
            if not isinstance(value, str) or not value:
                raise fail(key, f"{key} must be a non-empty string")
            from .readers.feedpair import langpair_problem, pair_by_problem
            problem = {"pair-by": pair_by_problem, "langpair": langpair_problem}.get(key, lambda v: None)(value)
            if problem:
                raise fail(key, problem)
            changes[key.replace("-", "_")] = value
        elif key == "feeds":
            if not isinstance(value, Mapping) or not all(isinstance(t, Mapping) for t in value.values()):
                raise fail(key, "feeds must hold tables keyed by a path glob")
            for pattern, t in value.items():
                # validate now; the path names the table as a TOML header would
                _apply(cfg, t, where, overrides_only=True, path=f"feeds.{toml_key(pattern)}")
            changes["feeds"] = tuple((p, dict(t)) for p, t in value.items())
    return replace(cfg, **changes)


def toml_key(key: str) -> str:
    """``key`` as a TOML key: bare when it can be, else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def gate_config(table: Mapping[str, Any] | None, where: str = "[tool.mt_eval.gate]") -> GateConfig:
    """Validate a ``[tool.mt_eval.gate]`` table (unknown keys are errors)."""
    return _apply(GateConfig(), table or {}, where)


# -- results ------------------------------------------------------------------------
@dataclass
class FindingRecord:
    finding: Finding
    fingerprint: str
    known: bool                   # in the baseline
    path: str | None
    line: int | None
    part: str | None = None       # title / summary / body, for feeds
    blocking: bool = False        # a new finding whose severity has a limit of 0
    column: int | None = None     # 1-based, in the line of the file, when it can be told
    end_column: int | None = None

    @property
    def status(self) -> str:
        return "baselined" if self.known else "new"


@dataclass
class ItemResult:
    """One input item: a feed item (paired or not) or a corpus document."""
    unit: str
    doc_id: str
    title: str
    status: str                   # passed, failed or unpaired
    path: str | None
    line: int | None
    findings: list[FindingRecord] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)   # (kind, message)

    @property
    def new_findings(self) -> list[FindingRecord]:
        return [r for r in self.findings if not r.known]


@dataclass
class MetricCheck:
    metric: str
    system: str
    score: float | None
    threshold: float
    higher_is_better: bool
    passed: bool | None           # None: not checked (no references)
    n_scored: int = 0
    note: str = ""


@dataclass
class UnitResult:
    name: str
    config: GateConfig
    n_items: int
    n_segments: int
    counts: dict[str, int]               # new findings per severity
    known_counts: dict[str, int]         # baselined findings per severity
    limits: dict[str, int | None]
    metrics: list[MetricCheck]
    reasons: list[str]
    skipped: dict[str, str]
    errors: list[dict]
    detectors: list[str]

    @property
    def passed(self) -> bool:
        return not self.reasons


@dataclass
class GateResult:
    units: list[UnitResult]
    items: list[ItemResult]
    fixed: list[BaselineEntry]
    baseline: str | None

    @property
    def passed(self) -> bool:
        return all(u.passed for u in self.units)

    @property
    def reasons(self) -> list[str]:
        return [f"{u.name}: {r}" for u in self.units for r in u.reasons]

    @property
    def records(self) -> list[FindingRecord]:
        return [r for it in self.items for r in it.findings]

    def status_counts(self) -> dict[str, int]:
        out = {"passed": 0, "failed": 0, "unpaired": 0}
        for it in self.items:
            out[it.status] += 1
        return out

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


# -- units ------------------------------------------------------------------------------
@dataclass
class Unit:
    """What the gate checks as one: a corpus, its items and their notes."""
    name: str
    corpus: Corpus
    items: list[Any]               # ItemInfo for feeds, or (doc_id, title, path, line) for corpora
    extra: list[ItemResult] = field(default_factory=list)   # unpaired items reported with this unit


@dataclass
class Checked:
    """Detector output of every unit, before judging (so a run can be judged
    again, e.g. against a baseline it has just written)."""
    per_unit: list[tuple[Unit, GateConfig, list[Finding], dict, list, list[Detector]]]
    prints: list[str]


def run_checks(units: Sequence[Unit], cfg: GateConfig, *, detectors: Sequence[Detector] | None = None,
               detector_config=None, show_progress: bool | None = None,
               workers: int | None = None) -> Checked:
    """Run the detectors of every unit.

    ``detectors`` fixes the detector instances (tests, the API); otherwise
    they come from ``detector_config`` (the project's
    :class:`~mt_eval.config.DetectorSettings`) with the gate's selection in
    ``cfg`` on top.  ``workers``: processes per unit (default: as
    :func:`mt_eval.check`).
    """
    from .detectors.runner import run as run_detectors
    per_unit = []
    all_findings: list[Finding] = []
    for unit in units:
        ucfg = cfg.for_feed(unit.name)
        dets = list(detectors) if detectors is not None else _detectors(ucfg, detector_config)
        if len(unit.corpus):
            res = run_detectors(unit.corpus, dets, show_progress=show_progress, workers=workers)
            found, skipped, errors = res.finding_objects, res.skipped, res.errors.to_dict("records")
        else:
            found, skipped, errors = [], {}, []
        per_unit.append((unit, ucfg, found, skipped, errors, dets))
        all_findings += found
    return Checked(per_unit, fingerprints(all_findings))


def judge(checked: Checked, *, baseline: Sequence[BaselineEntry] | None = None,
          baseline_path: str | None = None) -> GateResult:
    prints = checked.prints
    known, fixed = match(prints, baseline) if baseline is not None else ([False] * len(prints), [])
    units_out, items_out = [], []
    k = 0
    for unit, ucfg, found, skipped, errors, dets in checked.per_unit:
        n = len(found)
        records = _records(unit.corpus, found, prints[k:k + n], known[k:k + n], ucfg)
        k += n
        ures, items = _judge(unit, ucfg, records, skipped, errors, dets)
        units_out.append(ures)
        items_out += items
    return GateResult(units_out, items_out, fixed, baseline_path)


def evaluate(units: Sequence[Unit], cfg: GateConfig, *, baseline: Sequence[BaselineEntry] | None = None,
             baseline_path: str | None = None, detectors: Sequence[Detector] | None = None,
             detector_config=None, show_progress: bool | None = None) -> GateResult:
    """Run the checks of every unit and judge them (see :func:`run_checks`)."""
    checked = run_checks(units, cfg, detectors=detectors, detector_config=detector_config,
                         show_progress=show_progress)
    return judge(checked, baseline=baseline, baseline_path=baseline_path)


def checked_entries(checked: Checked) -> list[BaselineEntry]:
    found = [f for _, _, fs, _, _, _ in checked.per_unit for f in fs]
    return entries(found, checked.prints)


def _detectors(cfg: GateConfig, settings) -> list[Detector]:
    """The project's detector settings with the gate's (and a feed's)
    select/ignore/extend-select layered on top."""
    from .config import DetectorSettings
    settings = settings if settings is not None else DetectorSettings()
    if cfg.select is not None or cfg.ignore or cfg.extend_select:
        settings = settings.overlay(DetectorSettings(
            select=list(cfg.select) if cfg.select is not None else None,
            ignore=list(cfg.ignore), extend_select=list(cfg.extend_select)))
    return settings.instantiate()


def _records(corpus: Corpus, found, prints, known, cfg: GateConfig) -> list[FindingRecord]:
    rows = corpus.row_index()
    has_part = "part" in corpus.frame.columns
    out = []
    for f, fp, kn in zip(found, prints, known):
        i = rows.get((f.doc_id, int(f.seg_id)))
        path = line = part = None
        if i is not None:
            role = "source" if f.side == "source" else hyp_column(f.system) if f.system else "source"
            loc = corpus.location(i, role)
            if loc:
                path, line = loc
            if has_part:
                part = corpus.frame["part"].iat[i]
        limit = cfg.limit(f.severity)
        out.append(FindingRecord(f, fp, kn, path, line, part, blocking=(not kn and limit == 0)))
    from .locate import columns
    columns(out)
    return out


# Notes that make an item unpaired: a translation without its source (or a
# reference matching nothing), a source without its translation.
UNPAIRED_NOTES = frozenset({"no-source", "no-translation"})


def _unpaired(notes) -> bool:
    """Whether ``(kind, message)`` notes make an item unpaired."""
    return any(kind in UNPAIRED_NOTES for kind, _ in notes)


def _judge(unit: Unit, cfg: GateConfig, records: list[FindingRecord], skipped, errors, dets):
    by_doc: dict[str, list[FindingRecord]] = {}
    for r in records:
        by_doc.setdefault(r.finding.doc_id, []).append(r)
    items: list[ItemResult] = []
    for info in unit.items:
        if isinstance(info, ItemResult):
            info.findings = by_doc.get(info.doc_id, [])
            info.status = "failed" if any(r.blocking for r in info.findings) else "passed"
            items.append(info)
            continue
        path, line = info.location
        recs = by_doc.get(info.doc_id, [])
        notes = [(n.kind, n.message) for n in info.notes]
        status = "failed" if any(r.blocking for r in recs) else "unpaired" if _unpaired(notes) else "passed"
        items.append(ItemResult(unit.name, info.doc_id, info.title, status, path, line, recs, notes))
    items += unit.extra
    counts = {str(s): 0 for s in SEVERITIES}
    known_counts = {str(s): 0 for s in SEVERITIES}
    for r in records:
        (known_counts if r.known else counts)[str(r.finding.severity)] += 1
    limits = {str(s): cfg.limit(s) for s in SEVERITIES}
    reasons = []
    for s in reversed(SEVERITIES):
        name, lim = str(s), limits[str(s)]
        if lim is not None and counts[name] > lim:
            codes = sorted({r.finding.code for r in records if not r.known and str(r.finding.severity) == name})
            reasons.append(f"{counts[name]} new {name} finding{'s' if counts[name] != 1 else ''} "
                           f"(limit {lim}): {', '.join(codes)}")
    # a translation without its source is unpaired even when its findings fail it
    unpaired = [it for it in items if it.status == "unpaired" or _unpaired(it.notes)]
    if unpaired and cfg.unpaired == "fail":
        reasons.append(f"{len(unpaired)} unpaired item{'s' if len(unpaired) != 1 else ''}")
    if errors and cfg.detector_errors == "fail":
        reasons.append(f"{len(errors)} detector error{'s' if len(errors) != 1 else ''} (text left unchecked)")
    checks = _metric_checks(unit.corpus, cfg)
    ran = [d for d in dets if d.code not in skipped]
    if not len(unit.corpus):
        # an empty translated feed (a broken export, say) must not pass unseen
        reasons.append("nothing was checked: no translated item")
    elif not ran and not any(c.passed is not None for c in checks):
        # A gate that checked nothing must not pass as if all were well.
        reasons.append("nothing was checked: no detector ran" +
                       (f" ({'; '.join(f'{c}: {w}' for c, w in sorted(skipped.items()))})" if skipped else ""))
    for c in checks:
        if c.passed is False:
            op = "≥" if c.higher_is_better else "≤"
            reasons.append(f"{c.metric} {c.score:.2f} for {c.system} (required {op} {c.threshold:g})")
    ures = UnitResult(unit.name, cfg, len(items), len(unit.corpus), counts, known_counts, limits, checks,
                      reasons, dict(skipped), list(errors), [d.code for d in dets])
    return ures, items


def _metric_checks(corpus: Corpus, cfg: GateConfig) -> list[MetricCheck]:
    if not cfg.metrics:
        return []
    systems = corpus.systems
    if not len(corpus) or not corpus.has_references:
        return [MetricCheck(m, s, None, t, True, None, 0, "no references") for m, t in cfg.metrics.items()
                for s in systems]
    from .scoring import score
    names = list(cfg.metrics)
    res = score(corpus, names, sentence_level=False)
    out = []
    # Rows come per system, then per metric in the order asked.
    for i, row in enumerate(res.corpus.to_dict("records")):
        name = names[i % len(names)]
        thr = cfg.metrics[name]
        hib = bool(row["higher_is_better"])
        ok = row["score"] >= thr if hib else row["score"] <= thr
        out.append(MetricCheck(name, row["system"], float(row["score"]), thr, hib, bool(ok), int(row["n_scored"])))
    return out
