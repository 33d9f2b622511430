"""buf's categories as profiles: which of buf's rules fail, from ``--profile`` or the ``buf.yaml`` of the new side.

Each Protobuf change names the buf rules it violates (``args["buf"]``; its rule's ``equivalents`` list every
buf rule it can violate). Under a profile, a change is breaking exactly when one of the buf rules it violates is
in force there (``use`` minus ``except``, not ``ignore``d for its file, not ``ignore_only``-ed, not an unstable
package when ``ignore_unstable_packages``); a change that violates none in force is at most dangerous: still
reported (it may break generated code that the profile does not protect), never failing a ``--fail-on
breaking`` run.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.errors import ParseError
from apidiff.core.pair import Pair
from apidiff.core.rule import Policy, Rule
from apidiff.formats.protobuf.model import Breaking, ProtoApi

__all__ = ["ALL_RULES", "CATEGORIES", "apply", "check_ids", "in_force", "unknown_id"]


CATEGORIES: dict[str, frozenset[str]] = {
    "FILE": frozenset({
        "ENUM_NO_DELETE", "ENUM_SAME_JSON_FORMAT", "ENUM_SAME_TYPE", "ENUM_VALUE_NO_DELETE", "ENUM_VALUE_SAME_NAME",
        "EXTENSION_MESSAGE_NO_DELETE", "EXTENSION_NO_DELETE", "FIELD_NO_DELETE", "FIELD_SAME_CARDINALITY",
        "FIELD_SAME_CPP_STRING_TYPE", "FIELD_SAME_DEFAULT", "FIELD_SAME_JAVA_UTF8_VALIDATION",
        "FIELD_SAME_JSON_NAME", "FIELD_SAME_JSTYPE", "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_SAME_TYPE",
        "FIELD_SAME_UTF8_VALIDATION", "FILE_NO_DELETE", "FILE_SAME_CC_ENABLE_ARENAS",
        "FILE_SAME_CC_GENERIC_SERVICES", "FILE_SAME_CSHARP_NAMESPACE", "FILE_SAME_GO_PACKAGE",
        "FILE_SAME_JAVA_GENERIC_SERVICES", "FILE_SAME_JAVA_MULTIPLE_FILES", "FILE_SAME_JAVA_OUTER_CLASSNAME",
        "FILE_SAME_JAVA_PACKAGE", "FILE_SAME_OBJC_CLASS_PREFIX", "FILE_SAME_OPTIMIZE_FOR", "FILE_SAME_PACKAGE",
        "FILE_SAME_PHP_CLASS_PREFIX", "FILE_SAME_PHP_METADATA_NAMESPACE", "FILE_SAME_PHP_NAMESPACE",
        "FILE_SAME_PY_GENERIC_SERVICES", "FILE_SAME_RUBY_PACKAGE", "FILE_SAME_SWIFT_PREFIX", "FILE_SAME_SYNTAX",
        "MESSAGE_NO_DELETE", "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "MESSAGE_SAME_JSON_FORMAT",
        "MESSAGE_SAME_REQUIRED_FIELDS", "ONEOF_NO_DELETE", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE",
        "RPC_NO_DELETE", "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE",
        "RPC_SAME_RESPONSE_TYPE", "RPC_SAME_SERVER_STREAMING", "SERVICE_NO_DELETE",
    }),
    "PACKAGE": frozenset({
        "ENUM_SAME_JSON_FORMAT", "ENUM_SAME_TYPE", "ENUM_VALUE_NO_DELETE", "ENUM_VALUE_SAME_NAME",
        "EXTENSION_MESSAGE_NO_DELETE", "FIELD_NO_DELETE", "FIELD_SAME_CARDINALITY", "FIELD_SAME_CPP_STRING_TYPE",
        "FIELD_SAME_DEFAULT", "FIELD_SAME_JAVA_UTF8_VALIDATION", "FIELD_SAME_JSON_NAME", "FIELD_SAME_JSTYPE",
        "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_SAME_TYPE", "FIELD_SAME_UTF8_VALIDATION",
        "FILE_SAME_CC_ENABLE_ARENAS", "FILE_SAME_CC_GENERIC_SERVICES", "FILE_SAME_CSHARP_NAMESPACE",
        "FILE_SAME_GO_PACKAGE", "FILE_SAME_JAVA_GENERIC_SERVICES", "FILE_SAME_JAVA_MULTIPLE_FILES",
        "FILE_SAME_JAVA_OUTER_CLASSNAME", "FILE_SAME_JAVA_PACKAGE", "FILE_SAME_OBJC_CLASS_PREFIX",
        "FILE_SAME_OPTIMIZE_FOR", "FILE_SAME_PACKAGE", "FILE_SAME_PHP_CLASS_PREFIX",
        "FILE_SAME_PHP_METADATA_NAMESPACE", "FILE_SAME_PHP_NAMESPACE", "FILE_SAME_PY_GENERIC_SERVICES",
        "FILE_SAME_RUBY_PACKAGE", "FILE_SAME_SWIFT_PREFIX", "FILE_SAME_SYNTAX",
        "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "MESSAGE_SAME_JSON_FORMAT", "MESSAGE_SAME_REQUIRED_FIELDS",
        "ONEOF_NO_DELETE", "PACKAGE_ENUM_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE",
        "PACKAGE_NO_DELETE", "PACKAGE_SERVICE_NO_DELETE", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE",
        "RPC_NO_DELETE", "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE",
        "RPC_SAME_RESPONSE_TYPE", "RPC_SAME_SERVER_STREAMING",
    }),
    "WIRE_JSON": frozenset({
        "ENUM_SAME_JSON_FORMAT", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "ENUM_VALUE_SAME_NAME",
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_SAME_DEFAULT",
        "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FILE_SAME_PACKAGE", "MESSAGE_SAME_JSON_FORMAT",
        "MESSAGE_SAME_REQUIRED_FIELDS", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE",
        "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE",
        "RPC_SAME_SERVER_STREAMING",
    }),
    "WIRE": frozenset({
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "FIELD_SAME_DEFAULT", "FIELD_SAME_ONEOF", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_COMPATIBLE_TYPE",
        "FILE_SAME_PACKAGE", "MESSAGE_SAME_REQUIRED_FIELDS", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE",
        "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE",
        "RPC_SAME_SERVER_STREAMING",
    }),
    "CSR": frozenset({
        "ENUM_NO_DELETE", "ENUM_SAME_JSON_FORMAT", "ENUM_VALUE_NO_DELETE",
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "ENUM_VALUE_SAME_NAME", "EXTENSION_MESSAGE_NO_DELETE", "FIELD_NO_DELETE",
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_SAME_DEFAULT",
        "FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_SAME_TYPE",
        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FILE_NO_DELETE",
        "FILE_SAME_PACKAGE", "FILE_SAME_SYNTAX", "MESSAGE_NO_DELETE",
        "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "MESSAGE_SAME_JSON_FORMAT", "MESSAGE_SAME_REQUIRED_FIELDS",
        "ONEOF_NO_DELETE", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE", "RPC_SAME_CLIENT_STREAMING",
        "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE", "RPC_SAME_SERVER_STREAMING",
    }),
}
ALL_RULES = frozenset({
    "ENUM_NO_DELETE", "ENUM_SAME_JSON_FORMAT", "ENUM_SAME_TYPE", "ENUM_VALUE_NO_DELETE",
    "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "ENUM_VALUE_SAME_NAME", "EXTENSION_MESSAGE_NO_DELETE", "EXTENSION_NO_DELETE", "FIELD_NO_DELETE",
    "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_SAME_CARDINALITY",
    "FIELD_SAME_CPP_STRING_TYPE", "FIELD_SAME_DEFAULT", "FIELD_SAME_JAVA_UTF8_VALIDATION", "FIELD_SAME_JSON_NAME",
    "FIELD_SAME_JSTYPE", "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_SAME_TYPE", "FIELD_SAME_UTF8_VALIDATION",
    "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_COMPATIBLE_TYPE", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
    "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FILE_NO_DELETE", "FILE_SAME_CC_ENABLE_ARENAS",
    "FILE_SAME_CC_GENERIC_SERVICES", "FILE_SAME_CSHARP_NAMESPACE", "FILE_SAME_GO_PACKAGE",
    "FILE_SAME_JAVA_GENERIC_SERVICES", "FILE_SAME_JAVA_MULTIPLE_FILES", "FILE_SAME_JAVA_OUTER_CLASSNAME",
    "FILE_SAME_JAVA_PACKAGE", "FILE_SAME_OBJC_CLASS_PREFIX", "FILE_SAME_OPTIMIZE_FOR", "FILE_SAME_PACKAGE",
    "FILE_SAME_PHP_CLASS_PREFIX", "FILE_SAME_PHP_METADATA_NAMESPACE", "FILE_SAME_PHP_NAMESPACE",
    "FILE_SAME_PY_GENERIC_SERVICES", "FILE_SAME_RUBY_PACKAGE", "FILE_SAME_SWIFT_PREFIX", "FILE_SAME_SYNTAX",
    "MESSAGE_NO_DELETE", "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "MESSAGE_SAME_JSON_FORMAT",
    "MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT", "MESSAGE_SAME_REQUIRED_FIELDS", "ONEOF_NO_DELETE",
    "PACKAGE_ENUM_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE", "PACKAGE_NO_DELETE",
    "PACKAGE_SERVICE_NO_DELETE", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE", "RPC_NO_DELETE",
    "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE",
    "RPC_SAME_SERVER_STREAMING", "SERVICE_NO_DELETE",
})
# accepted in configuration, replaced by newer rules
DEPRECATED = {"FIELD_SAME_CTYPE": ("FIELD_SAME_CPP_STRING_TYPE",),
              "FIELD_SAME_LABEL": ("FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY",
                                   "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"),
              "FILE_SAME_JAVA_STRING_CHECK_UTF8": ("FIELD_SAME_JAVA_UTF8_VALIDATION",),
              "FILE_SAME_PHP_GENERIC_SERVICES": ()}
_UNSTABLE = re.compile(r"(?:^|\.)v\d+(?:test|(?:alpha|beta)\d*)(?:\.|$)|(?:^|\.)v\d+p\d+(?:alpha|beta)\d*(?:\.|$)")


def check_ids(ids: Iterable[str], where: str) -> None:
    """A one-line error for an id that is neither a category nor a buf rule."""
    for rule_id in ids:
        problem = unknown_id(rule_id)
        if problem is not None:
            raise ParseError(problem, file=where)


def unknown_id(rule_id: str) -> str | None:
    """What is wrong with ``rule_id`` (neither a category nor a buf rule, with the nearest known id when one is
    close), or None when it is known."""
    if rule_id in CATEGORIES or rule_id in ALL_RULES or rule_id in DEPRECATED:
        return None
    known = sorted({*CATEGORIES, *ALL_RULES, *DEPRECATED})
    near = difflib.get_close_matches(rule_id.upper(), known, n=1, cutoff=0.85) if len(rule_id) <= 100 else []
    hint = f" (did you mean {near[0]}?)" if near else ""
    return f"unknown buf rule or category {rule_id!r} in breaking configuration{hint}"


# The categories above are those of a ``version: v2`` buf.yaml (and of buf without one). Older configurations keep
# the rule sets buf had when they were current (bufcheckserver.go's V1Beta1Spec and V1Spec): rules added later are
# not in their categories, and v1beta1 put FIELD_SAME_TYPE and FIELD_SAME_CARDINALITY in WIRE_JSON and WIRE.
_OLDER: dict[str, dict[str, tuple[frozenset[str], frozenset[str]]]] = {  # version -> category -> (minus, plus)
    "v1": {
        "FILE": (frozenset({"EXTENSION_NO_DELETE", "FIELD_SAME_DEFAULT"}), frozenset()),
        "PACKAGE": (frozenset({"FIELD_SAME_DEFAULT", "PACKAGE_EXTENSION_NO_DELETE"}), frozenset()),
        "WIRE_JSON": (frozenset({"FIELD_SAME_DEFAULT"}), frozenset()),
        "WIRE": (frozenset({"FIELD_SAME_DEFAULT"}), frozenset()),
    },
    "v1beta1": {
        "FILE": (frozenset({"EXTENSION_NO_DELETE", "FIELD_SAME_DEFAULT"}), frozenset()),
        "PACKAGE": (frozenset({"FIELD_SAME_DEFAULT", "FILE_SAME_PACKAGE", "PACKAGE_EXTENSION_NO_DELETE"}),
                    frozenset()),
        "WIRE_JSON": (frozenset({"FIELD_SAME_DEFAULT", "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FILE_SAME_PACKAGE"}),
                      frozenset({"FIELD_SAME_CARDINALITY", "FIELD_SAME_TYPE"})),
        "WIRE": (frozenset({"FIELD_SAME_DEFAULT", "FIELD_WIRE_COMPATIBLE_TYPE", "FILE_SAME_PACKAGE"}),
                 frozenset({"FIELD_SAME_CARDINALITY", "FIELD_SAME_TYPE"})),
    },
}


def category(name: str, version: str = "v2") -> frozenset[str]:
    """The buf rules of category ``name`` in a buf.yaml of ``version``."""
    minus, plus = _OLDER.get(version, {}).get(name, (frozenset(), frozenset()))
    return (CATEGORIES[name] - minus) | plus


def _expand(ids: Iterable[str], version: str = "v2") -> set[str]:
    out: set[str] = set()
    for rule_id in ids:
        if rule_id in CATEGORIES:
            out |= category(rule_id, version)
        else:
            out |= set(DEPRECATED.get(rule_id, (rule_id,)))
    return out


def in_force(breaking: Breaking, profile: str | None = None) -> frozenset[str]:
    """The buf rule ids that fail under ``breaking`` (``profile``, when given, replaces its ``use``)."""
    use = tuple(x.strip() for x in profile.split(",") if x.strip()) if profile else breaking.use
    return frozenset(_expand(use, breaking.version) - _expand(breaking.except_, breaking.version))


def _ignored(path: str, patterns: Iterable[str]) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in patterns)


def _failing(c: Change, rules: frozenset[str], breaking: Breaking, by_id: Mapping[str, Rule]) -> set[str]:
    """The buf rules in force that ``c`` violates."""
    statics = {e.split(" ", 1)[1] for e in by_id[c.id].equivalents if e.startswith("buf ")}
    failing = set(c.args.get("buf", statics)) & rules
    path = str(c.args.get("file", ""))
    package = str(c.args.get("package", ""))
    if _ignored(path, breaking.ignore) or (breaking.ignore_unstable_packages and _UNSTABLE.search(package)):
        return set()
    return {r for r in failing if not _ignored(path, breaking.ignore_only.get(r, ()))}


def _backward(c: Change, rules: frozenset[str], breaking: Breaking, by_id: Mapping[str, Rule]) -> Severity:
    """Breaking when a buf rule in force fails, whatever the surfaces say (the profile is the user's policy: a
    reservation dropped harms no data yet, but buf's categories fail it); else the surfaces' worst, at most
    dangerous."""
    return Severity.BREAKING if _failing(c, rules, breaking, by_id) else min(c.backward, Severity.DANGEROUS)


def apply(changes: list[Change], old: ProtoApi, new: ProtoApi, mode: Mode, profile: str | None,
          by_id: Mapping[str, Rule], pairs: Callable[[ProtoApi, ProtoApi], Iterable[Pair[Any]]]) -> list[Change]:
    """``changes`` (old → new) under the profile: backward from the buf rules each violates; forward likewise from
    the changes of the same pairs seen new → old (a rollback), so that both directions answer to one profile."""
    from apidiff.core.engine import classify

    if profile:
        check_ids([x.strip() for x in profile.split(",") if x.strip()], "--profile")
    rules = in_force(new.breaking, profile)
    back_rules = in_force(old.breaking, profile)
    mirrors = {by_id[c.id].mirror for c in changes}
    reverse = classify([r for r in by_id.values() if r.family in mirrors], pairs(new, old), Policy(), Mode.BACKWARD)
    forward_of: dict[tuple[str, object, object], Severity] = {}
    for r in reverse:
        key = (by_id[r.id].family, r.old_location, r.new_location)
        forward_of[key] = max(forward_of.get(key, Severity.SAFE), _backward(r, back_rules, old.breaking, by_id))
    out = []
    for c in changes:
        backward = _backward(c, rules, new.breaking, by_id)
        forward = forward_of.get((by_id[c.id].mirror, c.new_location, c.old_location), Severity.SAFE)
        if (backward, forward) != (c.backward, c.forward):
            c = dataclasses.replace(c, backward=backward, forward=forward, severity=mode.pick(backward, forward))
        out.append(c)
    return out
