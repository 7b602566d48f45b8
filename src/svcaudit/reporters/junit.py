"""JUnit XML: the audit as one test suite, for the test views of Jenkins, GitLab, GitHub and Azure.

Starts from `result.to_dict()`. One `<testcase>` per rule (classname `svcaudit.<check>`): an
error-severity rule with failures fails and lists its violations (each with who it is about); a
warning-severity rule never fails on its findings, which go to `<system-out>`; a rule below its
`min_judged` fails (type `too-few-judged`), whatever its severity; a rule with nothing judged is
skipped with its grouped reasons. Two more cases keep the gate honest: `input-rows` fails when rows
were rejected (never a silent pass) and `standard-met` carries the verdict of the exit code (a
failure of type `standard-not-met` for FAILED, `not-judged` for NOT JUDGED); the suite's `verdict`
property and the first line of its `<system-out>` say the same. Valid against the Jenkins xUnit
plugin's `junit-10.xsd` (tests/reporters/fixtures/).

Every violation is listed, so the whole document is built in memory: JUnit is for CI-sized runs
(thousands of findings); for an archive of a million tickets use JSON, which is written as a stream.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from typing import Any

from svcaudit.reporters import common
from svcaudit.reporters.escaping import visible_controls
from svcaudit.results.model import AuditResult, Verdict

SUITES_NAME = "svcaudit"
CLASS_PREFIX = "svcaudit."
AUDIT_CLASS = CLASS_PREFIX + "audit"  # the cases that are not rules: input rows and the verdict
INPUT_CASE = "input-rows"
VERDICT_CASE = "standard-met"
REJECTED_TYPE = "rejected-rows"
VERDICT_TYPE = "standard-not-met"
NOT_JUDGED_TYPE = "not-judged"  # the verdict case's failure when nothing could be judged
TOO_FEW_TYPE = "too-few-judged"  # a rule's failure below its min_judged
NO_TIME = "0"  # an audit does not time its rules; consumers that require `time` get zero
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INDENT = "  "
REPLACEMENT = "\ufffd"

# Characters XML 1.0 does not allow anywhere, even escaped, once control characters and lone
# surrogates are shown as escapes: U+FFFE and U+FFFF. Helpdesk exports carry them (broken
# encodings); they become U+FFFD so the report stays well-formed and the gap stays visible.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Kept as they are: XML carries them, and messages and lists span lines.
_LAYOUT = "\t\n\r"


def xml_safe(value: object) -> str:
    """Text XML 1.0 can carry and no CI page obeys: control characters (C0 but tab and line
    breaks, DEL, C1, bidirectional controls) and lone surrogates shown as escapes (`\\x1b`), as
    the text report shows them; what XML forbids besides as U+FFFD. Escaping of `<`, `&` and
    quotes is left to the serialiser."""
    return _NOT_XML.sub(REPLACEMENT, visible_controls(value, keep=_LAYOUT))


def render(result: AuditResult, **_: object) -> str:
    """The whole report as JUnit XML; every violation and rejected row is listed (like JSON)."""
    report = result.to_dict()
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for violation in report["violations"]:
        by_rule.setdefault(violation["rule"], []).append(violation)
    cases = [_rule_case(rule, by_rule.get(rule["id"], [])) for rule in report["rules"]]
    cases.append(_input_case(report))
    cases.append(_verdict_case(result, report))
    failures = sum(1 for case in cases if case.find("failure") is not None)
    skipped = sum(1 for case in cases if case.find("skipped") is not None)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0"}

    suites = _element("testsuites", name=SUITES_NAME, **counts, time=NO_TIME)
    suite = _element(
        "testsuite",
        name=report["standard"]["name"] or SUITES_NAME,
        **counts,
        skipped=str(skipped),
        time=NO_TIME,
        timestamp=_timestamp(report["as_of"]),
        file=report["standard"]["source"],
    )
    suites.append(suite)
    suite.append(_properties(report))
    suite.extend(cases)
    out = _lines(common.verdict(result), *(f"warning: {w}" for w in report["warnings"]))
    suite.append(_element("system-out", text=out))
    ET.indent(suites, space=INDENT)
    return XML_DECLARATION + ET.tostring(suites, encoding="unicode") + "\n"


def _rule_case(rule: dict[str, Any], violations: list[dict[str, Any]]) -> ET.Element:
    case = _element("testcase", classname=CLASS_PREFIX + rule["check"], name=_case_name(rule), time=NO_TIME)
    judged = rule["passed"] + rule["failed"]
    counts = _counts(rule)
    if rule["min_judged"] is not None and judged < rule["min_judged"]:
        message = f"judged {judged} ticket{'' if judged == 1 else 's'}, fewer than its min_judged {rule['min_judged']}"
        if judged == 0:
            message += f" ({_not_judged(rule)})"
        case.append(
            _element("failure", message=message, type=TOO_FEW_TYPE, text=_lines(counts, "", *_listing(violations)))
        )
        return case
    if judged == 0:
        case.append(_element("skipped", message=_not_judged(rule)))
        case.append(_element("system-out", text=counts))
        return case
    if rule["failed"] and rule["severity"] == "error":
        message = _finding(rule, violations)
        if not rule["met"]:
            message += f"; below the rule's min_compliance {common.percent(rule['min_compliance'])}"
        case.append(
            _element("failure", message=message, type=rule["check"], text=_lines(counts, "", *_listing(violations)))
        )
        return case
    if rule["failed"]:
        head = f"severity warning, reported only: {_finding(rule, violations)}"
        case.append(_element("system-out", text=_lines(head, counts, "", *_listing(violations))))
        return case
    case.append(_element("system-out", text=counts))
    return case


def _input_case(report: dict[str, Any]) -> ET.Element:
    summary = report["summary"]
    case = _element("testcase", classname=AUDIT_CLASS, name=INPUT_CASE, time=NO_TIME)
    inputs = [
        f"{i['path']} ({i['shape']}, {i['format']}, {i['encoding']}): {i['rows_read']} rows read, "
        f"{i['rows_audited']} audited, {i['rows_rejected']} rejected"
        + common.input_accounting(i["rows_folded"], i["fields_rejected"], i["internal_notes"])
        for i in report["inputs"]
    ]
    rejected = report["rejected"]
    if rejected:
        message = f"{summary['rows_rejected']} of {summary['rows_read']} rows rejected, not audited"
        fields = sum(1 for r in rejected if r["row_kept"])
        if fields:
            message += f"; {fields} field{'s' if fields != 1 else ''} left out of rows still audited"
        listing = [
            f"- {r['path']}:{r['row']}"
            + (f" {r['field']}" if r["field"] else "")
            + f": {r['error']}"
            + (" (field left out, row still audited)" if r["row_kept"] else "")
            for r in rejected
        ]
        case.append(_element("failure", message=message, type=REJECTED_TYPE, text=_lines(*listing)))
    case.append(_element("system-out", text=_lines(*inputs)))
    return case


def _verdict_case(result: AuditResult, report: dict[str, Any]) -> ET.Element:
    case = _element("testcase", classname=AUDIT_CLASS, name=VERDICT_CASE, time=NO_TIME)
    verdict = common.verdict(result)
    summary = report["summary"]
    if summary["passed"]:
        case.append(_element("system-out", text=verdict))
    else:
        kind = NOT_JUDGED_TYPE if summary["verdict"] == Verdict.NOT_JUDGED.value else VERDICT_TYPE
        case.append(_element("failure", message=verdict, type=kind, text=verdict))
    return case


def _properties(report: dict[str, Any]) -> ET.Element:
    summary = report["summary"]
    values: dict[str, object] = {
        "svcaudit.version": report["svcaudit_version"],
        "standard.name": report["standard"]["name"],
        "standard.source": report["standard"]["source"],
        "as_of": report["as_of"],
        "verdict": summary["verdict"],
        "passed": str(summary["passed"]).lower(),
        "compliance": summary["compliance"],
        "threshold": summary["threshold"],
        "tickets": summary["tickets"],
        "results_passed": summary["results_passed"],
        "results_failed": summary["results_failed"],
        "violations": summary["violations"],
        "waived": summary.get("waived", 0),
        "rows_read": summary["rows_read"],
        "rows_audited": summary["rows_read"] - summary["rows_rejected"],
        "rows_rejected": summary["rows_rejected"],
    }
    quality = report.get("quality")
    if quality:
        values["quality.score"] = quality["score"]
        values["quality.min"] = quality["min"]
    properties = _element("properties")
    for name, value in values.items():
        properties.append(_element("property", name=name, value="" if value is None else value))
    return properties


def _case_name(rule: dict[str, Any]) -> str:
    title = rule["title"]
    return rule["id"] if not title or title == rule["id"] else f"{rule['id']}: {title}"


def _counts(rule: dict[str, Any]) -> str:
    text = (
        f"{rule['passed']} passed, {rule['failed']} failed, {rule['pending']} pending, "
        f"{rule['not_applicable']} not applicable"
    )
    if rule.get("waived"):
        text += f", {rule['waived']} waived"
    text += f" (compliance {common.percent(rule['compliance'])}"
    if rule["min_compliance"] is not None:
        text += f", min_compliance {common.percent(rule['min_compliance'])}"
    text += ")"
    if rule["value"] is not None:
        text += f"; measured {rule['value']:g}"
    return text


def _finding(rule: dict[str, Any], violations: list[dict[str, Any]]) -> str:
    """What failed, in one line: the share of tickets, or an aggregate rule's own finding."""
    if violations and all(v["ticket_id"] is None for v in violations):
        return "; ".join(v["message"] for v in violations)
    judged = rule["passed"] + rule["failed"]
    return f"{rule['failed']} of {judged} tickets failed (compliance {common.percent(rule['compliance'])})"


def _not_judged(rule: dict[str, Any]) -> str:
    reasons = "; ".join(
        f"{group['reason']}, {group['count']} ticket{'' if group['count'] == 1 else 's'}"
        for group in rule["not_applicable_summary"]
    )
    if rule["pending"]:
        text = f"nothing judged yet: {rule['pending']} pending"
        return text + (f"; not applicable: {reasons}" if reasons else "")
    return "not applicable: " + (reasons or "no ticket to judge")


def _listing(violations: list[dict[str, Any]]) -> list[str]:
    """One block per violation: ticket, place and finding, then the evidence indented."""
    lines = []
    for v in violations:
        where = f"{v['path']}:{v['row']}" if v["path"] and v["row"] else (v["path"] or "")
        head = v["ticket_id"] or "(all tickets)"
        about = common.who_of(v)
        if about:
            head += f" ({about})"
        if where:
            head += f" at {where}"
        if v["field"]:
            head += f" [{v['field']}]"
        lines.append(f"- {head}: {v['message']}")
        if v["evidence"] and v["evidence"] not in v["message"]:
            lines.append(f"  evidence: {v['evidence']}")
    return lines


def _lines(*lines: str) -> str:
    return "\n".join(lines)


def _timestamp(as_of: str | None) -> str:
    """JUnit timestamps carry no zone: the audit's "now" in UTC, to the second."""
    if not as_of:
        return ""
    moment = datetime.fromisoformat(as_of.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


def _element(tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    element = ET.Element(tag, {key: xml_safe(value) for key, value in attributes.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element
