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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path=path) from None
    return parse_yaml(text, path, what=what)


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
    positions: dict[KeyPath, Position] = {}
    value_positions: dict[KeyPath, Position] = {}
    if node is None:
        return YamlDocument(path, None, positions, value_positions)
    data = _to_python(node, (), positions, path, value_positions)
    return YamlDocument(path, data, positions, value_positions)


def _to_python(
    node: yaml.Node, key_path: KeyPath, positions: dict, path: Path, value_positions: dict | None = None
) -> Any:
    value_positions = {} if value_positions is None else value_positions
    positions.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    value_positions.setdefault(key_path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _to_python(value_node, key_path, positions, path, value_positions)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            result.setdefault(k, v)
                continue
            key = yaml.constructor.SafeConstructor().construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                key = str(key)
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
            result[key] = _to_python(value_node, child, positions, path, value_positions)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, key_path + (i,), positions, path, value_positions) for i, item in enumerate(node.value)
        ]
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
