"""What every rule may read, built once per run (and inherited by worker processes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reflekt.errors import ConfigError, SchemaError
from reflekt.lint.validators import CompiledSchema, DraftValidators, compile_schema

if TYPE_CHECKING:
    from reflekt.project import Conventions, Project


@dataclass
class LintContext:
    conventions: Conventions
    vendor: str
    versioning: str  # "major-minor" | "schemaver"
    schemas_dir: Path
    meta_schema_path: Path | None = None
    meta_schema: CompiledSchema | None = None
    drafts: DraftValidators = field(default_factory=DraftValidators)

    @classmethod
    def from_project(cls, project: Project) -> LintContext:
        config = project.config
        meta_path = project.meta_schema_path
        meta = compile_meta_schema(meta_path) if meta_path.is_file() else None
        return cls(
            conventions=config.schemas.conventions,
            vendor=config.vendor,
            versioning=config.schemas.versioning,
            schemas_dir=project.schemas_dir,
            meta_schema_path=meta_path if meta is not None else None,
            meta_schema=meta,
        )


def compile_meta_schema(path: Path) -> CompiledSchema:
    from reflekt.schema import decode_schema_bytes, parse_schema_text

    try:
        data = parse_schema_text(decode_schema_bytes(path.read_bytes(), path), path)
    except SchemaError as exc:
        raise ConfigError(f"meta-schema: {exc.message}", hint=exc.hint, path=path, line=exc.line,
                          col=exc.col) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the meta-schema: {exc.strerror or exc}", path=path) from None
    try:
        return compile_schema(data)
    except ValueError as exc:
        raise ConfigError(
            f"the meta-schema is not a valid JSON Schema: {exc}",
            hint="fix it, or delete it to lint without meta-schema validation (rule SC01)",
            path=path,
        ) from None


def metadata_variants(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema as the meta-schema should see it: reflekt's own `self.lint` removed, and
    metadata mirrored between `self.metadata` and top-level `metadata` (both forms are valid)."""
    self_block = data.get("self")
    base = data
    if isinstance(self_block, dict) and "lint" in self_block:
        base = {**data, "self": {k: v for k, v in self_block.items() if k != "lint"}}
        self_block = base["self"]
    variants = [base]
    inner = self_block.get("metadata") if isinstance(self_block, dict) else None
    outer = data.get("metadata")
    if isinstance(inner, dict) and "metadata" not in data:
        variants.append({**base, "metadata": inner})
    if isinstance(outer, dict) and isinstance(self_block, dict) and "metadata" not in self_block:
        variants.append({**base, "self": {**self_block, "metadata": outer}})
    return variants
