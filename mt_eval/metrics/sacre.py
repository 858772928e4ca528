"""BLEU, chrF, chrF++ and TER with sacrebleu's exact numbers and signatures.

Each class holds a configured sacrebleu metric object.  Aggregation and
signatures are sacrebleu's own code (so they cannot drift); the per-segment
statistics come from an *engine*: sacrebleu itself by default, or a faster
engine that must produce identical statistics (see :mod:`mt_eval.engine`).
"""
from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import DependencyError, UsageError
from .base import Metric, References, Score

# Tokenizers that sacrebleu can only use after downloading a SentencePiece
# model; we accept a local model file instead (``spm_model``).
SPM_TOKENIZERS = {"spm": "flores101", "flores101": "flores101",
                  "flores200": "flores200", "spBLEU-1K": "spBLEU-1K"}


def _sacrebleu():
    import sacrebleu.metrics as m  # imported lazily: the CLI starts faster
    return m


class LocalSPMTokenizer:
    """sacrebleu's SentencePiece tokenization from a model file on disk.

    The signature keeps sacrebleu's name for the model family (``flores200``
    …) because the tokenization is identical when the file is that model; it
    is the user's responsibility to pass the matching file.
    """

    def __init__(self, model_path: str, signature: str):
        try:
            import sentencepiece as spm
        except ImportError as exc:  # pragma: no cover - core dependency
            raise DependencyError("sentencepiece is required for spBLEU: pip install sentencepiece") from exc
        path = Path(model_path)
        if not path.is_file():
            raise UsageError(f"{model_path}: SentencePiece model file not found")
        self.sp = spm.SentencePieceProcessor()
        try:
            self.sp.Load(str(path))
        except (OSError, RuntimeError) as exc:
            raise UsageError(f"{model_path}: not a SentencePiece model ({exc})") from None
        self._signature = signature
        # Same cache size as sacrebleu's tokenizers: references are tokenized
        # once per metric and repeated lines are common.
        self._cached = functools.lru_cache(maxsize=2 ** 16)(self._tokenize)

    def _tokenize(self, line: str) -> str:
        return " ".join(self.sp.EncodeAsPieces(line))

    def __call__(self, line: str) -> str:
        return self._cached(line)

    def signature(self) -> str:
        return self._signature


class SacreMetric(Metric):
    """Shared behaviour of the sacrebleu-backed metrics."""

    # sacrebleu's statistics for BLEU and chrF are integer counts; TER's are
    # an integer edit count and a (possibly fractional) reference length.
    stats_dtype: Any = np.int64

    def __init__(self, sb_metric, options: dict[str, Any]):
        self.sb = sb_metric
        self.options = options
        self.engine = None  # set by mt_eval.engine when a fast engine is used
        self._prepared = False

    # -- statistics -------------------------------------------------------
    def prepare(self, references: References) -> None:
        if self.engine is not None:
            # The engine keeps the texts, not sacrebleu's per-reference
            # n-gram tables (the memory blow-up on big corpora).
            self.engine.prepare(self, references)
            self._n_prepared = len(self._engine_refs)
        else:
            self.sb._ref_cache = self.sb._cache_references(references)
            self._n_prepared = len(self.sb._ref_cache)
        self._prepared = True

    def segment_statistics_many(self, hypotheses_by_system: Sequence[Sequence[str]],
                                progress=None) -> list[np.ndarray]:
        """Statistics of several systems against the prepared references;
        an engine processes each chunk of references once for all."""
        if self.engine is not None and self._prepared:
            hyps = [list(h) for h in hypotheses_by_system]
            for h in hyps:
                self._check_length(h)
            return self.engine.statistics_many(self, hyps, progress=progress)
        return [self.segment_statistics(h, progress=progress) for h in hypotheses_by_system]

    def _check_length(self, hyps: Sequence[str]) -> None:
        if not self._prepared:
            raise UsageError(f"{self.name}: no references given")
        if len(hyps) != self._n_prepared:
            raise UsageError(f"{self.name}: {len(hyps)} hypotheses for {self._n_prepared} references")

    def segment_statistics(self, hypotheses: Sequence[str],
                           references: References | None = None,
                           progress=None) -> np.ndarray:
        if references is not None:
            self.prepare(references)
        hyps = list(hypotheses)
        self._check_length(hyps)
        if self.engine is not None:
            return self.engine.statistics(self, hyps, progress=progress)
        cache = self.sb._ref_cache
        rows: list = []
        step = 2000
        try:
            for start in range(0, len(hyps), step):
                # sacrebleu pairs hypotheses with the head of its reference
                # cache, so each block sees the matching slice of it.
                self.sb._ref_cache = cache[start:start + step]
                rows += self.sb._extract_corpus_statistics(hyps[start:start + step], None)
                if progress:
                    progress(min(step, len(hyps) - start))
        finally:
            self.sb._ref_cache = cache
        return np.array(rows, dtype=self.stats_dtype).reshape(len(rows), -1)

    @property
    def num_refs(self) -> int | None:
        return getattr(self.sb, "num_refs", None)

    # -- aggregation ------------------------------------------------------
    def _sum(self, stats: np.ndarray) -> list:
        if len(stats) == 0:
            raise UsageError(f"{self.name}: no segments to score")
        return stats.sum(axis=0).tolist()

    def aggregate(self, stats: np.ndarray) -> Score:
        sb_score = self.sb._compute_score_from_stats(self._sum(stats))
        return Score(self.name, float(sb_score.score), self.signature(), self._details(sb_score))

    def score_from_sums(self, sums):
        # The raw value, in the precision sacrebleu's arithmetic gives it
        # (resampling statistics depend on it being bit-identical).
        return self.sb._compute_score_from_stats(sums).score

    def _details(self, sb_score) -> dict[str, Any]:
        return {"verbose": sb_score._verbose} if sb_score._verbose else {}

    # -- signatures -------------------------------------------------------
    def _signature_object(self, metric=None, **test_info):
        metric = metric or self.sb
        if not hasattr(metric, "num_refs"):
            raise UsageError(f"{self.name}: the signature needs the references first")
        sig = metric.get_signature()
        for key, value in test_info.items():
            if value is not None:
                sig.update(key, value)
        return sig

    def signature(self, *, sentence_level: bool = False, short: bool = False, **test_info) -> str:
        return self._signature_object(**test_info).format(short)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {self.options}>"


class BLEU(SacreMetric):
    """BLEU (Papineni et al., 2002) exactly as sacrebleu computes it.

    Sentence-level scores use effective order, as ``sacrebleu
    --sentence-level`` does, unless ``effective_order`` was set explicitly.
    """

    def __init__(self, *, tokenize: str | None = None, lowercase: bool = False,
                 smooth_method: str = "exp", smooth_value: float | None = None,
                 max_ngram_order: int = 4, effective_order: bool | None = None,
                 force: bool = False, trg_lang: str = "", spm_model: str | None = None):
        m = _sacrebleu()
        if smooth_method not in m.BLEU.SMOOTH_DEFAULTS:
            raise UsageError(f"unknown BLEU smoothing {smooth_method!r}; "
                             f"choose from {', '.join(m.BLEU.SMOOTH_DEFAULTS)}")
        spm_name = None
        if tokenize in SPM_TOKENIZERS:
            if not spm_model:
                raise UsageError(
                    f"tokenizer {tokenize!r} needs a SentencePiece model that sacrebleu would download; "
                    "this machine may be offline, so pass the model file with --spm-model PATH")
            spm_name, tokenize = SPM_TOKENIZERS[tokenize], "none"
        elif spm_model:
            spm_name, tokenize = "spm-" + Path(spm_model).stem, "none"
        elif tokenize is not None and tokenize not in m.BLEU.TOKENIZERS:
            raise UsageError(f"unknown tokenizer {tokenize!r}; choose from "
                             f"{', '.join(t for t in m.BLEU.TOKENIZERS)}")
        options = dict(tokenize=tokenize, lowercase=lowercase, smooth_method=smooth_method,
                       smooth_value=smooth_value, max_ngram_order=max_ngram_order,
                       force=force, trg_lang=trg_lang or "")
        explicit_eff = effective_order is not None
        try:
            sb = m.BLEU(effective_order=bool(effective_order), **options)
        except (ImportError, RuntimeError, ModuleNotFoundError) as exc:
            raise DependencyError(
                f"BLEU tokenizer {tokenize!r} is unavailable ({exc}); for ja-mecab/ko-mecab "
                "install the extra: pip install 'mt_eval[cjk]'") from None
        if spm_name:
            sb.tokenizer = LocalSPMTokenizer(spm_model, spm_name)
            sb.tokenizer_signature = spm_name
            options["tokenize"] = spm_name
            options["spm_model"] = str(spm_model)
        options["effective_order"] = bool(effective_order)
        super().__init__(sb, options)
        self.name = "BLEU"
        self._sentence_eff = effective_order if explicit_eff else True

    def _sentence_metric(self):
        sent = copy.copy(self.sb)
        sent.effective_order = self._sentence_eff
        return sent

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        sent = self._sentence_metric()
        return np.array([sent._compute_score_from_stats(row).score for row in stats.tolist()], dtype=float)

    def signature(self, *, sentence_level: bool = False, short: bool = False, **test_info) -> str:
        metric = self._sentence_metric() if sentence_level else None
        return self._signature_object(metric, **test_info).format(short)

    def _details(self, s) -> dict[str, Any]:
        return {"verbose": s._verbose, "counts": list(s.counts), "totals": list(s.totals),
                "precisions": list(s.precisions), "bp": s.bp, "ratio": s.ratio,
                "sys_len": s.sys_len, "ref_len": s.ref_len}


class CHRF(SacreMetric):
    """chrF (Popović 2015) and chrF++ (``word_order=2``), as sacrebleu."""

    def __init__(self, *, char_order: int = 6, word_order: int = 0, beta: int = 2,
                 lowercase: bool = False, whitespace: bool = False, eps_smoothing: bool = False):
        if char_order < 1 or word_order < 0 or beta < 0:
            raise UsageError("chrF needs char_order >= 1, word_order >= 0 and beta >= 0")
        options = dict(char_order=char_order, word_order=word_order, beta=beta,
                       lowercase=lowercase, whitespace=whitespace, eps_smoothing=eps_smoothing)
        super().__init__(_sacrebleu().CHRF(**options), options)
        self.name = f"chrF{beta}" + "+" * word_order


class TER(SacreMetric):
    """Translation edit rate (Snover et al., 2006), as sacrebleu (tercom)."""

    higher_is_better = False
    stats_dtype = np.float64

    def __init__(self, *, normalized: bool = False, no_punct: bool = False,
                 asian_support: bool = False, case_sensitive: bool = False):
        options = dict(normalized=normalized, no_punct=no_punct,
                       asian_support=asian_support, case_sensitive=case_sensitive)
        super().__init__(_sacrebleu().TER(**options), options)
        self.name = "TER"

    def _sum(self, stats: np.ndarray) -> list:
        if len(stats) == 0:
            raise UsageError("TER: no segments to score")
        # sacrebleu adds the (possibly fractional) average reference lengths
        # one by one; a running sum in the same order gives the same float.
        edits = int(stats[:, 0].sum())
        ref_len = float(np.cumsum(stats[:, 1])[-1])
        return [edits, ref_len]

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        return np.array([self.sb._compute_score_from_stats([int(e), float(r)]).score
                         for e, r in stats.tolist()], dtype=float)

    def _details(self, s) -> dict[str, Any]:
        return {"num_edits": s.num_edits, "ref_length": s.ref_length}
