"""Registration of detectors and selection by code prefix, name or group.

Selectors work like ruff's: ``BP`` selects every ``BP…`` code, ``BP001``
one detector, ``boilerplate`` a group (or a dotted name prefix),
``boilerplate.mobile-link`` one name, ``ALL`` everything.  A selector that
matches nothing is an error, never silence.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Iterable, Mapping

from ..errors import UsageError
from .base import Detector, Severity

_REGISTRY: dict[str, type[Detector]] = {}
_LOADED = False
# Modules of this package that hold no detectors.
_NOT_DETECTORS = {"base", "registry", "runner", "fixtures"}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: add a detector under its code (codes are unique)."""
    if not cls.code or not cls.name:
        raise ValueError(f"{cls.__name__} needs a code and a name")
    other = _REGISTRY.get(cls.code)
    if other is not None and other is not cls:
        raise ValueError(f"detector code {cls.code} used by {other.__name__} and {cls.__name__}")
    _REGISTRY[cls.code] = cls
    return cls


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import __path__ as pkg_path
    for mod in pkgutil.iter_modules(pkg_path):
        if mod.name.startswith("_") or mod.name in _NOT_DETECTORS:
            continue
        importlib.import_module(f"{__package__}.{mod.name}")
    _LOADED = True


def all_detectors() -> list[type[Detector]]:
    _load_all()
    return [_REGISTRY[c] for c in sorted(_REGISTRY)]


def get(code: str) -> type[Detector]:
    _load_all()
    try:
        return _REGISTRY[code.upper()]
    except KeyError:
        raise UsageError(f"unknown detector code {code!r}") from None


def matches(cls: type[Detector], selector: str) -> bool:
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    # a code prefix: upper case ("BP", "BP001"), or any case with digits ("bp001")
    if (s[:1].isupper() or (s[:2].isalpha() and s[2:].isdigit() and len(s) > 2)) and cls.code.startswith(s.upper()):
        return True
    low = s.lower()
    return (cls.name == low or cls.name.startswith(low + ".") or low in cls.groups)


def resolve(selectors: Iterable[str], universe: list[type[Detector]], what: str) -> list[type[Detector]]:
    chosen = []
    for sel in selectors:
        hit = [c for c in universe if matches(c, sel)]
        if not hit:
            raise UsageError(f"{what}: {sel!r} matches no detector (`mt-eval detectors` lists them all)")
        chosen += hit
    return list(dict.fromkeys(chosen))


def select(select: Iterable[str] | None = None, ignore: Iterable[str] = (),
           extend_select: Iterable[str] = ()) -> list[type[Detector]]:
    """The detector classes a configuration turns on, in code order."""
    universe = all_detectors()
    base = resolve(select, universe, "select") if select is not None else \
        [c for c in universe if c.default_enabled]
    chosen = set(base) | set(resolve(extend_select, universe, "extend-select"))
    chosen -= set(resolve(ignore, universe, "ignore"))
    return [c for c in universe if c in chosen]


def instantiate(classes: list[type[Detector]],
                options: Mapping[str, Mapping[str, object]] | None = None,
                severities: Mapping[str, str] | None = None) -> list[Detector]:
    """Detectors with their options (keyed by code) and severity overrides
    (keyed by any selector)."""
    options = {k.upper(): v for k, v in (options or {}).items()}
    universe = all_detectors()
    for code in options:
        if code not in _REGISTRY:
            raise UsageError(f"options given for unknown detector {code!r}")
    sev_for: dict[str, Severity] = {}
    for sel, sev in (severities or {}).items():
        try:
            level = Severity.parse(sev)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for cls in resolve([sel], universe, "severity"):
            sev_for[cls.code] = level
    out = []
    for cls in classes:
        try:
            out.append(cls(severity=sev_for.get(cls.code), **dict(options.get(cls.code, {}))))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return out
