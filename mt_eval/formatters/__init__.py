"""Output formats.  ``scores`` writes score tables; the findings formats
(``text``, ``json``, ``jsonl``, ``csv``, ``mqm``, and any module added here)
register with :func:`~.base.register_formatter` and are found by
:func:`findings_formatters`; the CI gate's renderers are listed by
:func:`gate_formats`."""
from __future__ import annotations

import importlib
import pkgutil

from .base import FORMATTERS, FindingsFormatter, register_formatter

_LOADED = False
_NOT_FINDINGS = {"base", "scores"}


def findings_formatters() -> dict[str, type[FindingsFormatter]]:
    """Every findings formatter by name (modules of this package are imported once)."""
    global _LOADED
    if not _LOADED:
        for mod in pkgutil.iter_modules(__path__):
            if not mod.name.startswith("_") and mod.name not in _NOT_FINDINGS:
                importlib.import_module(f"{__name__}.{mod.name}")
        _LOADED = True
    return dict(sorted(FORMATTERS.items()))


def get_formatter(name: str) -> FindingsFormatter:
    from ..errors import UsageError
    formats = findings_formatters()
    if name not in formats:
        raise UsageError(f"unknown output format {name!r}; available: {', '.join(formats)}")
    return formats[name]()


def gate_formats() -> dict:
    """Renderers of a :class:`~mt_eval.gate.GateResult` by format name."""
    from . import gate_json, gate_text, github, junit, markdown, sarif
    return {"text": gate_text.render, "json": gate_json.render, "junit": junit.render,
            "sarif": sarif.render, "github": github.render, "markdown": markdown.render}


__all__ = ["FindingsFormatter", "register_formatter", "findings_formatters", "get_formatter", "gate_formats"]
