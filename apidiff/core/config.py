"""Configuration: ``[tool.apidiff]`` in ``pyproject.toml``, or ``.apidiff.toml``, found from the
working directory upwards, or a file given with ``--config``.

```toml
[tool.apidiff]                      # in .apidiff.toml: the same keys at the top level
mode = "backward"                   # backward | forward | full
fail_on = "breaking"                # breaking | dangerous | safe | never
min_deprecation_days = 90           # days between deprecation and removal
sunset_extension = "x-sunset"       # the OpenAPI extension that holds sunset dates
consumer_version = false            # --usage traffic: keep User-Agent versions apart (pet-web/1.4, pet-web/1.5)

[tool.apidiff.severity]             # override a rule's verdict: one for both directions, or per direction
"operation-deprecated-without-sunset" = "dangerous"
"schema-enum-value-added" = { input = "safe", output = "breaking" }

[tool.apidiff.stability]            # the most a change inside an operation at this level can be
draft = "safe"
alpha = "safe"
beta = "dangerous"

[[tool.apidiff.ignore]]             # keyed on the change, never on its message
rule = "field-removed-without-deprecation"
subject = "Query.legacy*"           # a glob over the change's subject
location = "schema/legacy/*"        # optional: a glob over "file:line" of either location
reason = "Removed with the mobile v1 shutdown (INC-42)"   # required
until = 2027-03-01                  # optional: after this date the ignore stops applying, and says so
```

Unknown keys and bad values are one-line :class:`ConfigError`\\ s naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.errors import ConfigError
from apidiff.core.result import Report

FAIL_ON = ("breaking", "dangerous", "safe", "never")
STABILITY_LEVELS = ("draft", "alpha", "beta")
DEFAULT_STABILITY = {"draft": Severity.SAFE, "alpha": Severity.SAFE, "beta": Severity.DANGEROUS}
_KEYS = {"mode", "fail_on", "min_deprecation_days", "sunset_extension", "consumer_version", "severity", "stability",
         "ignore"}
_IGNORE_KEYS = {"rule", "subject", "location", "reason", "until"}


@dataclass(frozen=True, slots=True)
class Ignore:
    """Leave matching changes out of the report, for a stated reason, until a date."""

    rule: str
    reason: str
    subject: str = "*"
    location: str | None = None
    until: date | None = None

    def matches(self, change: Change) -> bool:
        if not fnmatch.fnmatchcase(change.id, self.rule) or not fnmatch.fnmatchcase(change.subject, self.subject):
            return False
        if self.location is None:
            return True
        return any(loc is not None and fnmatch.fnmatchcase(f"{loc.file}:{loc.line}", self.location)
                   for loc in (change.old_location, change.new_location))

    def active(self, today: date) -> bool:
        return self.until is None or today <= self.until


@dataclass(frozen=True, slots=True)
class Config:
    """Settings for :func:`apidiff.compare` and the CLI; every field has the built-in default."""

    mode: Mode = Mode.BACKWARD
    fail_on: str = "breaking"
    min_deprecation_days: int = 0
    sunset_extension: str = "x-sunset"
    consumer_version: bool = False  # traffic consumers named by User-Agent keep their versions apart
    severity: Mapping[str, Severity | Mapping[Direction, Severity]] = field(default_factory=dict)
    stability: Mapping[str, Severity] = field(default_factory=lambda: dict(DEFAULT_STABILITY))
    ignores: tuple[Ignore, ...] = ()
    path: str | None = None  # where it was read from

    def rules(self, catalogue: Iterable[Any]) -> list[Any]:
        """The rule catalogue with this configuration's severity overrides applied."""
        out = []
        for rule in catalogue:
            override = self.severity.get(rule.id)
            out.append(replace(rule, severity=override) if override is not None else rule)
        return out

    def apply_ignores(self, report: Report, today: date) -> Report:
        """The report without the ignored changes; they are listed in ``report.ignored``, and an
        ignore whose date has passed becomes a warning (its changes are reported again)."""
        kept: list[Change] = []
        ignored: list[dict[str, str]] = []
        warnings = list(report.warnings)
        expired_seen: set[Ignore] = set()
        for change in report.changes:
            rule = next((i for i in self.ignores if i.matches(change)), None)
            if rule is None:
                kept.append(change)
            elif rule.active(today):
                ignored.append({"id": change.id, "subject": change.subject, "reason": rule.reason})
            else:
                kept.append(change)
                if rule not in expired_seen:
                    expired_seen.add(rule)
                    warnings.append(f"{self.path or 'config'}: the ignore of {rule.rule} on {rule.subject} expired "
                                    f"on {rule.until}; its changes are reported again")
        return replace(report, changes=tuple(kept), warnings=tuple(warnings),
                       ignored=report.ignored + tuple(ignored))


def find_config(start: Path | None = None) -> Path | None:
    """``.apidiff.toml``, or a ``pyproject.toml`` with ``[tool.apidiff]``, from ``start`` upwards."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".apidiff.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "tool" in (data := _read(pyproject)) and "apidiff" in data["tool"]:
            return pyproject
    return None


def load_config(path: Path | None = None, *, search: bool = True, rule_ids: Collection[str] | None = None) -> Config:
    """Read ``path``, or the configuration found from the working directory upwards, or the defaults.

    ``rule_ids`` are the ids a severity override may name (all ids when None; :func:`apidiff.load_config`
    passes every registered format's)."""
    if path is None and search:
        path = find_config()
    if path is None:
        return Config()
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("apidiff", {})
        where = f"{path}: [tool.apidiff]"
    else:
        where = str(path)
    return parse_config(data, where=where, path=str(path), rule_ids=rule_ids)


def parse_config(data: Mapping[str, Any], *, where: str = "config", path: str | None = None,
                 rule_ids: Collection[str] | None = None) -> Config:
    def fail(message: str) -> ConfigError:
        return ConfigError(f"{where}: {message}")

    for key in data:
        if key not in _KEYS:
            raise fail(f"unknown key {key!r} (expected one of {', '.join(sorted(_KEYS))})")
    config = Config(path=path)
    if "mode" in data:
        if data["mode"] not in {m.value for m in Mode}:
            raise fail(f"mode: {data['mode']!r} is not one of backward, forward, full")
        config = replace(config, mode=Mode(data["mode"]))
    if "fail_on" in data:
        if data["fail_on"] not in FAIL_ON:
            raise fail(f"fail_on: {data['fail_on']!r} is not one of {', '.join(FAIL_ON)}")
        config = replace(config, fail_on=data["fail_on"])
    if "min_deprecation_days" in data:
        days = data["min_deprecation_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise fail(f"min_deprecation_days: {days!r} is not a whole number of days >= 0")
        config = replace(config, min_deprecation_days=days)
    if "sunset_extension" in data:
        name = data["sunset_extension"]
        if not isinstance(name, str) or not name.startswith("x-"):
            raise fail(f"sunset_extension: {name!r} is not an extension name (x-…)")
        config = replace(config, sunset_extension=name)
    if "consumer_version" in data:
        if not isinstance(data["consumer_version"], bool):
            raise fail(f"consumer_version: {data['consumer_version']!r} is not true or false")
        config = replace(config, consumer_version=data["consumer_version"])
    if "severity" in data:
        config = replace(config, severity=_severities(data["severity"], fail, rule_ids))
    if "stability" in data:
        config = replace(config, stability=_stability(data["stability"], fail))
    if "ignore" in data:
        config = replace(config, ignores=_ignores(data["ignore"], fail))
    return config


def _severity(value: Any, key: str, fail: Any) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise fail(f"{key}: {value!r} is not one of breaking, dangerous, safe") from None


def _severities(table: Any, fail: Any,
                known: Collection[str] | None) -> dict[str, Severity | Mapping[Direction, Severity]]:
    if not isinstance(table, dict):
        raise fail("severity: expected a table of rule id = severity")
    out: dict[str, Severity | Mapping[Direction, Severity]] = {}
    for rule_id, value in table.items():
        if known is not None and rule_id not in known:
            raise fail(f"severity: unknown rule id {rule_id!r} (see `apidiff rules`)")
        if isinstance(value, dict):
            per: dict[Direction, Severity] = {}
            for side, verdict in value.items():
                if side not in ("input", "output"):
                    raise fail(f"severity.{rule_id}: unknown key {side!r} (expected input, output)")
                per[Direction(side)] = _severity(verdict, f"severity.{rule_id}.{side}", fail)
            if set(per) != {Direction.INPUT, Direction.OUTPUT}:
                raise fail(f"severity.{rule_id}: give both input and output, or one severity")
            out[rule_id] = per
        else:
            out[rule_id] = _severity(value, f"severity.{rule_id}", fail)
    return out


def _stability(table: Any, fail: Any) -> dict[str, Severity]:
    if not isinstance(table, dict):
        raise fail("stability: expected a table of level = most severe verdict")
    out = dict(DEFAULT_STABILITY)
    for level, value in table.items():
        if level not in STABILITY_LEVELS:
            raise fail(f"stability: unknown level {level!r} (expected {', '.join(STABILITY_LEVELS)})")
        out[level] = _severity(value, f"stability.{level}", fail)
    return out


def _ignores(items: Any, fail: Any) -> tuple[Ignore, ...]:
    if not isinstance(items, list):
        raise fail("ignore: expected an array of tables ([[tool.apidiff.ignore]])")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise fail(f"ignore #{n}: expected a table")
        for key in item:
            if key not in _IGNORE_KEYS:
                raise fail(f"ignore #{n}: unknown key {key!r} (expected {', '.join(sorted(_IGNORE_KEYS))})")
        for key in ("rule", "reason"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise fail(f"ignore #{n}: {key!r} is required")
        until = item.get("until")
        if until is not None and not isinstance(until, date):
            try:
                until = date.fromisoformat(str(until))
            except ValueError:
                raise fail(f"ignore #{n}: until: {until!r} is not a date (YYYY-MM-DD)") from None
        for key in ("subject", "location"):
            if key in item and not isinstance(item[key], str):
                raise fail(f"ignore #{n}: {key} must be a string (a glob)")
        out.append(Ignore(rule=item["rule"], reason=item["reason"], subject=item.get("subject", "*"),
                          location=item.get("location"), until=until))
    return tuple(out)


def _read(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
