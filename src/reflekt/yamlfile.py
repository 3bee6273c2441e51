"""Load YAML keeping the line:col of every node, so config errors can point at them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from reflekt.errors import ConfigError

try:  # the C loader is ~10x faster; fall back quietly when libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Position = tuple[int, int]
KeyPath = tuple[Any, ...]

# An alias re-uses a node; nine nested aliases of nine items each ("billion laughs") would expand
# to 387 million values. No real config re-uses this many nodes, so stop well before memory runs out.
MAX_ALIAS_EXPANSIONS = 100_000


class YamlDocument:
    """Plain Python data plus the 1-based (line, col) of each key path.

    `positions` holds where a key is written (for "unknown key"); `value_positions` where its
    value starts (for "wrong value"), so an error can point at the exact token to fix.
    """

    def __init__(
        self,
        path: Path,
        data: Any,
        positions: dict[KeyPath, Position],
        value_positions: dict[KeyPath, Position] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self.positions = positions
        self.value_positions = value_positions or {}

    def value_position(self, key_path: KeyPath) -> Position | None:
        """Where the value at key_path starts; falls back to the key or nearest ancestor."""
        key_path = tuple(key_path)
        if key_path in self.value_positions:
            return self.value_positions[key_path]
        return self.position(key_path)

    def position(self, key_path: KeyPath) -> Position | None:
        """Closest known position: the node itself or its nearest ancestor."""
        key_path = tuple(key_path)
        while True:
            if key_path in self.positions:
                return self.positions[key_path]
            if not key_path:
                return None
            key_path = key_path[:-1]


def load_yaml(path: Path, *, what: str = "YAML file") -> YamlDocument:
    return parse_yaml(read_text_file(path, what=what), path, what=what)


def read_text_file(path: Path, *, what: str) -> str:
    """A UTF-8 text file, or a ConfigError naming it (and the line:col of a byte that is not UTF-8)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path=path) from None
    except IsADirectoryError:
        raise ConfigError(f"{what} is a folder, not a file", hint="move the folder away", path=path) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read {what}: {exc.strerror or exc}", hint="check the file's permissions", path=path
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = byte_position(raw, exc.start)
        raise ConfigError(
            f"{what} is not UTF-8 text (byte 0x{raw[exc.start]:02x}: {exc.reason})",
            hint="save the file as UTF-8",
            path=path,
            line=line,
            col=col,
        ) from None


def byte_position(raw: bytes, offset: int) -> Position:
    """1-based line and column (in characters) of byte `offset`."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1


def parse_yaml(text: str, path: Path, *, what: str = "YAML file") -> YamlDocument:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(
            f"invalid YAML in {what}: {problem}",
            hint="check indentation and quoting around this position",
            path=path,
            line=mark.line + 1 if mark else None,
            col=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML in {what}: {exc}", path=path) from None
    except RecursionError:
        raise _too_deep(path, what) from None
    positions: dict[KeyPath, Position] = {}
    value_positions: dict[KeyPath, Position] = {}
    if node is None:
        return YamlDocument(path, None, positions, value_positions)
    try:
        data = _to_python(node, (), positions, path, value_positions, _Budget(what))
    except RecursionError:
        raise _too_deep(path, what) from None
    return YamlDocument(path, data, positions, value_positions)


def _too_deep(path: Path, what: str) -> ConfigError:
    return ConfigError(
        f"{what} is nested too deeply", hint="a config file needs only a few levels of nesting", path=path
    )


class _Budget:
    """Counts nodes built more than once (through aliases) to stop alias bombs."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: set[int] = set()
        self.expansions = 0

    def visit(self, node: yaml.Node, path: Path) -> None:
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return
        self.expansions += 1
        if self.expansions > MAX_ALIAS_EXPANSIONS:
            raise ConfigError(
                f"{self.what} expands aliases more than {MAX_ALIAS_EXPANSIONS:,} times",
                hint="this looks like a YAML alias bomb; write the values out or use fewer nested aliases",
                path=path,
                line=node.start_mark.line + 1,
                col=node.start_mark.column + 1,
            )


def _construct(node: yaml.Node, path: Path, what: str) -> Any:
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:  # e.g. `!!python/object` or a custom `!tag`
        mark = exc.problem_mark or node.start_mark
        problem = (exc.problem or "cannot read this value").split(" (", 1)[0]
        raise ConfigError(
            f"invalid YAML in {what}: {problem}",
            hint="remove the `!tag`; reflekt reads plain YAML values only",
            path=path,
            line=mark.line + 1,
            col=mark.column + 1,
        ) from None
    except (ValueError, TypeError, AttributeError, OverflowError):  # `2024-13-45`, `!!int abc`, 5000 digits
        raise ConfigError(
            f"invalid YAML in {what}: {node.value!r:.60} looks like a {node.tag.rsplit(':', 1)[-1]} but is not one",
            hint="quote it to keep it as text",
            path=path,
            line=node.start_mark.line + 1,
            col=node.start_mark.column + 1,
        ) from None


def _to_python(
    node: yaml.Node,
    key_path: KeyPath,
    positions: dict,
    path: Path,
    value_positions: dict | None = None,
    budget: _Budget | None = None,
) -> Any:
    value_positions = {} if value_positions is None else value_positions
    budget = budget or _Budget("YAML file")
    budget.visit(node, path)
    positions.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    value_positions.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _to_python(value_node, key_path, positions, path, value_positions, budget)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            result.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                # no reflekt key is a list or mapping, and printing one nested through aliases
                # ("? [*a, *a]") would build a string of billions of characters
                raise ConfigError(
                    f"invalid YAML in {budget.what}: a key must be a plain value, not a "
                    f"{'list' if isinstance(key_node, yaml.SequenceNode) else 'mapping'}",
                    hint="write keys as plain text, e.g. `name:`",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    col=key_node.start_mark.column + 1,
                )
            key = _construct(key_node, path, budget.what)
            if key in result:
                raise ConfigError(
                    f"duplicate key '{key}'",
                    hint="each key may appear once per mapping; remove or merge the duplicate",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    col=key_node.start_mark.column + 1,
                )
            child = key_path + (key,)
            positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _to_python(value_node, child, positions, path, value_positions, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, key_path + (i,), positions, path, value_positions, budget)
            for i, item in enumerate(node.value)
        ]
    return _construct(node, path, budget.what)
