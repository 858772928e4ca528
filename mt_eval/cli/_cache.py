"""``--no-parse-cache``, shared by check, report and ci."""
from __future__ import annotations


def add_parse_cache_argument(p) -> None:
    p.add_argument("--no-parse-cache", dest="parse_cache", action="store_false",
                   help="neither read nor store spaCy parses on disk (also off with MT_EVAL_CACHE=0)")


def apply_parse_cache_argument(args) -> None:
    if not getattr(args, "parse_cache", True):
        from .. import nlp
        nlp.use_store(False)
