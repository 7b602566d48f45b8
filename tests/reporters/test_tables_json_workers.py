"""The JSON of `svcaudit report` whose groups forked workers encode (`tables_json._encoded_by_workers`)
is the one this process writes alone, byte for byte: groups in order, each task's groups joined as
`write_object` joins items, whatever the tasks cut."""

from __future__ import annotations

import json

import pytest

from svcaudit.reporters import tables_json
from svcaudit.runtime import can_fork
from tests.paths import SAMPLES, generated_export

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_export(tmp_path_factory.mktemp("generated"), 2000)


def report(runner_args, monkeypatch, capsys, jobs: str) -> str:
    from svcaudit.cli.app import main

    monkeypatch.setattr("sys.argv", ["svcaudit", "report", *runner_args, "--format", "json", "--jobs", jobs])
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("per_task", [1, 7, 50])
@pytest.mark.parametrize("by", ["week,agent", "team", "rule"])
def test_groups_encoded_by_workers_are_written_as_alone(generated, monkeypatch, capsys, by, per_task):
    args = [str(generated), "--standard", "builtin:default", "--by", by, "--as-of", "2026-11-23T12:00:00Z"]
    alone = report(args, monkeypatch, capsys, "1")
    monkeypatch.setattr(tables_json, "PARALLEL_MIN_FINDINGS", 1)
    monkeypatch.setattr(tables_json, "FINDINGS_PER_TASK", per_task)
    mapped = []
    real = tables_json.fork_map

    def fork_map(function, tasks, jobs):
        tasks = list(tasks)
        mapped.append(len(tasks))
        return real(function, tasks, jobs)

    monkeypatch.setattr(tables_json, "fork_map", fork_map)
    by_workers = report(args, monkeypatch, capsys, "2")
    assert by_workers == alone
    assert mapped  # the workers encoded the groups
    if by == "week,agent" and per_task < 50:
        assert mapped[0] > 1  # in several tasks
    groups = json.loads(by_workers)["groups"]
    assert sum(len(group["violations"]) for group in groups) > 100


def test_tasks_cover_every_group_once_in_order(monkeypatch):
    class Row:
        def __init__(self, findings: int) -> None:
            self.stats = type("Stats", (), {"violations": [None] * findings})()

    class Report:
        rows = [Row(n) for n in (0, 3, 0, 9, 1, 1, 1, 0, 5, 0)]

    monkeypatch.setattr(tables_json, "FINDINGS_PER_TASK", 4)
    tasks = list(tables_json._tasks(Report()))
    assert [list(task) for task in tasks] == [[0, 1, 2, 3], [4, 5, 6, 7, 8], [9]]
    assert [index for task in tasks for index in task] == list(range(len(Report.rows)))


def test_a_small_report_is_written_here(monkeypatch, capsys):
    """Below PARALLEL_MIN_FINDINGS no worker is started."""
    monkeypatch.setattr(tables_json, "fork_map", lambda *a: pytest.fail("workers started"))
    args = [str(SAMPLES / "tickets.csv"), "--by", "week"]
    assert json.loads(report(args, monkeypatch, capsys, "2"))["groups"]
