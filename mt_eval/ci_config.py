"""Configuration of ``mt-eval ci``: the project configuration
(:mod:`mt_eval.config`: detector settings of ``[tool.mt_eval]`` and the gate
table ``[tool.mt_eval.gate]``, which :func:`mt_eval.gate.gate_config`
validates) with command-line overrides, and ``--show-config``'s rendering
of the effective values as TOML."""
from __future__ import annotations

import json
from typing import Any, Mapping

from .config import DetectorSettings, load_config
from .gate import GateConfig, gate_config, toml_key


def load(path: str | None, overrides: Mapping[str, Any], *, start: str | None = None
         ) -> tuple[GateConfig, DetectorSettings, str | None]:
    """``(gate config, detector settings, file used)``; command-line
    ``overrides`` (gate keys) win over the file."""
    conf = load_config(path, start=start)
    cfg = conf.sections.get("gate") or GateConfig()
    if overrides:
        cfg = gate_config({**cfg.as_toml_table(), **overrides}, "command line")
    return cfg, conf.detectors, conf.path


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
        return "{ " + ", ".join(f"{toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(type(v))


def show(cfg: GateConfig, settings: DetectorSettings, source: str | None) -> str:
    lines = [f"# effective mt-eval ci configuration ({'from ' + source if source else 'defaults: no config file'})",
             "[tool.mt_eval]"]
    if settings.select is not None:
        lines.append(f"select = {_toml_value(settings.select)}")
    for key, value in (("ignore", settings.ignore), ("extend-select", settings.extend_select),
                       ("severity", settings.severity)):
        if value:
            lines.append(f"{key} = {_toml_value(value)}")
    for code, opts in settings.options.items():
        lines += ["", f"[tool.mt_eval.detectors.{toml_key(code)}]"]
        lines += [f"{toml_key(k)} = {_toml_value(v)}" for k, v in opts.items()]
    table = cfg.as_toml_table()
    feeds = table.pop("feeds", {})
    lines += ["", "[tool.mt_eval.gate]"]
    lines += [f"{toml_key(k)} = {_toml_value(v)}" for k, v in table.items()]
    for pattern, t in feeds.items():
        lines += ["", f"[tool.mt_eval.gate.feeds.{toml_key(pattern)}]"]
        lines += [f"{toml_key(k)} = {_toml_value(v)}" for k, v in t.items()]
    return "\n".join(lines) + "\n"
