"""JUnit reporter: valid against the Jenkins junit-10.xsd, counts that add up, nothing lost or unescaped.

Each case of fixtures/audit_cases.yaml is audited through the real pipeline (standard parsed, CSVs
read from tmp_path), rendered, validated against the schema and parsed back.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from svcaudit.audit.run import run_audit
from svcaudit.reporters import junit
from svcaudit.standard.loader import load_standard
from tests.paths import SAMPLES
from tests.reporters.cases import AS_OF, CASES, audit

FIXTURES = Path(__file__).parent / "fixtures"
AUDIT_CASES = (junit.INPUT_CASE, junit.VERDICT_CASE)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(FIXTURES / "junit-10.xsd"))


def parse(xml: str, schema: xmlschema.XMLSchema) -> ET.Element:
    """Validate against the XSD (as the bytes a CI server reads) and return the root."""
    data = xml.encode("utf-8")
    schema.validate(data)
    return ET.fromstring(data)


def case_id(testcase: ET.Element) -> str:
    """Rule id from `id: title` (rule ids never hold a colon), or an audit case's name."""
    return testcase.get("name").split(":")[0]


def outcomes(suite: ET.Element, tag: str) -> list[str]:
    return [case_id(c) for c in suite.iter("testcase") if c.find(tag) is not None]


def assert_counts_add_up(root: ET.Element, report: dict) -> ET.Element:
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report["rules"]) + len(AUDIT_CASES)
    failures, skipped = outcomes(suite, "failure"), outcomes(suite, "skipped")
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(failures))
        assert element.get("errors") == "0"
    assert suite.get("skipped") == str(len(skipped))
    assert not set(failures) & set(skipped)
    return suite


@pytest.mark.parametrize("name", list(CASES))
def test_case_validates_and_counts(name, tmp_path, schema):
    case = CASES[name]
    result = audit(case, tmp_path)
    report = result.to_dict()
    suite = assert_counts_add_up(parse(junit.render(result), schema), report)

    expect = case["expect"]
    assert report["summary"]["passed"] is expect["passed"]
    assert outcomes(suite, "failure") == expect["junit"]["failures"]
    assert outcomes(suite, "skipped") == expect["junit"]["skipped"]
    assert suite.get("name") == report["standard"]["name"]
    rule_cases = suite.findall("testcase")[: len(report["rules"])]
    for rule, testcase in zip(report["rules"], rule_cases, strict=True):
        assert case_id(testcase) == rule["id"]
        assert testcase.get("classname") == f"svcaudit.{rule['check']}"
        if rule["title"] != rule["id"]:
            assert testcase.get("name") == f"{rule['id']}: {rule['title']}"
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    summary = report["summary"]
    assert properties["passed"] == str(summary["passed"]).lower()
    assert properties["compliance"] == ("" if summary["compliance"] is None else str(summary["compliance"]))
    assert properties["threshold"] == str(summary["threshold"])
    for key in ("tickets", "rows_read", "rows_rejected", "violations"):
        assert properties[key] == str(summary[key])


def test_error_rule_failure_lists_every_violation(tmp_path, schema):
    result = audit(CASES["mixed"], tmp_path)
    suite = parse(junit.render(result), schema).find("testsuite")
    first_reply = next(c for c in suite.iter("testcase") if case_id(c) == "first-reply")
    failure = first_reply.find("failure")
    assert failure.get("type") == "response_time"
    assert failure.get("message") == ("1 of 3 tickets failed (compliance 66.7%); below the rule's min_compliance 90.0%")
    [violation] = [v for v in result.violations if v.rule == "first-reply"]
    assert (
        f"{violation.ticket_id} (channel email) at {violation.path}:{violation.row}: {violation.message}"
    ) in failure.text
    assert violation.evidence in failure.text
    assert first_reply.get("name") == "first-reply: Первый ответ за 1 час: всегда"


def test_warning_rule_is_reported_not_failed(tmp_path, schema):
    suite = parse(junit.render(audit(CASES["mixed"], tmp_path)), schema).find("testsuite")
    greeting = next(c for c in suite.iter("testcase") if case_id(c) == "greeting")
    assert greeting.find("failure") is None and greeting.find("skipped") is None
    out = greeting.find("system-out").text
    assert out.startswith("severity warning, reported only: 1 of 3 tickets failed")
    # The quoted message keeps its Russian text, markup characters and quotes through the XML.
    assert 'Заказ: 5, 6 — статус «готов» <ok> & "50%"' in out


def test_aggregate_rule_fails_with_its_own_finding(tmp_path, schema):
    suite = parse(junit.render(audit(CASES["aggregate-fails"], tmp_path)), schema).find("testsuite")
    satisfaction = next(c for c in suite.iter("testcase") if case_id(c) == "satisfaction")
    assert satisfaction.get("classname") == "svcaudit.score"
    assert satisfaction.find("failure").get("message") == "CSAT 50.0% is below the minimum 80.0%"
    assert "(all tickets) [csat]" in satisfaction.find("failure").text


@pytest.mark.parametrize(
    "name, rule, message",
    [
        ("mixed", "chat-reply", "not applicable: not in scope (channel), 3 tickets"),
        ("nothing-judged", "first-reply", "nothing judged yet: 1 pending"),
        ("nothing-judged", "satisfaction", "not applicable: needs at least 1 csat answers, got 0, 1 ticket"),
    ],
)
def test_rule_with_nothing_judged_is_skipped_with_reason(name, rule, message, tmp_path, schema):
    suite = parse(junit.render(audit(CASES[name], tmp_path)), schema).find("testsuite")
    testcase = next(c for c in suite.iter("testcase") if case_id(c) == rule)
    assert testcase.find("skipped").get("message") == message


@pytest.mark.parametrize("name", ["mixed", "rejected-only"])
def test_rejected_rows_fail_the_input_case(name, tmp_path, schema):
    result = audit(CASES[name], tmp_path)
    suite = parse(junit.render(result), schema).find("testsuite")
    inputs = next(c for c in suite.iter("testcase") if case_id(c) == junit.INPUT_CASE)
    assert inputs.get("classname") == junit.AUDIT_CLASS
    failure = inputs.find("failure")
    assert failure.get("type") == junit.REJECTED_TYPE
    message = f"{result.rows_rejected} of {result.rows_read} rows rejected, not audited"
    assert failure.get("message") == message
    listed = failure.text.splitlines()
    assert len(listed) == len(result.rejected)
    for item, line in zip(result.rejected, listed, strict=True):
        assert line.startswith(f"- {item.path}:{item.row} {item.field}: ") and line.endswith(item.error)
    verdict = next(c for c in suite.iter("testcase") if case_id(c) == junit.VERDICT_CASE)
    assert (verdict.find("failure") is None) is result.standard_met


def test_verdict_case_carries_the_exit_code_verdict(tmp_path, schema):
    suite = parse(junit.render(audit(CASES["mixed"], tmp_path)), schema).find("testsuite")
    verdict = next(c for c in suite.iter("testcase") if case_id(c) == junit.VERDICT_CASE)
    assert verdict.find("failure").get("message") == (
        "FAILED: compliance 50.0% < threshold 90.0%; below their own min_compliance: first-reply"
    )
    warnings = suite.find("system-out").text.splitlines()[1:]
    assert warnings == [
        "warning: 1 of 10 input rows were rejected and not audited; see `rejected`",
        "warning: rule chat-reply judged no ticket: 3 not applicable (not in scope (channel))",
    ]


def test_control_characters_are_replaced_and_markup_escaped(tmp_path, schema):
    """Control characters and lone surrogates are shown as escapes, what XML 1.0 forbids besides
    becomes U+FFFD; CR, LF and tab survive; markup round-trips."""
    result = audit(CASES["mixed"], tmp_path)
    nasty = "bell\x07 esc\x1b nul\x00 <b>&amp;</b> \"q\" 'a' ]]> tab\tline\nnext \ud800 \ufffe"
    result.violations = [dataclasses.replace(v, message=nasty + v.message, evidence=nasty) for v in result.violations]
    result.standard_name = nasty
    suite = parse(junit.render(result), schema).find("testsuite")
    expected = (
        nasty.replace("\x07", "\\x07")
        .replace("\x1b", "\\x1b")
        .replace("\x00", "\\x00")
        .replace("\ud800", "\\ud800")
        .replace("\ufffe", "\ufffd")
    )
    assert suite.get("name") == expected
    first_reply = next(c for c in suite.iter("testcase") if case_id(c) == "first-reply")
    assert expected in first_reply.find("failure").text


@pytest.mark.parametrize(
    "text, safe",
    [
        ("plain", "plain"),
        ("Привет, мир", "Привет, мир"),
        ("tab\tlf\ncr\r", "tab\tlf\ncr\r"),
        ("\x00\x01\x08\x0b\x0c\x1f", "\\x00\\x01\\x08  \\x1f"),  # XML 1.0 forbids them; VT, FF: breaks
        ("\x7f\x85\x9b\u202e", "\\x7f\\x85\\x9b\\u202e"),  # XML allows them; a terminal obeys them
        ("\ud83d", "\\ud83d"),  # a lone surrogate: no UTF-8 file can carry it
        ("\U0001f600", "\U0001f600"),
        ("\ufffe\uffff", "\ufffd\ufffd"),
        (None, ""),
        (0.5, "0.5"),
    ],
)
def test_xml_safe(text, safe):
    assert junit.xml_safe(text) == safe


def test_samples_validate_and_list_every_violation(schema):
    result = run_audit(load_standard("builtin:default"), [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"], AS_OF)
    report = result.to_dict()
    suite = assert_counts_add_up(parse(junit.render(result), schema), report)
    # the suite may hold testcases beyond the rules' own; only those are paired here
    for rule, testcase in zip(report["rules"], suite.findall("testcase"), strict=False):
        text = "".join(e.text or "" for e in testcase if e.tag in ("failure", "system-out"))
        listed = sum(1 for line in text.splitlines() if line.startswith("- "))
        assert listed == rule["failed"]
        if rule["failed"] and rule["severity"] == "error":
            assert testcase.find("failure") is not None
        else:
            assert testcase.find("failure") is None
