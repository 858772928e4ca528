"""``mt-eval ci``: gate translated feeds (or corpus files) in CI.

Exit codes: 0 the gate passed, 1 it failed, 2 usage or input error.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import UsageError
from ._cache import add_parse_cache_argument, apply_parse_cache_argument
from ._types import DETECTOR_HELP, add_progress_argument, add_workers_argument

FORMATS = ("text", "json", "junit", "sarif", "github", "markdown")


def register(sub) -> None:
    p = sub.add_parser(
        "ci", help="gate translated feeds or corpora: thresholds, baselines, CI-native output",
        description="Check translated feeds (RSS, Atom, JSON Feed; files or directories) or corpus files "
                    "against the thresholds of [tool.mt_eval.gate]. Exit 0 pass, 1 gate failed, 2 error.")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="feed or corpus files, or directories of them (not recursive; in a directory, "
                        "files that are neither, such as package.json, are passed over)")
    p.add_argument("--config", metavar="FILE", help="pyproject.toml or mt_eval.toml (default: discovered)")
    p.add_argument("--show-config", action="store_true", help="print the effective configuration and exit")
    p.add_argument("-f", "--format", action="append", default=[], metavar="FMT[=FILE]",
                   help=f"output format, repeatable, optionally to a file: {', '.join(FORMATS)} "
                        "(default: text to standard output)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the (single) output format to FILE")
    p.add_argument("--baseline", metavar="FILE", help="fail only on findings not in this baseline")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="record every current finding as accepted, then judge the run against it")
    g = p.add_argument_group("feeds")
    g.add_argument("-l", "--langpair", metavar="SRC-TGT", help="language pair telling source from translated feeds")
    g.add_argument("--ref", metavar="FEED", action="append", default=[], help="reference (post-edited) feed; repeatable")
    g.add_argument("--pair-by", metavar="HOW", help="auto (default), id, link or field:NAME")
    g.add_argument("--system", metavar="NAME", help="system name for translated feeds (default mt)")
    d = p.add_argument_group("gate (override the configuration)")
    d.add_argument("--select", metavar="SEL", help="detectors, comma-separated (codes, prefixes, names, groups)")
    d.add_argument("--ignore", metavar="SEL", help="detectors to leave out, comma-separated")
    d.add_argument("--extend-select", metavar="SEL", help="detectors to add, comma-separated")
    d.add_argument("--fail-on", metavar="SEVERITY", help="critical, major, minor, info or none")
    p.add_argument("--annotations", action=argparse.BooleanOptionalAction, default=None,
                   help="GitHub annotations on standard output (default: when GITHUB_ACTIONS=true)")
    p.add_argument("--step-summary", action=argparse.BooleanOptionalAction, default=None,
                   help="append the Markdown summary to $GITHUB_STEP_SUMMARY (default: when set under Actions)")
    add_progress_argument(p)
    add_parse_cache_argument(d)
    add_workers_argument(p, DETECTOR_HELP)
    p.set_defaults(run=run)


def _split(v: str | None) -> list[str]:
    return [x.strip() for x in (v or "").split(",") if x.strip()]


def _cli_overrides(args) -> dict:
    table: dict = {}
    if args.select:
        table["select"] = _split(args.select)
    if args.ignore:
        table["ignore"] = _split(args.ignore)
    if args.extend_select:
        table["extend-select"] = _split(args.extend_select)
    if args.fail_on:
        table["fail-on"] = args.fail_on
    for key, value in (("pair-by", args.pair_by), ("langpair", args.langpair), ("system", args.system)):
        if value:
            table[key] = value
    return table


def _outputs(args) -> list[tuple[str, str | None]]:
    outs = []
    for spec in args.format or ["text"]:
        fmt, eq, path = spec.partition("=")
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        if eq and not path:
            raise UsageError(f"--format {spec}: give a file after '='")
        outs.append((fmt, path or None))
    if args.output:
        if len(outs) != 1 or outs[0][1]:
            raise UsageError("-o/--output goes with exactly one --format without '=FILE'")
        outs = [(outs[0][0], args.output)]
    return outs


def run(args) -> int:
    from ..ci_config import load, show
    from ..gate import checked_entries, judge, run_checks
    from ..baseline import read_baseline, write_baseline
    from ..formatters import gate_formats
    from ..formatters.github import under_actions
    from ..fileio import atomic_write

    apply_parse_cache_argument(args)
    outputs = _outputs(args)
    cfg, detector_cfg, source = load(args.config, _cli_overrides(args), start=(args.inputs or [None])[0])
    if args.show_config:
        sys.stdout.write(show(cfg, detector_cfg, source))
        return 0
    if args.baseline and args.write_baseline:
        raise UsageError("give --baseline or --write-baseline, not both")
    from ..gate_inputs import load_units
    units = load_units(args.inputs, cfg, references=args.ref, langpair=cfg.langpair)
    checked = run_checks(units, cfg, detector_config=detector_cfg, show_progress=args.show_progress,
                         workers=args.workers)
    if args.write_baseline:
        entries = checked_entries(checked)
        n = write_baseline(args.write_baseline, entries)
        print(f"mt-eval ci: baseline of {n} finding{'s' if n != 1 else ''} written to {args.write_baseline}",
              file=sys.stderr)
        # The run is judged against what was just accepted.
        result = judge(checked, baseline=entries, baseline_path=args.write_baseline)
    else:
        baseline = read_baseline(args.baseline) if args.baseline else None
        result = judge(checked, baseline=baseline, baseline_path=args.baseline)
    renderers = gate_formats()
    annotate = args.annotations if args.annotations is not None else under_actions()
    if annotate and not any(f == "github" for f, _ in outputs):
        outputs.append(("github", None))
    for fmt, path in outputs:
        text = renderers[fmt](result)
        if path:
            with atomic_write(path) as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    step = args.step_summary if args.step_summary is not None else (under_actions() and bool(summary))
    if step:
        if not summary:
            raise UsageError("--step-summary needs $GITHUB_STEP_SUMMARY to name a file")
        try:
            with open(summary, "a", encoding="utf-8") as fh:
                fh.write(renderers["markdown"](result))
        except OSError as exc:
            raise UsageError(f"{summary}: cannot append the step summary ({exc.strerror})") from None
    return result.exit_code
