"""The `lint:` section of reflekt_project.yml, validated with positions (it is a free dict there).

    lint:
      rules:
        NM01: {severity: warning}            # by code ...
        property-name-casing: {enabled: false}   # ... or by name
        TY05: false                          # shorthand: disable
        TY06: info                           # shorthand: severity
        NM02: {allowed_words: [iOS]}         # rule options (see `reflekt lint --explain NM02`)
      ignore:                                # per-path ignores (globs over schema ids)
        "segment/legacy/**": [NM02, DC02]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reflekt.errors import ConfigError
from reflekt.lint.registry import RULES, code_for, rule_class
from reflekt.lint.rule import Severity

if TYPE_CHECKING:
    from reflekt.project import Project

SECTION_KEYS = ("rules", "ignore")
RULE_KEYS = ("enabled", "severity")


@dataclass
class RuleSettings:
    enabled: bool
    severity: Severity
    options: dict[str, Any]


@dataclass
class LintSettings:
    rules: dict[str, RuleSettings]
    ignore: list[tuple[str, frozenset[str]]] = field(default_factory=list)


def load_lint_settings(project: Project) -> LintSettings:
    return parse_lint_config(project.config.lint, project)


def parse_lint_config(section: Any, project: Project | None) -> LintSettings:
    def fail(message: str, key_path: tuple, hint: str) -> ConfigError:
        path = line = col = None
        if project is not None:
            path = project.path
            pos = project.doc.position(("lint", *key_path))
            if pos:
                line, col = pos
        return ConfigError(f"lint: {message}", hint=hint, path=path, line=line, col=col)

    if section is None:
        section = {}
    if not isinstance(section, dict):
        raise fail("must be a mapping with keys 'rules' and 'ignore'", (), "see docs/lint.md")
    for key in section:
        if key not in SECTION_KEYS:
            raise fail(f"unknown key '{key}'", (key,), f"allowed keys: {', '.join(SECTION_KEYS)}")
    rules = {
        code: RuleSettings(True, rule_class(code).severity, dict(rule_class(code).options)) for code in RULES
    }
    configured = section.get("rules") or {}
    if not isinstance(configured, dict):
        raise fail("'rules' must map rule codes to settings", ("rules",), "e.g. rules: {NM01: {severity: warning}}")
    for key, value in configured.items():
        code = code_for(str(key))
        if code is None:
            raise fail(f"unknown rule '{key}'", ("rules", key),
                       "`reflekt lint --explain` lists the rule codes and names")
        if code == "PA01":
            raise fail("rule PA01 (invalid-json) cannot be configured", ("rules", key),
                       "a file that cannot be parsed cannot be linted; fix the file or --exclude it")
        _apply_rule_settings(rules[code], code, key, value, fail)
    ignore = _parse_ignore(section.get("ignore"), fail)
    return LintSettings(rules, ignore)


def _apply_rule_settings(settings: RuleSettings, code: str, key: Any, value: Any, fail) -> None:
    if isinstance(value, bool):
        settings.enabled = value
        return
    if isinstance(value, str):
        settings.severity = _severity(value, ("rules", key), fail)
        return
    if not isinstance(value, dict):
        raise fail(f"settings of rule {code} must be a mapping, true/false or a severity", ("rules", key),
                   "e.g. NM01: {severity: warning} or NM01: false")
    declared = rule_class(code).options
    for option, option_value in value.items():
        where = ("rules", key, option)
        if option == "enabled":
            if not isinstance(option_value, bool):
                raise fail(f"{code}.enabled must be true or false", where, "e.g. enabled: false")
            settings.enabled = option_value
        elif option == "severity":
            settings.severity = _severity(option_value, where, fail)
        elif option in declared:
            settings.options[option] = _check_option(code, option, option_value, declared[option], where, fail)
        else:
            allowed = ", ".join([*RULE_KEYS, *declared]) or "enabled, severity"
            raise fail(f"unknown key '{option}' for rule {code}", where, f"allowed keys: {allowed}")


def _severity(value: Any, where: tuple, fail) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise fail(f"unknown severity '{value}'", where, "use error, warning or info") from None


def _check_option(code: str, option: str, value: Any, default: Any, where: tuple, fail) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, (list, tuple)):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif isinstance(default, str):
        ok = isinstance(value, str)
    else:  # None default: a string or list of strings
        ok = value is None or isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value))
    if not ok:
        expected = type(default).__name__ if default is not None else "string or list of strings"
        raise fail(f"{code}.{option} must be a {expected}, not {value!r}", where,
                   f"default: {default!r}; see `reflekt lint --explain {code}`")
    return value


def _parse_ignore(value: Any, fail) -> list[tuple[str, frozenset[str]]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise fail("'ignore' must map schema globs to lists of rule codes", ("ignore",),
                   'e.g. ignore: {"segment/legacy/**": [NM02]}')
    entries = []
    for pattern, codes in value.items():
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list):
            raise fail(f"ignore '{pattern}' must list rule codes", ("ignore", pattern), "e.g. [NM02, DC02]")
        resolved = set()
        for i, key in enumerate(codes):
            if str(key).lower() == "all":
                resolved.update(RULES)
                continue
            code = code_for(str(key))
            if code is None:
                raise fail(f"unknown rule '{key}' in ignore '{pattern}'", ("ignore", pattern, i),
                           "`reflekt lint --explain` lists the rule codes and names")
            resolved.add(code)
        entries.append((str(pattern).removeprefix("schemas/"), frozenset(resolved)))
    return entries
