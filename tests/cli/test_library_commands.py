"""svcaudit standards, rules and init: the library of standards and check kinds from the CLI."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from svcaudit.checks.registry import CHECK_KINDS
from svcaudit.cli import app
from svcaudit.standard.loader import builtin_names, load_standard


def invoke(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def test_standards_lists_every_builtin():
    result = invoke("standards")
    assert result.exit_code == 0
    for name in builtin_names():
        assert f"builtin:{name}" in result.stdout


@pytest.mark.parametrize("kind", sorted(CHECK_KINDS))
def test_rules_documents_each_kind_from_its_module(kind):
    result = invoke("rules", kind)
    assert result.exit_code == 0
    check = CHECK_KINDS[kind]
    assert result.stdout.startswith(f"{kind}: {check.SUMMARY}")
    assert "Passes:" in result.stdout and "Fails:" in result.stdout
    for option in check.OPTIONS:
        assert f"  {option}:" in result.stdout


def test_rules_suggests_a_kind():
    result = invoke("rules", "phrase")
    assert result.exit_code == 2 and "did you mean 'phrases'" in result.stderr


def test_init_copies_a_builtin_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "svcaudit.yaml"
    result = invoke("init", "--standard", "retail-ru", "--output", target)
    assert result.exit_code == 0
    assert load_standard(str(target)).name == load_standard("builtin:retail-ru").name
    again = invoke("init", "--output", target)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert invoke("init", "--output", target, "--force").exit_code == 0
    assert load_standard(str(target)).name == "Default service standard"


def test_init_unknown_standard(tmp_path):
    result = invoke("init", "--standard", "retial-ru", "--output", tmp_path / "s.yaml")
    assert result.exit_code == 2 and "retail-ru" in result.stderr
