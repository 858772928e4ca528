"""Turning the gate's inputs (feeds, directories, corpus files) into units.

A directory stands for the files directly in it (not sub-directories, so a
``fixed/`` variant kept beside the feeds is not read with them) that are
feeds or corpus files.  Feeds are paired (:mod:`.readers.feedpair`) into one
unit per translated feed; every other corpus file is a unit of its own whose
documents are the items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .corpus import Corpus, hyp_column
from .errors import InputError, UsageError
from .gate import GateConfig, ItemResult, Unit
from .readers import load_corpus
from .readers.feedpair import build_feed_sets
from .readers.feeds import sniff

CORPUS_SUFFIXES = {".tsv", ".csv", ".jsonl", ".ndjson", ".xml"}


@dataclass
class DocInfo:
    doc_id: str
    title: str
    location: tuple[str | None, int | None]
    notes: list = field(default_factory=list)


def classify(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(feeds, corpus_files)`` from files and directories."""
    feeds, corpora = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            members = sorted(f for f in path.iterdir() if f.is_file() and not f.name.startswith("."))
            found = False
            # In a directory only what is recognisably a feed or a corpus
            # counts: a package.json or a sitemap.xml beside the feeds is not one.
            for f in members:
                kind = sniff(str(f), strict=True)
                if kind in ("rss", "atom", "json"):
                    feeds.append(str(f))
                    found = True
                elif kind == "wmt-xml" or (kind is None and f.suffix.lower() in CORPUS_SUFFIXES - {".xml"}):
                    corpora.append(str(f))
                    found = True
            if not found:
                raise InputError("no feed or corpus file in this directory", str(path))
            continue
        if not path.exists():
            raise InputError("file not found", str(path))
        kind = sniff(str(path))
        if kind in ("rss", "atom", "json"):
            feeds.append(str(path))
        elif path.suffix.lower() in CORPUS_SUFFIXES:
            corpora.append(str(path))
        else:
            raise InputError("not a feed (RSS, Atom, JSON Feed) nor a corpus file (.tsv .csv .jsonl .xml)",
                             str(path), 1)
    return feeds, corpora


def load_units(paths: Sequence[str], cfg: GateConfig, *, references: Sequence[str] = (),
               langpair: str | None = None) -> list[Unit]:
    if not paths:
        raise UsageError("no input: give feed files, corpus files or directories")
    feeds, corpora = classify(paths)
    units: list[Unit] = []
    if feeds:
        sets = build_feed_sets(feeds, langpair=langpair or cfg.langpair, references=references,
                               pair_by=cfg.pair_by, system=cfg.system)
        for fs in sets:
            extra = [_unpaired(fs.name, info, "source") for info in fs.unpaired_sources]
            extra += [_unpaired(fs.name, info, "reference") for info in fs.unpaired_references]
            units.append(Unit(fs.name, fs.corpus, fs.items, extra))
    elif references:
        raise UsageError("--ref takes reference feeds, which need translated feeds among the inputs")
    for path in corpora:
        corpus = load_corpus(path)
        units.append(Unit(path, corpus, _documents(corpus, path)))
    return units


def _unpaired(unit: str, info, side: str) -> ItemResult:
    it = info.source if side == "source" else info.references[0]
    return ItemResult(unit, info.doc_id, info.title, "unpaired", it.feed, it.line, [],
                      [(n.kind, n.message) for n in info.notes])


def _documents(corpus: Corpus, path: str) -> list[DocInfo]:
    f = corpus.frame
    systems = corpus.systems
    out = []
    first_rows: dict[str, int] = {}
    for i, d in enumerate(f["doc_id"].tolist()):
        first_rows.setdefault(d, i)
    for doc_id, i in first_rows.items():
        text = f["source"].iat[i] or (f[hyp_column(systems[0])].iat[i] if systems else "")
        title = " ".join(str(text).split())
        if len(title) > 90:
            title = title[:89] + "…"
        loc = corpus.location(i, hyp_column(systems[0]) if systems else "source") or (path, None)
        out.append(DocInfo(doc_id, title, loc))
    return out
