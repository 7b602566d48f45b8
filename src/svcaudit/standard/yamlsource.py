"""Line-aware, safe YAML loading: the parsed document plus where every value and key stands.

PyYAML's safe loader builds the values; we walk its node tree once more to record the mark of each
path, so schema and semantic errors can name file:line:column. The walk has a node budget so that
alias bombs ("billion laughs") are refused quickly instead of exhausting memory; nesting is bounded
(while composing, and again through aliases) so that no recursion runs deep, and a number is refused
before it is converted when its text is too long to be meant (Python refuses to convert integers
of thousands of digits, and none of a standard's numbers needs more than a few).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from svcaudit.errors import Location, StandardError

Path = tuple[Any, ...]

MAX_NODES = 100_000  # far above any hand-written standard, far below an alias bomb's expansion
MAX_BYTES = 5_000_000
MAX_DEPTH = 64  # nested mappings and lists; a standard needs about six
MAX_NUMBER_CHARS = 30  # the text of one number (a target in seconds needs ten)
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class YamlDocument:
    """A loaded YAML document and the location of each value (`values`) and mapping key (`keys`)."""

    data: Any
    path: str
    values: Mapping[Path, Location] = field(default_factory=dict)
    keys: Mapping[Path, Location] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> Location:
        """The closest known location of `path` (its key when `key`), walking up to the parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), Location(self.path, 1, 1))


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _location(path: str, mark: yaml.Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _too_deep(path: str, mark: yaml.Mark) -> StandardError:
    return StandardError(
        f"the standard nests mappings and lists more than {MAX_DEPTH} levels deep", _location(path, mark)
    )


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH as it composes (PyYAML composes
    recursively, so a deep document would otherwise end in a RecursionError)."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text)
        self.source_path = path
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        nests = self.check_event(yaml.CollectionStartEvent)
        if nests:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _too_deep(self.source_path, self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if nests:
                self.depth -= 1


def load_yaml(text: str, path: str) -> YamlDocument:
    """Parse one YAML document safely. Raises StandardError with the place of any fault."""
    if len(text) > MAX_BYTES:
        raise StandardError(f"standard is larger than {MAX_BYTES} bytes", Location(path))
    loader: yaml.SafeLoader | None = None
    try:
        loader = _BoundedLoader(text, path)
        node = loader.get_single_node()
        if node is None:
            raise StandardError("the standard is empty", Location(path, 1, 1))
        values: dict[Path, Location] = {}
        keys: dict[Path, Location] = {}
        _walk(loader, node, (), path, values, keys, [0], set())
        data = plain(loader.construct_document(node))
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise StandardError(
            f"YAML cannot contain the character U+{code:04X} ({exc.reason})", Location(path, line, column)
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _location(path, mark) if mark else Location(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise StandardError(f"YAML syntax error: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise StandardError(f"YAML error: {exc}", Location(path)) from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(data, path, values, keys)


def plain(value: Any) -> Any:
    """JSON-shaped data: string keys, and dates written back as ISO text, as JSON Schema expects."""
    if isinstance(value, dict):
        return {plain_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def plain_key(key: Any) -> str:
    if isinstance(key, (datetime.date, datetime.datetime)):
        return key.isoformat()
    if isinstance(key, bool):
        return str(key).lower()
    return str(key)


def _walk(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: Path,
    source: str,
    values: dict[Path, Location],
    keys: dict[Path, Location],
    budget: list[int],
    ancestors: set[int],
) -> None:
    if id(node) in ancestors:
        raise StandardError("an alias refers to the node that contains it", _location(source, node.start_mark))
    if len(path) > MAX_DEPTH:  # aliases can nest documents that are shallow each
        raise _too_deep(source, node.start_mark)
    if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS:
        _check_number(loader, node, source)
    if isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP_TAG:
        _check_timestamp(loader, node, source)
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise StandardError(
            f"the standard expands to more than {MAX_NODES} YAML nodes (an alias bomb?)",
            _location(source, node.start_mark),
        )
    values[path] = _location(source, node.start_mark)
    ancestors = ancestors | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise StandardError(
                    "YAML merge keys (<<) are not supported; write the keys out",
                    _location(source, key_node.start_mark),
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise StandardError("a mapping key must be a plain value", _location(source, key_node.start_mark))
            if key_node.tag in _NUMBER_TAGS:
                _check_number(loader, key_node, source)
            if key_node.tag == _TIMESTAMP_TAG:
                _check_timestamp(loader, key_node, source)
            key = plain_key(loader.construct_object(key_node))
            here = _location(source, key_node.start_mark)
            if key in seen:
                raise StandardError(f"duplicate key {key!r} (first at line {seen[key].line})", here)
            seen[key] = here
            keys[path + (key,)] = here
            _walk(loader, value_node, path + (key,), source, values, keys, budget, ancestors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(loader, item, path + (index,), source, values, keys, budget, ancestors)


def _check_number(loader: yaml.SafeLoader, node: yaml.ScalarNode, source: str) -> None:
    """Refuse a number whose text is too long to be meant, or that is not finite (.inf, .nan)."""
    text = node.value
    if len(text) > MAX_NUMBER_CHARS:
        shown = f"{text[:12]}…" if len(text) > 12 else text
        raise StandardError(
            f"the number {shown} ({len(text):,} characters) is too large: a number in a standard "
            f"has at most {MAX_NUMBER_CHARS} characters",
            _location(source, node.start_mark),
        )
    if node.tag.endswith(":float") and not math.isfinite(loader.construct_object(node)):
        raise StandardError(f"the number {text} is not finite; write a number", _location(source, node.start_mark))


def _check_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode, source: str) -> None:
    """Refuse what YAML reads as a date but no calendar has (`2026-02-30`), or one that an
    offset pushes out of the years Python can hold: PyYAML raises plain errors for them."""
    try:
        loader.construct_object(node)
    except (ValueError, OverflowError) as exc:
        raise StandardError(f"{node.value!r} is not a date ({exc})", _location(source, node.start_mark)) from None
