"""``mt-eval report``: the review report (HTML, Markdown, JSON, tables)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import UsageError
from ..metrics import available
from ..stats import DEFAULT_SEED
from ._input import add_input_arguments, corpus_from_args
from ._cache import apply_parse_cache_argument
from ._types import add_progress_argument, add_workers_argument, at_least
from .check import add_selection_arguments, settings_from_args

DEFAULT_DIR = "reports"


def register(sub) -> None:
    from ..report.outputs import DEFAULT_FORMATS, SUFFIXES
    p = sub.add_parser(
        "report", help="self-contained HTML review report, plus Markdown, JSON and segment tables",
        description="Score every system (with confidence intervals and a paired test against the "
                    "baseline when there are references), run the detectors (selected as for "
                    "`mt-eval check`, from [tool.mt_eval] and the flags below), and write a review "
                    "report: one self-contained HTML file (no network requests), a Markdown summary "
                    "and the JSON document, by default under reports/.")
    add_input_arguments(p)
    p.add_argument("-o", "--output", metavar="PATH",
                   help=f"output file stem or .html path, or a directory to write <corpus name>.* into "
                        f"(default: {DEFAULT_DIR}/<corpus name>); each format adds its suffix")
    p.add_argument("-f", "--formats", nargs="+", metavar="FMT", default=list(DEFAULT_FORMATS),
                   choices=list(SUFFIXES),
                   help=f"formats to write (default: {' '.join(DEFAULT_FORMATS)}); choose from "
                        f"{', '.join(SUFFIXES)}")
    p.add_argument("--title", help="report title")
    s = p.add_argument_group("scores")
    s.add_argument("-m", "--metrics", nargs="+", default=["bleu", "chrf", "ter"], metavar="METRIC",
                   help=f"metrics (default: bleu chrf ter); available: {', '.join(available())}")
    s.add_argument("-tok", "--tokenize", default=None, help="BLEU tokenizer (default 13a, as sacrebleu)")
    s.add_argument("--baseline", metavar="SYSTEM", help="baseline system for the paired test (default: the first)")
    s.add_argument("--paired", choices=["bs", "ar", "none"], default="bs",
                   help="paired test against the baseline: bootstrap (default), approximate randomization, none")
    s.add_argument("--paired-n", type=at_least(1), default=None, help="resamples (bs) or trials (ar)")
    s.add_argument("--confidence-n", type=at_least(1), default=1000, help="bootstrap resamples for the intervals")
    s.add_argument("--seed", default=str(DEFAULT_SEED), help="random seed, or 'none' (default 12345)")
    s.add_argument("--rank-metric", metavar="METRIC", help="metric that ranks segments worst first (default chrF)")
    s.add_argument("--systems", nargs="+", metavar="NAME", help="report only these systems")
    add_selection_arguments(p)
    p.add_argument("--no-detectors", action="store_true", help="scores and analyses only")
    add_workers_argument(p, "processes for the scores and the detectors (default: one per core for "
                            "the scores; for the detectors as in `mt-eval check`)")
    add_progress_argument(p)
    p.set_defaults(run=run)


def _seed(value: str) -> int | None:
    if str(value).lower() == "none":
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"--seed must be an integer or 'none', got {value!r}") from None


def run(args) -> int:
    from ..report import make_report, write_report
    from ..report.outputs import safe_stem
    apply_parse_cache_argument(args)
    # Configuration errors surface before the corpus is read and scored.
    detectors = False if args.no_detectors else settings_from_args(args).instantiate()
    corpus = corpus_from_args(args)
    bleu = {}
    if args.tokenize:
        bleu["tokenize"] = args.tokenize
    if args.langpair and "-" in args.langpair:
        bleu["trg_lang"] = args.langpair.split("-")[1]
    report = make_report(
        corpus, metrics=[m.lower() for m in args.metrics], options={"bleu": bleu} if bleu else None,
        systems=args.systems, baseline=args.baseline,
        paired=None if args.paired == "none" else args.paired, paired_n=args.paired_n,
        confidence_n=args.confidence_n, seed=_seed(args.seed), detectors=detectors,
        title=args.title, rank_metric=args.rank_metric, show_progress=args.show_progress,
        workers=args.workers)
    # One corpus file names the report after itself (news-fr-en.xml ->
    # reports/news-fr-en.html); plain files after the corpus name.
    name = Path(corpus.files["*"]).stem if "*" in corpus.files else corpus.name
    if not args.output:
        stem = Path(DEFAULT_DIR) / safe_stem(name)
    elif args.output.endswith(("/", os.sep)) or Path(args.output).is_dir():
        stem = Path(args.output) / safe_stem(name)   # a directory: the report goes inside it
    else:
        stem = Path(args.output)
    paths = write_report(report, stem, list(dict.fromkeys(args.formats)))
    for path in paths.values():
        print(f"wrote {path}", file=sys.stderr)
    print(_summary_line(report), file=sys.stderr)
    return 0


def _summary_line(report: dict) -> str:
    c, f = report["corpus"], report["findings"]
    parts = [f"{c['n_segments']:,} segments", f"{len(c['systems'])} system(s)"]
    if report["scores"] is None:
        parts.append("no references, no scores")
    if f is not None:
        parts.append(f"{f['counts']['total']:,} findings")
        skipped = [d for d in f["detectors"] if d["status"] == "skipped"]
        # Detectors for other languages are expected to sit out; a missing
        # extra is worth a line.
        other_lang = [d for d in skipped if "language" in (d["reason"] or "")]
        missing = [d for d in skipped if d not in other_lang]
        if missing:
            parts.append("not run: " + "; ".join(f"{d['code']} ({d['reason']})" for d in missing))
        if other_lang:
            parts.append(f"{len(other_lang)} detector(s) for other languages")
        if f["errors"]:
            parts.append(f"{len(f['errors']):,} detector failures")
    return "mt-eval report: " + ", ".join(parts)
