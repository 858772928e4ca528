"""JUnit XML: one test suite per unit (translated feed or corpus file), one
test case per item.

* failed item  -> ``<failure>`` listing its blocking findings;
* unpaired item -> ``<skipped>`` (nothing to check), or ``<failure>`` when
  the gate is configured with ``unpaired = "fail"``;
* passed item  -> a plain test case; non-blocking and baselined findings go
  to ``<system-out>`` so nothing is hidden;
* the unit's thresholds (budgets, metrics, detector errors) are one more
  test case, ``gate thresholds``, failing with the reasons.

Text is written through lxml, which escapes it; control characters XML
cannot hold are shown as escapes.
"""
from __future__ import annotations

from lxml import etree

from ..gate import GateResult, ItemResult
from ._safe import xml_text


def _finding_line(r) -> str:
    f = r.finding
    loc = f"{r.path}:{r.line}" if r.line else (r.path or "")
    state = "known " if r.known else ""
    return f"{loc}: {f.code} {state}{f.severity} {f.category}: {f.message} [{f.span_text}]"


def _case(suite, it: ItemResult, unpaired_fails: bool) -> tuple[int, int]:
    case = etree.SubElement(suite, "testcase", classname=xml_text(it.unit),
                            name=xml_text(f"{it.doc_id}: {it.title}" if it.title else it.doc_id))
    if it.path:
        case.set("file", xml_text(it.path))
    if it.line:
        case.set("line", str(it.line))
    failures = skipped = 0
    blocking = [r for r in it.findings if r.blocking]
    if it.status == "failed":
        codes = sorted({r.finding.code for r in blocking})
        el = etree.SubElement(case, "failure", type="mt-eval",
                              message=xml_text(f"{len(blocking)} blocking finding{'s' if len(blocking) != 1 else ''}: "
                                               f"{', '.join(codes)}"))
        el.text = xml_text("\n".join(_finding_line(r) for r in blocking))
        failures = 1
    elif it.status == "unpaired":
        msg = "; ".join(m for _, m in it.notes) or "unpaired item"
        if unpaired_fails:
            etree.SubElement(case, "failure", type="mt-eval.unpaired", message=xml_text(msg))
            failures = 1
        else:
            etree.SubElement(case, "skipped", message=xml_text(f"unpaired: {msg}"))
            skipped = 1
    rest = [r for r in it.findings if not r.blocking]
    lines = [f"status: {it.status}"] + [f"note: {m}" for _, m in it.notes] + [_finding_line(r) for r in rest]
    out = etree.SubElement(case, "system-out")
    out.text = xml_text("\n".join(lines))
    return failures, skipped


def render(result: GateResult) -> str:
    root = etree.Element("testsuites", name="mt-eval ci")
    totals = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    unit_names = [u.name for u in result.units]
    by_unit: dict[str, list[ItemResult]] = {n: [] for n in unit_names}
    for it in result.items:
        by_unit.setdefault(it.unit, []).append(it)
    units = {u.name: u for u in result.units}
    for name, items in by_unit.items():
        unit = units.get(name)
        suite = etree.SubElement(root, "testsuite", name=xml_text(name))
        props = etree.SubElement(suite, "properties")
        if unit is not None:
            for sev, n in unit.counts.items():
                etree.SubElement(props, "property", name=f"new_{sev}", value=str(n))
            for c in unit.metrics:
                etree.SubElement(props, "property", name=f"metric_{c.metric}_{xml_text(c.system)}",
                                 value="not checked" if c.score is None else f"{c.score:.2f}")
        unpaired_fails = unit is not None and unit.config.unpaired == "fail"
        tests = failures = skipped = errors = 0
        for it in items:
            f, s = _case(suite, it, unpaired_fails)
            tests, failures, skipped = tests + 1, failures + f, skipped + s
        if unit is not None:
            case = etree.SubElement(suite, "testcase", classname=xml_text(name), name="gate thresholds")
            tests += 1
            if unit.reasons:
                el = etree.SubElement(case, "failure", type="mt-eval.gate", message=xml_text("; ".join(unit.reasons)))
                el.text = xml_text("\n".join(unit.reasons))
                failures += 1
            if unit.errors:
                el = etree.SubElement(case, "error", type="mt-eval.detector",
                                      message=xml_text(f"{len(unit.errors)} detector errors"))
                el.text = xml_text("\n".join(f"{e['code']} {e['doc_id']}/{e['seg_id']}: {e['error']}"
                                             for e in unit.errors))
                errors += 1
        for k, v in (("tests", tests), ("failures", failures), ("skipped", skipped), ("errors", errors)):
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
