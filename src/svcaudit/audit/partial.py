"""Partial results: an audit of one shard, kept as data, and their merge into one report.

`svcaudit check --partial PATH` writes what a shard found before anything is judged over all
tickets: rule counters, findings, KPI and quality sums, the states of aggregate rules, and the input
accounting. `svcaudit merge PARTIAL...` adds them up in the order given and judges the aggregate
rules once, so a CI matrix, GNU parallel, Spark or Dask can shard an archive by file and still get the
report a single run would give. Percentiles are not part of `check`'s report; everything merged is
an exact count or sum.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from svcaudit import __version__
from svcaudit.audit.engine import InputAccounts, Tally, input_warnings, ordered_rejections
from svcaudit.audit.plan import AuditPlan
from svcaudit.audit.run import Audit, ProgressCallback, audit_inputs
from svcaudit.errors import InputError, Location, UsageError
from svcaudit.intake.model import InputStats, Rejection, Shape
from svcaudit.results.model import AuditResult
from svcaudit.standard.model import Standard
from svcaudit.standard.waivers import Waivers

PARTIAL_FORMAT = 1


def audit_partial(
    standard: Standard,
    paths: Sequence[str | Path],
    as_of: datetime,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    waivers: Waivers | None = None,
    jobs: int | None = None,
    presets: Mapping[str, dict[str, Any]] | None = None,
    warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """One shard's audit (`check --partial`), as `partial_dict` keeps it: its tickets judged by `jobs`
    workers (None: one per core), nothing judged over all tickets yet. `presets` names the preset an
    input was read with, and `warnings` go first, when the caller chose the standard by the inputs."""
    audit, intake = audit_inputs(standard, paths, as_of, encoding, progress, waivers, jobs)
    data = partial_dict(audit, intake)
    for item in data["inputs"]:
        if presets and item["path"] in presets:
            item["preset"] = presets[item["path"]]
    data["warnings"][:0] = warnings
    return data


def partial_dict(audit: Audit, intake: InputAccounts) -> dict[str, Any]:
    """A shard's audit as JSON-able data (the aggregate rules are not judged yet); rejected rows by
    input and row, as a run's report lists them."""
    standard = audit.standard
    return {
        "svcaudit_partial": PARTIAL_FORMAT,
        "svcaudit_version": __version__,
        "standard": {"name": standard.name, "source": standard.source, "fingerprint": standard.fingerprint},
        "as_of": audit.as_of.isoformat(),
        "inputs": [
            {
                "path": i.path,
                "shape": i.shape.value,
                "format": i.format,
                "encoding": i.encoding,
                "rows_read": i.rows_read,
                "rows_rejected": i.rows_rejected,
                "rows_folded": i.rows_folded,
                "fields_rejected": i.fields_rejected,
                "notes": i.notes,
                "date_orders": i.date_orders,
            }
            for i in intake.inputs
        ],
        "rejected": [
            {"path": r.path, "row": r.row, "field": r.field, "error": r.error, "row_kept": r.row_kept}
            for r in ordered_rejections(intake)
        ],
        "warnings": list(intake.warnings),
        "messages_after_as_of": intake.messages_after_as_of,
        "grouping": intake.grouping,
        "tally": audit.tally.state(),
    }


def read_partial(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such partial result", Location(str(path))) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a partial result: {exc}", Location(str(path))) from None
    if not isinstance(data, dict) or data.get("svcaudit_partial") != PARTIAL_FORMAT:
        raise InputError("not a svcaudit partial result (written by `svcaudit check --partial`)", Location(str(path)))
    return data


def merge_partials(
    standard: Standard, partials: Sequence[tuple[Path, dict[str, Any]]], waivers: Waivers | None = None
) -> AuditResult:
    """The report of all shards together, as one run over all their inputs would give it."""
    as_of_values = {data["as_of"] for _, data in partials}
    if len(as_of_values) > 1:
        raise UsageError(
            "the partial results were judged at different --as-of times: " + ", ".join(sorted(as_of_values))
        )
    for path, data in partials:
        if data["standard"]["fingerprint"] != standard.fingerprint:
            raise UsageError(
                f"{path} was audited with another standard "
                f"({data['standard']['source']}); merge partials of one standard"
            )
    as_of = datetime.fromisoformat(as_of_values.pop())
    tally = Tally(AuditPlan.of(standard), waivers=waivers)
    inputs: list[InputStats] = []
    rejected: list[Rejection] = []
    warnings: list[str] = []
    presets: dict[str, dict[str, Any]] = {}
    for _, data in partials:
        tally.absorb(data["tally"])
        for item in data["inputs"]:
            _add_input(
                inputs,
                InputStats(
                    item["path"],
                    Shape(item["shape"]),
                    item["format"],
                    item["encoding"],
                    item["rows_read"],
                    item["rows_rejected"],
                    item.get("rows_folded", 0),
                    item.get("fields_rejected", 0),
                    item.get("notes", 0),
                    item.get("date_orders", {}),
                ),
            )
            if "preset" in item:  # read with a detected preset (`check` without a standard)
                presets[item["path"]] = item["preset"]
        rejected += [
            Rejection(r["path"], r["row"], r["field"], r["error"], r.get("row_kept", False)) for r in data["rejected"]
        ]
        warnings += data["warnings"]
    tally.finish()
    warnings += input_warnings(
        inputs, tally.after_as_of, sum(data.get("messages_after_as_of", 0) for _, data in partials), as_of
    )
    return AuditResult(
        standard_name=standard.name,
        standard_source=standard.source,
        as_of=as_of,
        pass_threshold=standard.pass_threshold,
        inputs=inputs,
        rules=tally.results,
        violations=tally.violations,
        rejected=rejected,
        metrics=tally.metrics.to_dict(),
        tickets=tally.tickets,
        warnings=warnings,
        quality=None if tally.quality is None else tally.quality.to_dict(standard.quality_min),
        waived=tally.waived,
        waivers=None if waivers is None else waivers.report(tally.waiver_use),
        message_grouping=_grouping([data.get("grouping") for _, data in partials]),
        input_presets=presets,
    )


def _add_input(inputs: list[InputStats], stats: InputStats) -> None:
    """Add a shard's input to the merged list. Slices of one input (a file read as partitions by
    Dask or Spark, each audited on its own: `batches.audit_record_batches`) name the same path,
    shape, format and encoding: their counts add up to that input's, as one run reports it."""
    for known in inputs:
        if (known.path, known.shape, known.format, known.encoding) == (
            stats.path,
            stats.shape,
            stats.format,
            stats.encoding,
        ):
            known.rows_read += stats.rows_read
            known.rows_rejected += stats.rows_rejected
            known.rows_folded += stats.rows_folded
            known.fields_rejected += stats.fields_rejected
            known.notes += stats.notes
            for field_name, how in stats.date_orders.items():
                known.date_orders.setdefault(field_name, how)
            return
    inputs.append(stats)


def _grouping(values: list[str | None]) -> str | None:
    """The way messages were joined, when the shards agree; else the less favourable one."""
    found = [v for v in values if v]
    if not found:
        return None
    return found[0] if len(set(found)) == 1 else max(found, key=lambda v: v.startswith("in memory"))
