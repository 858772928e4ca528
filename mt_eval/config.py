"""Project configuration: ``[tool.mt_eval]`` in ``pyproject.toml`` or ``mt_eval.toml``.

Discovery (like ruff): ``--config FILE`` wins; otherwise the directories from
the input (or the current directory) up to the filesystem root are searched,
and in each the first of ``mt_eval.toml`` / ``.mt_eval.toml`` /
``pyproject.toml`` *that holds mt_eval settings* is used.  In
``mt_eval.toml`` the settings may sit at top level or under ``[tool.mt_eval]``.

The detector part::

    [tool.mt_eval]
    select = ["BP", "SG", "numbers"]      # code prefixes, names or groups; ALL
    ignore = ["SG004"]
    extend-select = ["UT003"]
    severity = { BP001 = "minor", "punctuation" = "info" }

    [tool.mt_eval.detectors.LR001]        # options of one detector
    max-z = 4.0

Unknown keys, selectors, codes and options are errors naming the file (and
the line when it can be found), never silence.

Further sections
----------------
Other features own their own table under ``[tool.mt_eval]`` (the CI gate owns
``[tool.mt_eval.gate]``).  They register a parser with :func:`register_section`
at import time; :func:`load_config` then validates the table with it and puts
the result in ``Config.sections[name]``.  A section parser receives the raw
table and a :class:`Where` (file + line lookup for error messages) and may
reuse :meth:`DetectorSettings.from_table` for per-feed detector overrides,
layering them with :meth:`DetectorSettings.overlay`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .errors import InputError, UsageError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_NAMES = ("mt_eval.toml", ".mt_eval.toml", "pyproject.toml")
DETECTOR_KEYS = ("select", "ignore", "extend-select", "severity", "detectors")


@dataclass(frozen=True)
class Where:
    """Where a table came from, to point errors at a file and line."""
    path: str | None
    text: str = ""
    prefix: str = "tool.mt_eval"

    def error(self, message: str, key: str | None = None) -> InputError:
        return InputError(message, self.path, self.line_of(key) if key else None)

    def line_of(self, key: str) -> int | None:
        """Best-effort line of a key (tomllib keeps no positions): ``key`` is
        dotted from the section, e.g. ``detectors.LR001.max-z``; the last part
        is searched after the header of the table holding it."""
        if not self.text:
            return None
        parts = key.split(".")
        start = 0
        if len(parts) > 1:
            table = ".".join(parts[:-1])
            m = re.search(rf"^[ \t]*\[[ \t]*(?:{re.escape(self.prefix)}\.)?{re.escape(table)}[ \t]*\]", self.text, re.M)
            if m:
                start = m.start()
        last = re.escape(parts[-1])
        pats = [rf"^[ \t]*\[[^\]\n]*\b{last}\"?[ \t]*\]", rf"^[ \t]*\"?{last}\"?[ \t]*=", rf"[{{,][ \t]*\"?{last}\"?[ \t]*="]
        for pat in pats[1:] + pats[:1] if len(parts) > 1 else pats:
            m = re.compile(pat, re.M).search(self.text, start)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        return None


@dataclass
class DetectorSettings:
    """Which detectors run, how severe their findings are, and their options.

    ``select`` is ``None`` when not given (the default set applies).  Keys of
    ``severity`` are selectors; keys of ``options`` are detector codes, and
    their option names use underscores (``max-z`` in a file becomes ``max_z``).
    """
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Earlier layers (e.g. the config file under the command line), applied first.
    base: "DetectorSettings | None" = None

    # -- construction ------------------------------------------------------
    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: Where, *, allow: Iterable[str] = ()) -> "DetectorSettings":
        """Validate the detector keys of ``table``; other keys are errors
        unless listed in ``allow`` (the caller handles them)."""
        allowed = set(DETECTOR_KEYS) | set(allow)
        for key in table:
            if key not in allowed:
                raise where.error(f"unknown key {key!r} in [{where.prefix}]; known keys: "
                                  f"{', '.join(sorted(allowed))}", key)
        s = cls(select=_str_list(table, "select", where) if "select" in table else None,
                ignore=_str_list(table, "ignore", where) if "ignore" in table else [],
                extend_select=_str_list(table, "extend-select", where) if "extend-select" in table else [])
        sev = table.get("severity", {})
        if not isinstance(sev, Mapping):
            raise where.error("'severity' must be a table like { BP001 = \"minor\" }", "severity")
        s.severity = {str(k): _str(v, f"severity.{k}", where) for k, v in sev.items()}
        dets = table.get("detectors", {})
        if not isinstance(dets, Mapping):
            raise where.error("'detectors' must hold one table per detector code", "detectors")
        for code, opts in dets.items():
            if not isinstance(opts, Mapping):
                raise where.error(f"[{where.prefix}.detectors.{code}] must be a table of options", code)
            s.options[str(code).upper()] = {k.replace("-", "_"): v for k, v in opts.items()}
        s.validate(where)
        return s

    @classmethod
    def from_cli(cls, *, select: str | Iterable[str] | None = None, ignore=(), extend_select=(),
                 severity: Iterable[str] = (), option: Iterable[str] = ()) -> "DetectorSettings":
        """From command-line values: comma lists, ``CODE=LEVEL`` and ``CODE.key=value``."""
        s = cls(select=_split(select) if select else None, ignore=_split(ignore),
                extend_select=_split(extend_select))
        for item in severity or ():
            sel, eq, level = item.partition("=")
            if not eq or not sel.strip() or not level.strip():
                raise UsageError(f"--severity takes SELECTOR=LEVEL (e.g. BP001=minor), got {item!r}")
            s.severity[sel.strip()] = level.strip()
        for item in option or ():
            key, eq, value = item.partition("=")
            code, dot, name = key.partition(".")
            if not eq or not dot or not code.strip() or not name.strip():
                raise UsageError(f"--option takes CODE.name=value (e.g. LR001.max_z=5), got {item!r}")
            s.options.setdefault(code.strip().upper(), {})[name.strip().replace("-", "_")] = value.strip()
        s.validate(Where(None))
        return s

    def overlay(self, top: "DetectorSettings") -> "DetectorSettings":
        """``top`` applied over ``self`` (command line over file, feed over project)."""
        merged_opts = {c: dict(o) for c, o in self.options.items()}
        for code, opts in top.options.items():
            merged_opts.setdefault(code, {}).update(opts)
        return DetectorSettings(select=top.select, ignore=list(top.ignore),
                                extend_select=list(top.extend_select),
                                severity={**self.severity, **top.severity},
                                options=merged_opts, base=self)

    # -- use ---------------------------------------------------------------
    def validate(self, where: Where) -> None:
        """Every selector, severity level, code and option must exist."""
        from .detectors import registry
        from .detectors.base import Severity
        universe = registry.all_detectors()
        for what, sels in (("select", self.select or []), ("ignore", self.ignore),
                           ("extend-select", self.extend_select)):
            try:
                registry.resolve(sels, universe, what)
            except UsageError as exc:
                if where.path is None:
                    raise
                raise where.error(str(exc), what) from None
        try:
            for sel, level in self.severity.items():
                registry.resolve([sel], universe, "severity")
                try:
                    Severity.parse(level)
                except ValueError as exc:
                    raise UsageError(f"severity of {sel}: {exc}") from None
        except UsageError as exc:
            if where.path is None:
                raise
            key = next((k for k in self.severity if k in str(exc)), None)
            raise where.error(str(exc), f"severity.{key}" if key else None) from None
        for code, opts in self.options.items():
            try:
                cls = registry.get(code)
            except UsageError as exc:
                if where.path is None:
                    raise
                raise where.error(str(exc), f"detectors.{code}") from None
            for name, value in opts.items():
                try:
                    if name not in cls.options:
                        known = ", ".join(sorted(cls.options)) or "none"
                        raise UsageError(f"{code} has no option {name!r} (options: {known})")
                    cls.options[name].coerce(f"{code}.{name}", value)
                except (UsageError, ValueError) as exc:
                    if where.path is None:
                        raise UsageError(str(exc)) from None
                    raise where.error(str(exc), f"detectors.{code}.{_spelled(where, name)}") from None

    def layers(self) -> list["DetectorSettings"]:
        out, s = [], self
        while s is not None:
            out.append(s)
            s = s.base
        return out[::-1]

    def selected(self) -> list[type]:
        """Detector classes turned on, layer by layer: a layer's ``select``
        starts over, then its ``extend-select`` adds and its ``ignore`` removes."""
        from .detectors import registry
        universe = registry.all_detectors()
        chosen = {c for c in universe if c.default_enabled}
        for layer in self.layers():
            if layer.select is not None:
                chosen = set(registry.resolve(layer.select, universe, "select"))
            chosen |= set(registry.resolve(layer.extend_select, universe, "extend-select"))
            chosen -= set(registry.resolve(layer.ignore, universe, "ignore"))
        return [c for c in universe if c in chosen]

    def instantiate(self) -> list:
        from .detectors import registry
        return registry.instantiate(self.selected(), self.options, self.severity)


@dataclass
class Config:
    """Everything read from one configuration file.

    ``detectors``: the detector settings; ``sections``: parsed further
    sections by name (see :func:`register_section`); ``path``: the file, or
    ``None`` when no configuration was found.
    """
    detectors: DetectorSettings = field(default_factory=DetectorSettings)
    sections: dict[str, Any] = field(default_factory=dict)
    path: str | None = None


SectionParser = Callable[[Mapping[str, Any], Where], Any]
_SECTIONS: dict[str, SectionParser] = {}


def register_section(name: str, parser: SectionParser) -> None:
    """Let a feature own ``[tool.mt_eval.NAME]`` (validated by ``parser``)."""
    _SECTIONS[name] = parser


# Modules that call register_section() when imported: a feature that owns a
# section adds its module here, so every file is validated in full whatever
# the sub-command.
SECTION_MODULES: tuple[str, ...] = ()


def _gate_section(table: Mapping[str, Any], where: Where) -> Any:
    # The CI gate (mt_eval.gate) validates its own table; `mt-eval check`
    # must accept a project file that configures the gate too.
    from .gate import GateConfigError, gate_config
    if not isinstance(table, Mapping):
        raise where.error("[tool.mt_eval.gate] must be a table", "gate")
    try:
        return gate_config(table, "[tool.mt_eval.gate]")
    except GateConfigError as exc:
        # the key's line, found under its table's header
        at = Where(where.path, where.text, "tool.mt_eval")
        table = f"tool.mt_eval.gate{'.' + exc.table if exc.table else ''}"
        raise at.error(f"[{table}] {exc.detail}", f"gate.{exc.key}") from None


def _known_sections() -> dict[str, SectionParser]:
    import importlib
    _SECTIONS.setdefault("gate", _gate_section)
    for mod in SECTION_MODULES:
        importlib.import_module(mod)
    return _SECTIONS


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest configuration file from ``start`` (a file or directory) upwards."""
    here = Path(start or os.getcwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = d / name
            if p.is_file() and _holds_settings(p):
                return p
    return None


def _holds_settings(p: Path) -> bool:
    if p.name != "pyproject.toml":
        return True
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\.mt_eval[\].]", text, re.M) is not None


def load_config(path: str | os.PathLike | None = None, *, start: str | os.PathLike | None = None) -> Config:
    """Read ``path``, or discover the configuration from ``start``; an empty
    :class:`Config` when there is none."""
    if path is None:
        found = find_config(start)
        if found is None:
            return Config()
        path = found
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("configuration file not found", str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read configuration ({exc})", str(p)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*\(at line.*", "", str(exc))
        raise InputError(f"invalid TOML: {msg}", str(p), int(m.group(1)) if m else None,
                         int(m.group(2)) if m else None) from None
    table = data.get("tool", {}).get("mt_eval")
    if table is None:
        if p.name == "pyproject.toml":
            table = {}
        else:
            table = {k: v for k, v in data.items() if k != "tool"}
    if not isinstance(table, Mapping):
        raise InputError("[tool.mt_eval] must be a table", str(p))
    where = Where(str(p), text)
    sections = _known_sections()
    settings = DetectorSettings.from_table(table, where, allow=sections)
    parsed = {name: sections[name](table[name], Where(str(p), text, f"tool.mt_eval.{name}"))
              for name in sections if name in table}
    return Config(settings, parsed, str(p))


def _spelled(where: Where, name: str) -> str:
    """An option name as the file spells it (``max-z`` or ``max_z``)."""
    dashed = name.replace("_", "-")
    return dashed if re.search(rf"^[ \t]*{re.escape(dashed)}[ \t]*=", where.text, re.M) else name


def _split(values: str | Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for item in values for v in str(item).split(",") if v.strip()]


def _str_list(table: Mapping[str, Any], key: str, where: Where) -> list[str]:
    v = table.get(key)
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise where.error(f"{key!r} must be a list of selectors like [\"BP\", \"SG001\"]", key)
    return v


def _str(v: Any, key: str, where: Where) -> str:
    if not isinstance(v, str):
        raise where.error(f"{key} must be a string such as \"minor\", got {v!r}", key.split(".")[-1])
    return v
