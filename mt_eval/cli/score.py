"""``mt-eval score``: sacrebleu-exact corpus and sentence scores."""
from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..formatters.scores import write_scores
from ..metrics import available
from ..scoring import score, score_texts
from ..stats import DEFAULT_SEED
from ._types import add_progress_argument, add_workers_argument, at_least
from ._input import _named_hyps, add_input_arguments, corpus_from_args, langpair, plain_files
from ._output import add_output_arguments, open_output


def register(sub) -> None:
    p = sub.add_parser("score", help="BLEU, chrF, chrF++, TER (sacrebleu-exact), CIs and paired tests",
                       description="Score system outputs against references. Numbers and signatures "
                                   "are identical to sacrebleu's for the same options.")
    add_input_arguments(p)
    p.add_argument("-m", "--metrics", nargs="+", default=["bleu", "chrf", "ter"], metavar="METRIC",
                   help=f"metrics to compute (default: bleu chrf ter); available: {', '.join(available())}")
    b = p.add_argument_group("BLEU (same flags as sacrebleu)")
    b.add_argument("-tok", "--tokenize", dest="bleu_tokenize", default=None,
                   help="13a (default), intl, char, zh, none, ja-mecab, ko-mecab; "
                        "spm/flores101/flores200/spBLEU-1K with --spm-model")
    b.add_argument("--spm-model", dest="bleu_spm_model", metavar="PATH",
                   help="local SentencePiece model for spBLEU (sacrebleu would download it)")
    b.add_argument("-s", "--smooth-method", dest="bleu_smooth_method", default="exp",
                   choices=["exp", "floor", "add-k", "none"])
    b.add_argument("-sv", "--smooth-value", dest="bleu_smooth_value", type=float, default=None)
    b.add_argument("-lc", "--lowercase", dest="bleu_lowercase", action="store_true")
    b.add_argument("--force", dest="bleu_force", action="store_true",
                   help="do not warn about input that looks tokenized")
    b.add_argument("--max-ngram-order", dest="bleu_max_ngram_order", type=at_least(1), default=4)
    b.add_argument("--effective-order", dest="bleu_effective_order", action="store_true", default=None,
                   help="use effective order for corpus BLEU too (always on for sentence BLEU)")
    c = p.add_argument_group("chrF")
    c.add_argument("-cc", "--chrf-char-order", type=at_least(0), default=6)
    c.add_argument("-cw", "--chrf-word-order", type=at_least(0), default=0, help="2 gives chrF++")
    c.add_argument("--chrf-beta", type=int, default=2)
    c.add_argument("--chrf-whitespace", action="store_true")
    c.add_argument("--chrf-lowercase", action="store_true")
    c.add_argument("--chrf-eps-smoothing", action="store_true")
    t = p.add_argument_group("TER")
    t.add_argument("--ter-case-sensitive", action="store_true")
    t.add_argument("--ter-asian-support", action="store_true")
    t.add_argument("--ter-no-punct", action="store_true")
    t.add_argument("--ter-normalized", action="store_true")
    n = p.add_argument_group("neural metrics (bertscore, bertscore-p, sentsim; needs mt_eval[neural])")
    n.add_argument("--model", dest="neural_model", metavar="NAME|PATH", default=None,
                   help="encoder: e5-small (multilingual, default), minilm (English) or a directory "
                        "saved with save_pretrained; never downloaded")
    n.add_argument("--device", dest="neural_device", default="auto",
                   help="auto (CUDA when present), cpu, cuda, cuda:N")
    n.add_argument("--batch-size", dest="neural_batch_size", type=at_least(1), default=64)
    n.add_argument("--layer", dest="neural_layer", type=int, default=None,
                   help="hidden layer to use (default: BERTScore 2/3 of the depth, SentSim the last)")
    n.add_argument("--idf", dest="neural_idf", action=argparse.BooleanOptionalAction, default=None,
                   help="BERTScore idf weighting from the corpus references (default on; bertscore-p: off)")
    n.add_argument("--prompt", dest="neural_prompt", default=None, metavar="NAME",
                   help="prompt the encoder was trained with: e5-small has query (its default), "
                        "passage, or none; bertscore-p uses none")
    n.add_argument("--bertscore-score", dest="neural_score", choices=["F1", "P", "R"], default=None,
                   help="value BERTScore reports (default F1; bertscore-p: P)")
    n.add_argument("--dtype", dest="neural_dtype", choices=["fp32", "bf16"], default=None,
                   help="precision of the encoder's matrix products: fp32 (default) or bf16 "
                        "(faster on CPUs with AMX/AVX512-BF16 and on GPUs; recorded in the signature)")
    n.add_argument("--neural-lowercase", dest="neural_lowercase", action="store_true",
                   help="lowercase texts before encoding")
    s = p.add_argument_group("statistics")
    s.add_argument("-ci", "--confidence", action="store_true", help="bootstrap 95%% confidence intervals")
    s.add_argument("-cin", "--confidence-n", type=at_least(1), default=1000)
    pt = s.add_mutually_exclusive_group()
    pt.add_argument("-pbs", "--paired-bs", action="store_true", help="paired bootstrap test against the baseline")
    pt.add_argument("-par", "--paired-ar", action="store_true", help="approximate randomization test")
    s.add_argument("--paired-n", type=at_least(1), default=None,
                   help="resamples (bs, default 1000) or trials (ar, default 10000)")
    s.add_argument("--baseline", metavar="SYSTEM", help="baseline system (default: the first)")
    s.add_argument("--seed", default=str(DEFAULT_SEED), help="random seed, or 'none' (default 12345)")
    e = p.add_argument_group("engine (every engine gives sacrebleu's exact numbers)")
    e.add_argument("--engine", choices=["fast", "sacrebleu", "dask"], default="fast",
                   help="fast: every core + statistics cache (default); sacrebleu: its own code; "
                        "dask: a Dask cluster (--scheduler, or a local one)")
    e.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --engine dask)")
    add_workers_argument(e, "worker processes (default: one per core)")
    e.add_argument("--stream", action="store_true",
                   help="corpus scores of huge plain --hyp/--ref files, read block by block: memory "
                        "stays flat (no sentence-level output, paired tests or detectors)")
    e.add_argument("--no-cache", dest="cache", action="store_false", default=None,
                   help="do not read or write the statistics cache")
    e.add_argument("--cache-dir", metavar="DIR",
                   help="statistics cache directory (default: $MT_EVAL_CACHE_DIR, "
                        "else $XDG_CACHE_HOME/mt_eval or ~/.cache/mt_eval)")
    p.add_argument("--systems", nargs="+", metavar="NAME", help="score only these systems")
    p.add_argument("-sl", "--sentence-level", action="store_true", help="also output one score per segment")
    add_output_arguments(p, formats=["text", "json", "csv", "tsv"])
    p.add_argument("-w", "--width", type=at_least(0), default=2, help="decimals in text output (default 2)")
    p.add_argument("--short", action="store_true", help="short signatures")
    add_progress_argument(p)
    p.set_defaults(run=run)


def _options(args) -> dict:
    def group(prefix):
        return {k[len(prefix) + 1:]: v for k, v in vars(args).items() if k.startswith(prefix + "_")}
    bleu = group("bleu")
    if args.langpair and "-" in args.langpair:
        bleu["trg_lang"] = args.langpair.split("-")[1]
    neural = {k: v for k, v in group("neural").items() if v is not None}
    neural["show_progress"] = args.show_progress
    # --no-cache / --cache-dir govern the embedding cache too
    neural["cache"] = args.cache is not False
    if args.cache_dir:
        neural["cache_dir"] = args.cache_dir
    return {"bleu": bleu, "chrf": group("chrf"), "ter": group("ter"), "neural": neural}


def _run_stream(args, metrics, seed) -> int:
    from ..engine.stream import score_files
    from ..progress import progress
    if getattr(args, "corpus", None) or args.src or args.docids:
        raise UsageError("--stream reads plain --hyp/--ref files only (no corpus file, --src or --docids)")
    if args.sentence_level or args.paired_bs or args.paired_ar:
        raise UsageError("--stream gives corpus scores only: drop --sentence-level/--paired-*")
    with progress(0, "scoring", args.show_progress) as advance:
        result = score_files(_named_hyps(args.hyp), args.ref, metrics, options=_options(args),
                             engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                             cache=_cache_arg(args), confidence=args.confidence,
                             confidence_n=args.confidence_n, seed=seed, progress=advance)
    with open_output(args) as out:
        write_scores(result, out, fmt=args.format, width=args.width, short=args.short,
                     sentence_level=False, color=out is sys.stdout and sys.stdout.isatty())
    return 0


def run(args) -> int:
    seed = None if str(args.seed).lower() == "none" else _int(args.seed)
    metrics = [m.lower() for m in args.metrics]
    _check_neural_options(args, metrics)
    if args.stream:
        return _run_stream(args, metrics, seed)
    paired = "bs" if args.paired_bs else "ar" if args.paired_ar else None
    common = dict(options=_options(args), systems=args.systems, confidence=args.confidence,
                  confidence_n=args.confidence_n, paired=paired, paired_n=args.paired_n,
                  baseline=args.baseline, seed=seed, show_progress=args.show_progress,
                  engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                  cache=_cache_arg(args))
    texts = _plain_texts(args)
    if texts is not None:
        result = score_texts(*texts, metrics, **common)
    else:
        result = score(corpus_from_args(args), metrics, sentence_level=args.sentence_level, **common)
    with open_output(args) as out:
        write_scores(result, out, fmt=args.format, width=args.width, short=args.short,
                     sentence_level=args.sentence_level, color=out is sys.stdout and sys.stdout.isatty())
    return 0


def _check_neural_options(args, metrics: list[str]) -> None:
    """A neural option without a neural metric would be ignored in silence."""
    from ..metrics import OPTION_GROUP
    given = [flag for flag, v in (("--model", args.neural_model), ("--layer", args.neural_layer),
                                  ("--idf/--no-idf", args.neural_idf), ("--prompt", args.neural_prompt),
                                  ("--bertscore-score", args.neural_score)) if v is not None]
    if given and not any(OPTION_GROUP.get(m) == "neural" for m in metrics):
        names = ", ".join(m for m, g in OPTION_GROUP.items() if g == "neural")
        raise UsageError(f"{', '.join(given)} set a neural metric ({names}), and -m selects none")


def _plain_texts(args):
    """``(hypotheses by system, reference rows)`` read straight from plain
    --hyp/--ref files into lists, or ``None`` when the input needs the corpus
    table (a corpus file, --src or --docids to check, sentence-level rows)."""
    langpair(args)  # a malformed --langpair is an error either way
    if not plain_files(args) or args.src or args.docids or args.sentence_level or not args.hyp:
        return None
    from ..readers.plain import read_aligned
    named = _named_hyps(args.hyp)
    files = [(f"hyp:{name}", path) for name, path in named.items()]
    files += [(f"ref:{i}", path) for i, path in enumerate(args.ref)]
    columns, n, _ = read_aligned(files)
    streams = [columns[f"ref:{i}"] for i in range(len(args.ref))]
    refs = list(zip(*streams)) if streams else [()] * n
    return {name: columns[f"hyp:{name}"] for name in named}, refs


def _cache_arg(args):
    if args.cache is False:
        return False
    return args.cache_dir or None


def _int(v: str) -> int:
    from ..errors import UsageError
    try:
        return int(v)
    except ValueError:
        raise UsageError(f"--seed must be an integer or 'none', got {v!r}") from None
