"""Both validation engines (jsonschema-rs when installed, python jsonschema otherwise) agree."""

from __future__ import annotations

import pytest

from reflekt.lint import validators
from reflekt.lint.validators import DRAFT_07, DraftValidators, canonical_draft, compile_schema

BAD = {"properties": {"a": {"type": "text"}, "b": {"maxLength": -1}}, "required": "a"}
META = {"type": "object", "required": ["self"], "properties": {"self": {"required": ["name"]}}}


@pytest.fixture(params=["rust", "python"])
def engine(request, monkeypatch):
    if request.param == "rust":
        pytest.importorskip("jsonschema_rs")
    else:
        monkeypatch.setattr(validators, "jsonschema_rs", None)
    return request.param


@pytest.mark.parametrize("draft", [DRAFT_07, "https://json-schema.org/draft/2020-12/schema",
                                   "https://json-schema.org/draft/2019-09/schema",
                                   "http://json-schema.org/draft-04/schema#"])
def test_draft_errors_point_at_the_bad_keywords(engine, draft: str) -> None:
    errors = DraftValidators().for_draft(draft).errors(BAD)
    pointers = {pointer for pointer, _ in errors}
    assert {"/properties/a/type", "/properties/b/maxLength", "/required"} <= pointers
    assert DraftValidators().for_draft(draft).errors({"type": "object"}) == []


def test_meta_schema_errors(engine) -> None:
    compiled = compile_schema(META)
    assert compiled.errors({"self": {"name": "x"}}) == []
    ((pointer, message),) = compiled.errors({"self": {}})
    assert pointer == "/self" and "'name'" in message.replace('"', "'")


def test_invalid_meta_schema_raises_value_error(engine) -> None:
    with pytest.raises(ValueError):
        compile_schema({"type": 12})


def test_canonical_draft() -> None:
    assert canonical_draft(None) == DRAFT_07
    assert canonical_draft("https://json-schema.org/draft-07/schema") == DRAFT_07
    assert canonical_draft("http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#") \
        == "http://json-schema.org/draft-04/schema#"
    assert canonical_draft("http://example.com/schema") is None and canonical_draft(5) is None
