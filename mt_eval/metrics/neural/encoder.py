"""Texts -> token vectors or sentence vectors, batched, cached.

Texts are de-duplicated, looked up in the cache, and the rest encoded in
batches of similar length (sorted by token count, so padding stays small).
Token vectors are L2-normalised and kept in float16 (halves cache and
memory; cosine values move by < 1e-3), and they are rounded the same way
whether they come from the cache or the network, so a score does not
depend on the cache's state.  Special tokens and the model's prompt prefix
are fed to the network but are not part of a text's token vectors.

Speed: the forward pass stops at the layer asked for (BERTScore reads a
middle layer, so the layers above it are never computed; same numbers),
and ``dtype="bf16"`` runs the encoder in bfloat16 (vectors are then
normalised in float32).  bf16 moves cosines by about 1e-3, so it is part of
the cache key and of the metrics' signatures.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ...progress import progress
from .cache import EmbeddingCache, enabled_by_default, make_key
from .models import EncoderModel, load_model

# The early exit hooks a layer of a model shared by every Encoder of the
# process: one forward pass at a time (torch already uses every core).
_FORWARD = threading.Lock()


@dataclass
class TokenVectors:
    ids: np.ndarray      # (n,) int32 token ids
    vectors: np.ndarray  # (n, hidden) float16, unit length


class Encoder:
    """Encode texts with one model.  ``layer`` counts from 1 (first
    transformer layer) to ``n_layers``; ``None`` or ``-1`` is the last one,
    0 the embedding layer."""

    def __init__(self, model: str | os.PathLike | None = None, *, device: str | None = "auto",
                 batch_size: int = 64, lowercase: bool = False, cache: bool = True,
                 cache_dir: str | os.PathLike | None = None, show_progress: bool | None = None,
                 dtype: str = "fp32", prompt: str | None = None):
        from ...errors import UsageError
        self.model: EncoderModel = load_model(model, device, dtype)
        if batch_size < 1:
            raise UsageError(f"batch size must be at least 1, got {batch_size}")
        self.prompt = self.model.prompt if prompt is None else prompt
        if self.prompt != "none" and self.prompt not in self.model.prompts:
            raise UsageError(f"prompt {self.prompt!r}: {self.model.name} knows "
                             f"{', '.join(['none', *self.model.prompts])}")
        self.prefix_ids: list[int] = self.model.prompts.get(self.prompt, [])
        self.batch_size = batch_size
        self.dtype = dtype
        self.lowercase = lowercase
        self.cache = EmbeddingCache(cache_dir) if cache and enabled_by_default() else None
        self.show_progress = show_progress
        self.encoded = 0  # texts that went through the network (not the cache)

    def layer_index(self, layer: int | None) -> int:
        n = self.model.n_layers
        if layer is None:
            return n
        idx = n + 1 + layer if layer < 0 else layer
        if not 0 <= idx <= n:
            from ...errors import UsageError
            raise UsageError(f"layer {layer} does not exist: {self.model.name} has layers 0..{n}")
        return idx

    # -- public -------------------------------------------------------------
    def token_vectors(self, texts: Sequence[str], layer: int | None = None) -> list[TokenVectors]:
        idx = self.layer_index(layer)
        out = self._run(texts, f"tok{idx}", idx, "tokens")
        return [TokenVectors(*_unpack_tokens(b, self.model.hidden)) for b in out]

    def sentence_vectors(self, texts: Sequence[str], layer: int | None = None) -> np.ndarray:
        idx = self.layer_index(layer)
        out = self._run(texts, f"sent{idx}-{self.model.pooling}", idx, "sentence")
        if not out:
            return np.zeros((0, self.model.hidden), dtype=np.float32)
        return np.stack([np.frombuffer(b, dtype=np.float32) for b in out])

    # -- machinery ----------------------------------------------------------
    def _prep(self, text: str) -> str:
        return text.lower() if self.lowercase else text

    def _run(self, texts: Sequence[str], kind: str, layer: int, what: str) -> list[bytes]:
        prepared = [self._prep(t) for t in texts]
        unique = list(dict.fromkeys(prepared))
        namespace = f"{self.model.fingerprint}|{kind}|lc{int(self.lowercase)}"
        # fp32 and the model's own prompt predate these options: their keys stay valid
        if self.dtype != "fp32":
            namespace += f"|{self.dtype}"
        if self.prompt != self.model.prompt:
            namespace += f"|prompt:{self.prompt}"
        keys = {t: make_key(namespace, t) for t in unique}
        found: dict[str, bytes] = {}
        if self.cache is not None:
            hits = self.cache.get_many(list(keys.values()))
            found = {t: hits[k] for t, k in keys.items() if k in hits}
        missing = [t for t in unique if t not in found]
        if missing:
            fresh = self._encode(missing, layer, what)
            found.update(fresh)
            self.encoded += len(missing)
            if self.cache is not None:
                self.cache.put_many((keys[t], fresh[t]) for t in missing)
        return [found[t] for t in prepared]

    def _encode(self, texts: list[str], layer: int, what: str) -> dict[str, bytes]:
        import torch
        m = self.model
        n_pre, n_head = len(self.prefix_ids), len(m.head)
        out: dict[str, bytes] = {}
        with progress(len(texts), f"encoding ({m.name})", self.show_progress) as advance, torch.inference_mode():
            for batch, ids, seqs, inp, mask in length_batches(m, texts, self.prefix_ids, self.batch_size):
                with _FORWARD:
                    hidden = _hidden_at(m, inp.to(m.device), mask.to(m.device), layer)
                hidden = hidden.float().cpu()
                for r, i in enumerate(batch):
                    content = ids[r]
                    if what == "tokens":
                        lo = n_head + n_pre
                        vec = torch.nn.functional.normalize(hidden[r, lo:lo + len(content)], dim=-1)
                        out[texts[i]] = _pack_tokens(np.asarray(content, dtype=np.int32),
                                                     vec.numpy().astype(np.float16))
                    else:
                        n = len(seqs[r])
                        if m.pooling == "cls":
                            v = hidden[r, 0]
                        else:
                            v = hidden[r, :n].mean(dim=0)
                        v = torch.nn.functional.normalize(v, dim=-1)
                        out[texts[i]] = v.numpy().astype(np.float32).tobytes()
                advance(len(batch))
        return out


def length_batches(m: EncoderModel, texts: Sequence[str], prefix_ids: list[int], batch_size: int):
    """Yield ``(indices, ids, seqs, input_ids, attention_mask)`` per batch.

    Texts are tokenized, truncated so that special tokens and the prompt
    prefix still fit, and batched longest first (similar lengths, little
    padding); ``ids[r]`` is text ``indices[r]``'s content tokens and
    ``seqs[r]`` the full sequence fed to the model.
    """
    import torch
    budget = m.max_length - len(m.head) - len(m.tail) - len(prefix_ids)
    all_ids = [t[:budget] for t in m.tokenize(list(texts))]
    order = sorted(range(len(all_ids)), key=lambda i: len(all_ids[i]), reverse=True)
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        ids = [all_ids[i] for i in batch]
        seqs = [m.head + prefix_ids + t + m.tail for t in ids]
        width = max(len(s) for s in seqs)
        inp = torch.full((len(seqs), width), m.pad_id, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for r, s in enumerate(seqs):
            inp[r, :len(s)] = torch.tensor(s)
            mask[r, :len(s)] = 1
        yield batch, ids, seqs, inp, mask


class _Reached(Exception):
    """Carries the hidden states out of the forward pass once they exist."""

    def __init__(self, hidden):
        super().__init__()
        self.hidden = hidden


def _hidden_at(m: EncoderModel, inp, mask, layer: int):
    """Hidden states after ``layer`` (0 = embeddings), as ``hidden_states[layer]``.

    For a middle layer of a BERT-like stack (``encoder.layer``), a hook on
    that layer ends the pass as soon as its output exists: the layers above
    it would cost time and change nothing.
    """
    import torch
    layers = getattr(getattr(m.module, "encoder", None), "layer", None)
    if 0 < layer < m.n_layers and isinstance(layers, torch.nn.ModuleList) and len(layers) == m.n_layers:
        def stop(_module, _args, output):
            raise _Reached(output[0] if isinstance(output, tuple) else output)
        handle = layers[layer - 1].register_forward_hook(stop)
        try:
            m.module(input_ids=inp, attention_mask=mask)
        except _Reached as reached:
            return reached.hidden
        finally:
            handle.remove()
        raise RuntimeError(f"{m.name}: layer {layer} was never run")
    res = m.module(input_ids=inp, attention_mask=mask, output_hidden_states=layer != m.n_layers)
    return res.last_hidden_state if layer == m.n_layers else res.hidden_states[layer]


def _pack_tokens(ids: np.ndarray, vecs: np.ndarray) -> bytes:
    return np.int32(len(ids)).tobytes() + ids.tobytes() + vecs.tobytes()


def _unpack_tokens(blob: bytes, hidden: int) -> tuple[np.ndarray, np.ndarray]:
    n = int(np.frombuffer(blob, dtype=np.int32, count=1)[0])
    ids = np.frombuffer(blob, dtype=np.int32, count=n, offset=4)
    vecs = np.frombuffer(blob, dtype=np.float16, count=n * hidden, offset=4 + 4 * n).reshape(n, hidden)
    return ids, vecs
