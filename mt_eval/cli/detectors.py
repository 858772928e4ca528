"""``mt-eval detectors``: what every detector flags, with its documentation."""
from __future__ import annotations

import json
import sys

from ..detectors import registry


def register(sub) -> None:
    p = sub.add_parser("detectors", help="list the detectors and their documentation",
                       description="List every detector (code, name, groups, severity, MQM category, languages, "
                                   "what it needs, options) with its documentation. Give codes, names or groups "
                                   "to show only those.")
    p.add_argument("selectors", nargs="*", metavar="SELECTOR", help="e.g. BP001, BP, boilerplate")
    p.add_argument("--brief", action="store_true", help="one line per detector")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.set_defaults(run=run)


def describe(cls) -> dict:
    return {"code": cls.code, "name": cls.name, "groups": list(cls.groups), "severity": str(cls.severity),
            "category": cls.category, "languages": list(cls.languages) if cls.languages else None,
            "needs": sorted(cls.needs), "default_enabled": cls.default_enabled,
            "options": {k: {"default": o.default, "help": o.help} for k, o in cls.options.items()},
            "requires_extra": cls.requires_extra, "unavailable": cls.available(), "doc": cls.doc()}


def run(args) -> int:
    universe = registry.all_detectors()
    # "BP001,SG001" as --select takes it
    selectors = [v.strip() for item in args.selectors for v in item.split(",") if v.strip()]
    chosen = registry.resolve(selectors, universe, "detectors") if selectors else universe
    out = sys.stdout
    if args.format == "json":
        json.dump([describe(c) for c in chosen], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if args.brief:
        rows = [(c.code, c.name, str(c.severity), c.category, c.summary()) for c in chosen]
        w = [max(len(r[i]) for r in rows) for i in range(4)]
        for r in rows:
            out.write("  ".join(r[i].ljust(w[i]) for i in range(4)) + "  " + r[4][:80] + "\n")
        return 0
    for k, c in enumerate(chosen):
        d = describe(c)
        if k:
            out.write("\n")
        out.write(f"{d['code']}  {d['name']}\n")
        out.write(f"  severity {d['severity']} · {d['category']} · groups {', '.join(d['groups']) or '-'}\n")
        out.write(f"  languages {', '.join(d['languages']) if d['languages'] else 'any'} · needs "
                  f"{', '.join(d['needs'])}" + ("" if d["default_enabled"] else " · off by default") + "\n")
        if d["requires_extra"]:
            out.write(f"  requires the '{d['requires_extra']}' extra"
                      + (f": {d['unavailable']}" if d["unavailable"] else " (installed)") + "\n")
        for name, o in d["options"].items():
            out.write(f"  option {name} = {o['default']!r}: {o['help']}\n")
        out.write("\n")
        for line in d["doc"].splitlines():
            out.write(f"    {line}".rstrip() + "\n")
    return 0
