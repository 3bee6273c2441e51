"""Name casings, defined by regular expressions (never by round-tripping through an inflector).

| casing | regex | accepts | rejects |
|---|---|---|---|
| title  | `^W( W)*$`, W = `[A-Z][a-z0-9]*` or acronym `[A-Z][A-Z0-9]+` or number `[0-9]+` | `Cart Viewed`, `Cart ID Copied`, `URL Opened`, `Step 2 Viewed`, `Item2 Added` | `cart viewed`, `Cart viewed`, `iOS Version`, `Cart  Viewed` |
| snake  | `^[a-z][a-z0-9]*(_[a-z0-9]+)*$` | `cart_id`, `item2`, `item_2`, `url` | `cartId`, `Cart_id`, `_cart`, `cart__id`, `cart_` |
| camel  | `^[a-z][a-z0-9]*([A-Z][a-z0-9]*)*$` | `cartId`, `cartID`, `pageURL`, `item2` | `CartId`, `cart_id`, `2items` |
| pascal | `^([A-Z][a-z0-9]*)+$` | `CartId`, `CartID`, `URL`, `Item2` | `cartId`, `Cart_Id`, `Cart Id` |
| any    | no check | | |

Acronyms are accepted in capitals (`ID`, `URL`) in title, camel and pascal. Digits are allowed
anywhere but the first character (numbers: false in the conventions forbids them; that is a
separate rule, NM03). Words with their own spelling (`iOS`, `eBay`) can be listed in the rule
option `allowed_words`; they are accepted verbatim wherever a word may stand.

The names people ask about:

- `cartID`: camel (an acronym after the first word); not snake, not pascal.
- `URL`: pascal and title (one acronym word); not snake, not camel.
- `iOS Version`: not title (a word starts lowercase) unless `allowed_words: [iOS]`.
- `item2`: snake and camel; the digit is NM03's business (only with `numbers: false`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TITLE_WORD = r"(?:[A-Z][a-z0-9]*|[A-Z][A-Z0-9]+|[0-9]+)"
PATTERNS: dict[str, re.Pattern[str]] = {
    "title": re.compile(rf"{_TITLE_WORD}(?: {_TITLE_WORD})*"),
    "snake": re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*"),
    "camel": re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*"),
    "pascal": re.compile(r"(?:[A-Z][a-z0-9]*)+"),
}
EXAMPLES = {"title": "Cart Viewed", "snake": "cart_id", "camel": "cartId", "pascal": "CartId"}


@lru_cache(maxsize=65536)  # names repeat across schemas and versions
def matches_casing(name: str, casing: str, allowed_words: frozenset[str] = frozenset()) -> bool:
    if casing == "any":
        return True
    pattern = PATTERNS[casing]
    if pattern.fullmatch(name):
        return True
    if not allowed_words:
        return False
    # Substitute each allowed word by a placeholder that is valid in this casing, then retry.
    placeholder = {"title": "Word", "snake": "word", "camel": "Word", "pascal": "Word"}[casing]
    separators = {"title": " ", "snake": "_"}
    sep = separators.get(casing)
    if sep:
        parts = name.split(sep)
        fixed = [placeholder if p in allowed_words else p for p in parts]
        return bool(pattern.fullmatch(sep.join(fixed)))
    text = name
    for word in sorted(allowed_words, key=len, reverse=True):
        text = text.replace(word, placeholder)
    if casing == "camel" and text.startswith("Word") and not name.startswith("Word"):
        text = "word" + text[4:]
    return bool(pattern.fullmatch(text))


_SPLIT_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SPLIT_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ALREADY_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_NON_WORD = re.compile(r"[^0-9a-zA-Z\u00c0-\uffff]+")


@lru_cache(maxsize=65536)
def to_snake(name: str) -> str:
    """The snake_case column a loader makes of a name: cartID -> cart_id, Page URL -> page_url."""
    if _ALREADY_SNAKE.fullmatch(name):
        return name
    text = _SPLIT_ACRONYM.sub(r"\1_\2", name)
    text = _SPLIT_LOWER_UPPER.sub(r"\1_\2", text)
    text = _NON_WORD.sub("_", text).lower()
    # keep a leading underscore the author wrote (`_partitiontime`); drop ones made from spaces
    return ("_" if name.startswith("_") else "") + text.strip("_")
