"""Corpus input options shared by every sub-command that reads a corpus."""
from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..readers import FORMATS, load_corpus

if TYPE_CHECKING:
    from ..corpus import Corpus


def add_input_arguments(p: argparse.ArgumentParser, *, positional: bool = True) -> None:
    g = p.add_argument_group("input (a corpus file, or plain parallel files)")
    if positional:
        g.add_argument("corpus", nargs="?", metavar="CORPUS",
                       help="corpus file: .tsv/.csv with a header, .jsonl, or WMT .xml")
    g.add_argument("--input-format", choices=sorted(FORMATS), default=None,
                   help="format of CORPUS when its extension does not tell")
    g.add_argument("--src", metavar="FILE", help="source text, one segment a line (or WMT .sgm)")
    g.add_argument("--hyp", metavar="[NAME=]FILE", action="append", default=[],
                   help="system output; repeat for several systems")
    g.add_argument("--ref", metavar="FILE", action="append", default=[],
                   help="reference translation; repeat for several references")
    g.add_argument("--docids", metavar="FILE", help="document id of each line (WMT .docids)")
    g.add_argument("-l", "--langpair", metavar="SRC-TGT", help="language pair, e.g. fr-en")


def _named_hyps(values: list[str]) -> dict[str, str]:
    from ..readers.plain import system_name
    named: dict[str, str] = {}
    for v in values:
        name, sep, path = v.partition("=")
        if sep and name and not os.path.exists(v):
            if not path:
                raise UsageError(f"--hyp {v}: give a file after '='")
            if name in named:
                raise UsageError(f"two systems are named {name!r}")
            named[name] = path
        else:
            named[system_name(v, set(named))] = v
    return named


def langpair(args: argparse.Namespace) -> tuple[str | None, str | None]:
    if not args.langpair:
        return None, None
    parts = args.langpair.split("-")
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--langpair must look like fr-en, got {args.langpair!r}")
    return parts[0], parts[1]


def plain_files(args: argparse.Namespace) -> bool:
    """Whether the input is plain --src/--hyp/--ref files (not a corpus file)."""
    plain = args.src or args.hyp or args.ref
    if getattr(args, "corpus", None) and plain:
        raise UsageError("give either a CORPUS file or --src/--hyp/--ref files, not both")
    return bool(plain)


def corpus_from_args(args: argparse.Namespace) -> Corpus:
    src_lang, tgt_lang = langpair(args)
    plain = plain_files(args)
    path = getattr(args, "corpus", None)
    if path:
        corpus = load_corpus(path, args.input_format)
        if src_lang:
            corpus.frame["src_lang"] = corpus.frame["src_lang"].fillna(src_lang)
            corpus.frame["tgt_lang"] = corpus.frame["tgt_lang"].fillna(tgt_lang)
        return corpus
    if not plain:
        raise UsageError("no input: give a CORPUS file or --src/--hyp/--ref files")
    from ..readers.plain import read_parallel
    return read_parallel(src=args.src, hyps=_named_hyps(args.hyp), refs=args.ref,
                         docids=args.docids, src_lang=src_lang, tgt_lang=tgt_lang)
