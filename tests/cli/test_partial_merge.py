"""Sharding: partial results merged equal the single run; --jobs gives the single run's results."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from svcaudit.cli import app
from tests.paths import SAMPLES

AS_OF = "2026-11-23T12:00:00Z"
QUALITY_STANDARD = """\
svcaudit: 1
quality: {min: 50%}
pass_threshold: 80%
rules:
  - {id: first-reply, check: response_time, metric: first_reply, target: 4h, weight: 2}
  - {id: resolved, check: resolution, max_reopens: 0, critical: true}
  - {id: csat, check: score, metric: csat, min: 60%}
  - {id: nps, check: score, metric: nps, min: 0}
"""


def invoke(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result


@pytest.fixture
def shards(tmp_path):
    """The sample tickets split into three files by row."""
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    paths = []
    for index, part in enumerate((rows[:100], rows[100:180], rows[180:])):
        path = tmp_path / f"shard{index}.csv"
        path.write_text(header + "".join(part), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("standard", ["builtin:default", "quality"])
def test_merge_of_partials_equals_the_single_run(tmp_path, shards, standard):
    if standard == "quality":
        standard = tmp_path / "q.yaml"
        standard.write_text(QUALITY_STANDARD)
    single = invoke("check", *shards, "-s", standard, "--as-of", AS_OF, "-f", "json")
    partials = []
    for index, shard in enumerate(shards):
        target = tmp_path / f"part{index}.json"
        result = invoke("check", shard, "-s", standard, "--as-of", AS_OF, "--partial", target, "-q")
        assert result.exit_code == 0, result.output
        partials.append(target)
    merged = invoke("merge", *partials, "-f", "json")
    assert merged.exit_code == single.exit_code
    assert json.loads(merged.stdout) == json.loads(single.stdout)


def test_jobs_give_identical_results():
    files = [SAMPLES / "tickets.csv", SAMPLES / "messages.csv"]
    one = invoke("check", *files, "--as-of", AS_OF, "-f", "json")
    two = invoke("check", *files, "--as-of", AS_OF, "-f", "json", "--jobs", "3")
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_merge_refuses_other_standards_and_times(tmp_path, shards):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    invoke("check", shards[0], "--as-of", AS_OF, "--partial", first, "-q")
    invoke("check", shards[1], "-s", "builtin:retail-ru", "--as-of", AS_OF, "--partial", second, "-q")
    result = invoke("merge", first, second)
    assert result.exit_code == 2 and "another standard" in result.stderr
    invoke("check", shards[1], "--as-of", "2026-11-24T00:00:00Z", "--partial", second, "-q")
    result = invoke("merge", first, second)
    assert result.exit_code == 2 and "different --as-of" in result.stderr


def test_merge_of_something_else_is_an_input_error(tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"hello": 1}')
    result = invoke("merge", bogus)
    assert result.exit_code == 2 and "not a svcaudit partial result" in result.stderr


@pytest.mark.parametrize("duplicate", [False, True])
def test_parallel_typing_of_ticket_rows_gives_the_single_run(tmp_path, duplicate):
    lines = (SAMPLES / "tickets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = lines[1:]
    rows[5] = rows[5].replace("2026-11", "20X6-11", 1)  # a row that cannot be typed
    if duplicate:
        rows.append(rows[250])  # the same ticket again at the end: rejected by position
    export = tmp_path / "tickets.csv"
    export.write_text(lines[0] + "".join(rows), encoding="utf-8")
    one = invoke("check", export, "--as-of", AS_OF, "-f", "json", "--jobs", "1")
    many = invoke("check", export, "--as-of", AS_OF, "-f", "json", "--jobs", "3")
    default = invoke("check", export, "--as-of", AS_OF, "-f", "json")
    assert json.loads(one.stdout) == json.loads(many.stdout) == json.loads(default.stdout)
    rejected = json.loads(one.stdout)["rejected"]
    assert len(rejected) == (2 if duplicate else 1)
