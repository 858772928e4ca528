"""``mt-eval check``: run the error detectors on a corpus and report findings."""
from __future__ import annotations

import argparse
import os
import sys

from ..config import Config, DetectorSettings, load_config
from ..detectors.runner import check_corpus
from ..formatters import findings_formatters, get_formatter
from ._cache import add_parse_cache_argument, apply_parse_cache_argument
from ._input import add_input_arguments, corpus_from_args
from ._output import add_output_arguments, open_output
from ._types import DETECTOR_HELP, add_progress_argument, add_workers_argument


def add_selection_arguments(p: argparse.ArgumentParser) -> None:
    """Detector selection flags; they override the configuration file."""
    g = p.add_argument_group("detectors (override [tool.mt_eval] in pyproject.toml or mt_eval.toml)")
    g.add_argument("--select", action="append", metavar="SELECTORS",
                   help="run only these: code prefixes, names or groups, comma-separated (e.g. BP,SG001,numbers; ALL)")
    g.add_argument("--ignore", action="append", default=[], metavar="SELECTORS", help="do not run these")
    g.add_argument("--extend-select", action="append", default=[], metavar="SELECTORS",
                   help="run these in addition to the selection")
    g.add_argument("--severity", action="append", default=[], metavar="SELECTOR=LEVEL",
                   help="override a severity (critical, major, minor, info), e.g. BP001=minor")
    g.add_argument("--option", action="append", default=[], metavar="CODE.NAME=VALUE",
                   help="set a detector option, e.g. LR001.max_z=5")
    g.add_argument("--config", metavar="FILE", help="configuration file (default: found from the input upwards)")
    g.add_argument("--no-config", action="store_true", help="ignore configuration files")
    add_parse_cache_argument(g)


def register(sub) -> None:
    p = sub.add_parser("check", help="find translation errors (boilerplate, segmentation, numbers, untranslated, …)",
                       description="Run the reference-free error detectors on system outputs and list the findings. "
                                   "Findings are not failures: the exit code is 0 unless the input or the options "
                                   "are wrong (2). See `mt-eval detectors` for what each detector flags.")
    add_input_arguments(p)
    add_selection_arguments(p)
    p.add_argument("--systems", nargs="+", metavar="NAME", help="check only these systems")
    add_workers_argument(p, DETECTOR_HELP)
    add_output_arguments(p, formats=list(findings_formatters()), default="text")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour in the text format (auto: on a terminal unless NO_COLOR is set)")
    add_progress_argument(p)
    p.set_defaults(run=run)


def input_path(args) -> str | None:
    """The input file configuration discovery starts from."""
    if getattr(args, "corpus", None):
        return args.corpus
    for v in [args.src, *args.hyp, *args.ref]:
        if v:
            name, eq, path = v.partition("=")
            return path if eq and not os.path.exists(v) else v
    return None


def settings_from_args(args) -> DetectorSettings:
    config = Config() if args.no_config else load_config(args.config, start=input_path(args))
    cli = DetectorSettings.from_cli(select=args.select, ignore=args.ignore, extend_select=args.extend_select,
                                    severity=args.severity, option=args.option)
    return config.detectors.overlay(cli)


def run(args) -> int:
    apply_parse_cache_argument(args)
    settings = settings_from_args(args)
    detectors = settings.instantiate()
    corpus = corpus_from_args(args)
    result = check_corpus(corpus, detectors=detectors, systems=args.systems, show_progress=args.show_progress,
                          workers=args.workers)
    formatter = get_formatter(args.format)
    with open_output(args) as out:
        color = args.color == "always" or (args.color == "auto" and out is sys.stdout and sys.stdout.isatty()
                                           and not os.environ.get("NO_COLOR"))
        formatter.write(result, out, color=color)
    if args.output or args.format != "text":
        n = len(result.findings)
        print(f"mt-eval check: {n} finding{'s' if n != 1 else ''}"
              + (f", {len(result.errors)} detector errors" if len(result.errors) else "")
              + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return 0
