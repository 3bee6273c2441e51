"""A schema's identity must match where it lives: $id, name, version, vendor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from reflekt.lint.rule import Rule, Target, Violation
from reflekt.lint.versioning import version_of
from reflekt.schema import VERSION_FORMATS


class IdPathMismatch(Rule):
    """`$id` is missing or differs from the file's path under schemas/.

    What it does:
        Compares `$id` with the schema's path below `schemas/` (e.g.
        "segment/ecommerce/Cart Viewed/1-0.json"); a leading "schemas/" is not accepted.

    Why is this bad?
        Selection, registries and generated models address schemas by `$id`; a copied file
        with a stale `$id` overwrites another schema on push.

    Example:
        file schemas/shop/Cart Viewed/1-1.json with "$id": "shop/Cart Viewed/1-0.json"

    Use instead:
        "$id": "shop/Cart Viewed/1-1.json"

    Options:
        None.
    """

    code = "ID01"
    name = "id-path-mismatch"

    def check(self, target: Target) -> Iterable[Violation]:
        actual = target.schema.data.get("$id")
        expected = target.schema.id.value
        if actual is None:
            yield Violation("", f"schema has no $id (expected '{expected}')")
        elif actual != expected:
            yield Violation("/$id", f"$id '{actual}' does not match the file path '{expected}'")


class NameFolderMismatch(Rule):
    """`self.name` differs from the event folder name.

    What it does:
        Compares `self.name` (when present) with the folder that holds the version files.

    Why is this bad?
        Builders use the folder, registries use `self.name`: the event gets two names.

    Example:
        schemas/shop/Cart Viewed/1-0.json with "self": {"name": "Cart Opened"}

    Use instead:
        "self": {"name": "Cart Viewed"}

    Options:
        None.
    """

    code = "ID02"
    name = "name-folder-mismatch"

    def check(self, target: Target) -> Iterable[Violation]:
        name = target.schema.self_block.get("name")
        folder = target.event_folder
        if name is not None and name != folder:
            yield Violation("/self/name", f"self.name '{name}' does not match the event folder '{folder}'")


class VersionFilenameMismatch(Rule):
    """`self.version` differs from the version in the file name.

    What it does:
        Compares `self.version` (when present) with the file name (`2-1.json` -> "2-1").

    Why is this bad?
        Version checks, registries and dbt models would disagree on which version this is.

    Example:
        schemas/shop/Cart Viewed/2-0.json with "self": {"version": "1-1"}

    Use instead:
        "self": {"version": "2-0"}

    Options:
        None.
    """

    code = "ID03"
    name = "version-filename-mismatch"

    def check(self, target: Target) -> Iterable[Violation]:
        version = target.schema.self_block.get("version")
        expected = target.version_text
        if version is not None and version != expected:
            yield Violation("/self/version", f"self.version '{version}' does not match the file name '{expected}'")


class VendorMismatch(Rule):
    """`self.vendor` differs from the project's vendor.

    What it does:
        Compares `self.vendor` (when present) with `vendor` in reflekt_project.yml, or with the
        rule's `allowed` list when set.

    Why is this bad?
        Registries (Iglu, Segment) namespace schemas by vendor; a stray vendor publishes the
        event somewhere nobody looks.

    Example:
        vendor: com.example, schema "self": {"vendor": "com.exmaple"}

    Use instead:
        "self": {"vendor": "com.example"}

    Options:
        allowed (list, default []): vendors accepted instead of the project vendor.
    """

    code = "ID04"
    name = "vendor-mismatch"
    options: ClassVar[dict[str, Any]] = {"allowed": []}

    def check(self, target: Target) -> Iterable[Violation]:
        vendor = target.schema.self_block.get("vendor")
        allowed = self.opts["allowed"] or [self.ctx.vendor]
        if vendor is not None and vendor not in allowed:
            yield Violation("/self/vendor", f"self.vendor '{vendor}' is not the project vendor "
                            f"({', '.join(allowed)})")


class InvalidVersionFilename(Rule):
    """The file name is not a valid version for the project's versioning scheme.

    What it does:
        Checks the file name against MAJOR-MINOR (`1-0.json`), or MODEL-REVISION-ADDITION
        (`1-0-2.json`) when `schemas.versioning: schemaver`. No leading zeros, no 0 major.

    Why is this bad?
        The file is left out of version-order checks and confuses builders and registries.

    Example:
        schemas/shop/Cart Viewed/v2.json, 01-0.json, 0-1.json

    Use instead:
        schemas/shop/Cart Viewed/2-0.json

    Options:
        None (configured by `schemas.versioning`).
    """

    code = "ID05"
    name = "invalid-version-filename"

    def check(self, target: Target) -> Iterable[Violation]:
        if version_of(target.schema.id.value, self.ctx.versioning) is None:
            shape, examples = VERSION_FORMATS[self.ctx.versioning]
            yield Violation("", f"file name '{target.schema.path.name}' is not a {shape} version ({examples})")
