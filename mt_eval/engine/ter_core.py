"""Edit counts of TER (shifts plus word edits), exactly as sacrebleu's
``translation_edit_rate``."""
from __future__ import annotations

from typing import Sequence


def edits_many(pairs: Sequence[tuple[list[str], list[str]]]) -> list[int]:
    """Number of edits for each ``(hyp_words, ref_words)`` pair."""
    from sacrebleu.metrics.lib_ter import translation_edit_rate
    return [translation_edit_rate(h, r)[0] for h, r in pairs]
