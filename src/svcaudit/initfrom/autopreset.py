"""The standard an audit runs with when none is given: the built-in default, reading the exports
with the preset their columns show.

`svcaudit check export.csv` with no `--standard` and no svcaudit.yaml found audits against the
built-in default standard. Its rules are written for canonical columns, so a Zendesk or Freshdesk
export would be "needs created_at" on every ticket; instead the preset `init --from` would pick
(`presets.detect_preset`, the one detection) is applied, and the run says so on stderr and in the
report. A standard that is given, by file or by name, is used as written, preset or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from svcaudit.errors import UsageError
from svcaudit.initfrom.profile import export_columns, is_json_export
from svcaudit.intake.presets import Preset, PresetMatch, detect_preset, partly_matched
from svcaudit.standard.loader import BUILTIN_PREFIX, DEFAULT_BUILTIN, discover, load_standard
from svcaudit.standard.model import Standard


@dataclass(frozen=True)
class Detection:
    """The preset chosen for the inputs, and how each input matched it (by path, as given)."""

    preset: Preset
    matches: dict[str, PresetMatch] = field(default_factory=dict)

    def notes(self, standard: Standard) -> list[str]:
        """What stderr says: which preset, for which file, on which standard."""
        return [
            f"no standard given: {path} {match.summary()} ({match.preset.title}), audited against {standard.source}"
            for path, match in self.matches.items()
        ]

    def warnings(self) -> list[str]:
        """A partial signature: the missing columns and what will not be measured (every format)."""
        return [partly_matched(path, match) for path, match in self.matches.items() if match.missing]

    def inputs(self) -> dict[str, dict[str, Any]]:
        """Each matched input's `preset` entry of the JSON report's `inputs`."""
        return {path: match.to_dict() for path, match in self.matches.items()}


def detect_inputs(paths: Sequence[str | Path], encoding: str | None = None) -> Detection | None:
    """The preset the inputs' columns show; None when none does.

    Inputs that match no preset (a message file beside a ticket export) are read with the chosen
    one too, which leaves canonical column names as they are. Inputs that match different presets
    cannot be read with one: that is a usage error naming them, not a guess.
    """
    matches: dict[str, PresetMatch] = {}
    for path in paths:
        match = detect_preset(export_columns(Path(path), encoding), is_json=is_json_export(path))
        if match is not None:
            matches[str(path)] = match
    names = {match.preset.name for match in matches.values()}
    if len(names) > 1:
        found = ", ".join(f"{path} looks like preset {m.preset.name}" for path, m in matches.items())
        raise UsageError(
            f"no standard given, and the inputs look like different exports ({found}); "
            "audit them separately, or write a standard (svcaudit init --from EXPORT) "
            "that maps their columns"
        )
    if not matches:
        return None
    return Detection(next(iter(matches.values())).preset, matches)


def standard_for(
    option: str | None, paths: Sequence[str | Path], encoding: str | None = None
) -> tuple[Standard, Detection | None]:
    """The standard `--standard` (or discovery) names; without either, the built-in default
    reading the inputs with their detected preset."""
    spec = discover(option)
    standard = load_standard(spec)
    if option is not None or spec != BUILTIN_PREFIX + DEFAULT_BUILTIN:
        return standard, None
    detection = detect_inputs(paths, encoding)
    if detection is None:
        return standard, None
    return replace(standard, input=replace(standard.input, preset=detection.preset.name)), detection
