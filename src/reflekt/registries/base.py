"""The Registry protocol and the lazy table of registries.

pull/push are filled in by the registry modules; `check` is what `reflekt debug` calls.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

from reflekt.errors import UsageError

# profile `type:` -> "module:Class"
REGISTRIES: dict[str, str] = {
    "segment": "reflekt.registries.segment:SegmentRegistry",
    "avo": "reflekt.registries.avo:AvoRegistry",
    "iglu": "reflekt.registries.iglu:IgluRegistry",
}


class Registry(Protocol):
    def check(self) -> str:
        """Reach the registry with the profile's credentials (short timeout); return a description."""
        ...


def get_registry(entry: Any, project: Any) -> Registry:
    target = REGISTRIES.get(entry.type)
    if target is None:
        raise UsageError(f"unknown registry type '{entry.type}'", hint="known: " + ", ".join(REGISTRIES))
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise UsageError(f"the '{entry.type}' registry is not available in this build yet") from None
    return getattr(module, class_name)(entry, project)
