"""Every check kind documents example rules (`Check.EXAMPLES`), and every example is a valid rule.

The examples are what `svcaudit rules` shows and what the columnar equivalence corpus
(tests/audit/corpus.py) is built from, so a kind without one would escape both.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from svcaudit.checks.registry import CHECK_KINDS
from svcaudit.standard.rulesdoc import describe, example_rules, flow
from tests.audit.corpus import kind_example_standard
from tests.fuzz.helpers import invoke


@pytest.mark.parametrize("kind", sorted(CHECK_KINDS))
def test_every_kind_has_examples(kind):
    assert CHECK_KINDS[kind].EXAMPLES, f"{kind} gives no EXAMPLES: add one next to its Passes/Fails lines"


@pytest.mark.parametrize("kind", sorted(CHECK_KINDS))
def test_the_examples_validate(kind, tmp_path):
    path = tmp_path / f"{kind}.yaml"
    path.write_text(kind_example_standard(kind), encoding="utf-8")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert f"{len(CHECK_KINDS[kind].EXAMPLES)} rules" in result.output


@pytest.mark.parametrize("kind", sorted(CHECK_KINDS))
def test_rules_shows_the_examples_as_yaml_that_reads_back(kind):
    shown = describe(CHECK_KINDS[kind]).split("Example rules:\n", 1)[1]
    assert yaml.safe_load(textwrap.dedent(shown)) == example_rules(CHECK_KINDS[kind])


@pytest.mark.parametrize(
    "value", ["24h", "80%", "3bd", "true", "no", "1", "2.5", " padded", "a: b", "{customer_name}", "#x", "", "Готово"]
)
def test_flow_writes_strings_yaml_reads_back(value):
    assert yaml.safe_load(flow({"key": [value]})) == {"key": [value]}
