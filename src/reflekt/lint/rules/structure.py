"""JSON Schema validity: against the project's meta-schema, its own draft, and itself."""

from __future__ import annotations

from collections.abc import Iterable

from reflekt.lint.context import metadata_variants
from reflekt.lint.rule import Rule, Target, Violation, label
from reflekt.lint.validators import canonical_draft


def draft_errors(ctx, target: Target) -> list[tuple[str, str]]:
    """Errors of the schema under its own draft, computed once per schema for SC01 and SC02."""
    if "draft_errors" not in target.memo:
        draft = canonical_draft(target.schema.data.get("$schema"))
        target.memo["draft_errors"] = ctx.drafts.for_draft(draft).errors(target.schema.data) if draft else []
    return target.memo["draft_errors"]


class MetaSchemaViolation(Rule):
    """Schema does not validate against the project's meta-schema.

    What it does:
        Validates each schema against `schemas/.reflekt/meta/1-0.json` (or
        `schemas/.reflekt/event-meta/1-0.json`), compiled once per run. This is where a project
        requires metadata such as `code_owner`. Metadata may sit in `self.metadata` or at the
        top level (`metadata`, Reflekt 0.3's other form): both satisfy the meta-schema, and
        reflekt's own `self.lint` key is ignored. Without a meta-schema file the rule is silent.

    Why is this bad?
        The meta-schema is the project's contract for every event (owners, required blocks).

    Example:
        meta-schema requires self.metadata.code_owner; schema has "self": {"metadata": {}}

    Use instead:
        "self": {"metadata": {"code_owner": "team-checkout"}}

    Options:
        None.
    """

    code = "SC01"
    name = "meta-schema-violation"

    def check(self, target: Target) -> Iterable[Violation]:
        meta = self.ctx.meta_schema
        if meta is None:
            return
        already = {message for _, message in draft_errors(self.ctx, target)}
        best = None
        for variant in metadata_variants(target.schema.data):
            errors = meta.errors(variant)
            if best is None or len(errors) < len(best):
                best = errors
            if not errors:
                return
        for pointer, message in best or []:
            if message not in already:  # SC02 reports what the JSON Schema draft itself rejects
                yield Violation(pointer, f"meta-schema: {message}")


class InvalidJsonSchema(Rule):
    """Schema is not valid under its own JSON Schema draft.

    What it does:
        Validates the schema against the meta-schema of the draft its `$schema` names:
        draft-07 when absent; draft-04, draft-06, 2019-09 and 2020-12 are accepted (Iglu's
        self-describing meta-schema counts as draft-04). An unknown `$schema` is reported.

    Why is this bad?
        Validators in collectors and registries reject or silently misread invalid keywords
        (`"type": "text"`, `"required": true`).

    Example:
        "cart_id": {"type": "text", "required": true}

    Use instead:
        "cart_id": {"type": "string"} and "required": ["cart_id"] on the parent

    Options:
        None.
    """

    code = "SC02"
    name = "invalid-json-schema"

    def check(self, target: Target) -> Iterable[Violation]:
        declared = target.schema.data.get("$schema")
        if canonical_draft(declared) is None:
            yield Violation("/$schema", f"unsupported $schema {declared!r}: use draft-07, 2019-09 or 2020-12")
            return
        for pointer, message in draft_errors(self.ctx, target):
            yield Violation(pointer, message)


class RequiredPropertyUndefined(Rule):
    """`required` names a property the object does not define.

    What it does:
        For the event and every nested object (array items included), reports each entry of
        `required` that is not a key of the sibling `properties`.

    Why is this bad?
        Usually a typo or a renamed property: every event is rejected, or a required field
        silently never gets a column.

    Example:
        "properties": {"cart_id": {...}}, "required": ["cartId"]

    Use instead:
        "required": ["cart_id"]

    Options:
        None.
    """

    code = "SC03"
    name = "required-property-undefined"

    def check(self, target: Target) -> Iterable[Violation]:
        yield from self._check_object(target.schema.data, "")
        for pointer, node in target.subschemas:
            yield from self._check_object(node, pointer)

    def _check_object(self, node: dict, pointer: str) -> Iterable[Violation]:
        required = node.get("required")
        props = node.get("properties")
        if not isinstance(required, list) or not isinstance(props, dict):
            return
        for i, name in enumerate(required):
            if isinstance(name, str) and name not in props:
                where = f"'{label(pointer)}'" if pointer else "the event"
                yield Violation(f"{pointer}/required/{i}", f"required property '{name}' is not defined in "
                                f"the properties of {where}")
