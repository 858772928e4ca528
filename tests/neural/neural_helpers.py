"""A tiny random BERT saved with ``save_pretrained``: exercises loading,
batching and caching in milliseconds, with no download."""
from __future__ import annotations

from pathlib import Path

WORDS = ("the a cat dog sat on mat rug house red blue small big runs ran sleeps is was and "
         "der die das hund katze haus ein eine le la chat chien maison . , ! ?").split()


def build_tiny_bert(path: Path) -> Path:
    from transformers import BertConfig, BertModel, BertTokenizerFast
    import torch

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + list("abcdefghijklmnopqrstuvwxyz")
    vocab += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz"]
    path.mkdir(parents=True, exist_ok=True)
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(str(path))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=3, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(str(path))
    return path
