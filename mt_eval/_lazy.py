"""Names a package exports but imports on first use (PEP 562), so that
importing the package stays cheap."""
from __future__ import annotations

import importlib
from typing import Any, Callable


def lazy_getattr(package: str, namespace: dict[str, Any], where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each lazy name
    to the (relative) module defining it; the value is cached in
    ``namespace`` (the package's globals) once imported."""
    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value
    return __getattr__
