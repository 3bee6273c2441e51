"""jsonpos: JSON pointers -> line:col of keys (object members) and values (array elements)."""

from __future__ import annotations

import json

from reflekt.jsonpos import JsonPositions, index_positions, pointer

TEXT = """{
  "$id": "shop/Cart Viewed/1-0.json",
  "properties": {
    "cartId": {"type": "string"},
    "a/b~c": {
      "type": ["string", "null"],
      "items": [ {"x": 1}, 2 ]
    },
    "emoji \\u00e9\\"q": true
  },
  "required": ["cartId"]
}
"""


def test_positions_of_keys_and_array_elements() -> None:
    positions = index_positions(TEXT)
    assert positions[""] == (1, 1)
    assert positions["/$id"] == (2, 3)
    assert positions["/properties/cartId"] == (4, 5)
    assert positions["/properties/cartId/type"] == (4, 16)
    assert positions[pointer("properties", "a/b~c")] == (5, 5)
    assert positions["/properties/a~1b~0c/type/1"] == (6, 26)
    assert positions["/properties/a~1b~0c/items/0/x"] == (7, 19)
    assert positions["/properties/a~1b~0c/items/1"] == (7, 28)
    assert positions[pointer("properties", 'emoji é"q')] == (9, 5)
    assert positions["/required/0"] == (11, 16)


def test_every_pointer_of_a_document_is_indexed() -> None:
    data = json.loads(TEXT)
    expected = set()

    def walk(node, ptr):
        expected.add(ptr)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, ptr + "/" + k.replace("~", "~0").replace("/", "~1"))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{ptr}/{i}")

    walk(data, "")
    assert set(index_positions(TEXT)) == expected


def test_locate_falls_back_to_nearest_ancestor() -> None:
    positions = JsonPositions(TEXT)
    assert positions.locate("/properties/cartId/description") == (4, 5)
    assert positions.locate("/nope/deeper") == (1, 1)


def test_malformed_text_does_not_crash() -> None:
    positions = index_positions('{"a": {"b": [1, 2,, }')
    assert positions["/a"] == (1, 2)
    assert JsonPositions("").locate("/x") == (1, 1)
    assert JsonPositions("{,").locate("/x") == (1, 1)
