"""Map JSON pointers to line:col in the original text, so findings point at the offending node.

`json.loads` forgets positions. Rather than re-parse every file, `JsonPositions` scans a file's
text only when something asks for a position (lint asks only for files with findings). One pass
with a tokenizing regex records where each node starts: for an object member, the position of
its *key* (that is what an editor should jump to for "property 'cartId' is not snake_case");
for an array element, the position of the value. Lines and columns are 1-based; columns count
characters, not bytes.
"""

from __future__ import annotations

import bisect
import json
import re

Position = tuple[int, int]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


def escape(token: str) -> str:
    """One JSON-pointer reference token (RFC 6901)."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def pointer(*tokens: str | int) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def index_positions(text: str) -> dict[str, Position]:
    """Every JSON pointer in `text` -> (line, col). Stops quietly at malformed input."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(offset: int) -> Position:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    positions: dict[str, Position] = {}
    # Each frame: [kind, pointer, next array index or pending key pointer, expecting_key]
    stack: list[list] = []
    pending = ""  # pointer of the next value
    pending_recorded = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        frame = stack[-1] if stack else None
        if frame is not None and frame[0] == "obj" and frame[3]:
            if first == '"':
                if "\\" in token:
                    try:
                        key = json.loads(token)
                    except ValueError:
                        return positions
                else:
                    key = token[1:-1]
                pending = frame[1] + "/" + escape(key)
                positions.setdefault(pending, position(match.start()))
                pending_recorded = True
                frame[3] = False
                continue
            if first == "}":
                stack.pop()
                continue
            if first == ",":
                continue
            return positions
        if first == ":":
            continue
        if first == ",":
            if frame is not None and frame[0] == "obj":
                frame[3] = True
            continue
        if first in "}]":
            if stack:
                stack.pop()
            continue
        # A value starts here.
        if frame is not None and frame[0] == "arr":
            pending = frame[1] + "/" + str(frame[2])
            frame[2] += 1
            pending_recorded = False
        elif frame is None:
            pending, pending_recorded = "", False
        if not pending_recorded:
            positions.setdefault(pending, position(match.start()))
        pending_recorded = False
        if first == "{":
            stack.append(["obj", pending, 0, True])
        elif first == "[":
            stack.append(["arr", pending, 0, False])
    return positions


class JsonPositions:
    """Lazy pointer -> position lookups for one file's text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._index: dict[str, Position] | None = None

    def locate(self, json_pointer: str) -> Position:
        """Position of the node, else of its nearest ancestor that exists, else 1:1."""
        if self._index is None:
            self._index = index_positions(self._text)
        current = json_pointer
        while True:
            found = self._index.get(current)
            if found is not None:
                return found
            if not current:
                return (1, 1)
            current = current.rsplit("/", 1)[0]
