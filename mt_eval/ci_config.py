"""Configuration of ``mt-eval ci``: the detector settings of ``[tool.mt_eval]``
and the gate table ``[tool.mt_eval.gate]``, with command-line overrides, and
``--show-config``'s rendering of the effective values as TOML."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError, UsageError
from .gate import GateConfig, gate_config

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_NAMES = ("mt_eval.toml", ".mt_eval.toml", "pyproject.toml")
DETECTOR_KEYS = ("select", "ignore", "extend-select", "severity", "detectors")


def _find(start: str | None) -> Path | None:
    here = Path(start or os.getcwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = d / name
            if p.is_file() and (name != "pyproject.toml" or re.search(
                    r"^\s*\[\s*tool\.mt_eval[\].]", p.read_text(encoding="utf-8", errors="replace"), re.M)):
                return p
    return None


def _read(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("configuration file not found", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read configuration ({exc})", str(path)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        msg = re.sub(r"\s*[(]at line.*", "", str(exc))
        raise InputError(f"invalid TOML: {msg}", str(path),
                         int(m.group(1)) if m else None, int(m.group(2)) if m else None) from None
    table = data.get("tool", {}).get("mt_eval")
    if table is None:
        table = {} if path.name == "pyproject.toml" else {k: v for k, v in data.items() if k != "tool"}
    return table


def load(path: str | None, overrides: Mapping[str, Any], *, start: str | None = None
         ) -> tuple[GateConfig, dict[str, Any], str | None]:
    """``(gate config, detector settings, file used)``; command-line
    ``overrides`` (gate keys) win over the file."""
    found = Path(path) if path else _find(start)
    table = _read(found) if found else {}
    where = str(found) if found else "defaults"
    unknown = set(table) - set(DETECTOR_KEYS) - {"gate"}
    if unknown:
        raise UsageError(f"{where}: unknown key(s) in [tool.mt_eval]: {', '.join(sorted(unknown))}")
    detector_cfg = {k: table[k] for k in ("select", "ignore", "extend-select", "severity") if k in table}
    if "detectors" in table:
        detector_cfg["options"] = {str(c).upper(): {k.replace("-", "_"): v for k, v in o.items()}
                                   for c, o in table["detectors"].items()}
    try:
        cfg = gate_config(table.get("gate"), f"{where} [tool.mt_eval.gate]")
        cfg = gate_config({**cfg.as_toml_table(), **overrides}, "command line")
    except UsageError as exc:
        raise UsageError(str(exc)) from None
    return cfg, detector_cfg, str(found) if found else None


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(type(v))


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def show(cfg: GateConfig, detector_cfg: Mapping[str, Any], source: str | None) -> str:
    lines = [f"# effective mt-eval ci configuration ({'from ' + source if source else 'defaults: no config file'})",
             "[tool.mt_eval]"]
    for key in ("select", "ignore", "extend-select", "severity"):
        if key in detector_cfg:
            lines.append(f"{key} = {_toml_value(detector_cfg[key])}")
    for code, opts in (detector_cfg.get("options") or {}).items():
        lines += ["", f"[tool.mt_eval.detectors.{_toml_key(code)}]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in opts.items()]
    table = cfg.as_toml_table()
    feeds = table.pop("feeds", {})
    lines += ["", "[tool.mt_eval.gate]"]
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    for pattern, t in feeds.items():
        lines += ["", f"[tool.mt_eval.gate.feeds.{_toml_key(pattern)}]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in t.items()]
    return "\n".join(lines) + "\n"
