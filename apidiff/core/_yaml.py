"""JSON and YAML documents to plain Python values, fast, with safety limits.

JSON goes through the stdlib's C decoder. YAML goes through ryaml (libyaml's Rust port with
serde): about 15x faster than PyYAML's C loader on GitHub's 9 MB REST description, YAML 1.2
scalars (``2024-01-01`` and ``yes`` stay strings, as OpenAPI expects), and it refuses alias
bombs ("repetition limit") and nesting over 128 levels by itself.

No positions are kept while parsing: :func:`yaml_pointer_positions` finds the line of the few
elements a diff reports, afterwards, with one indentation scan of the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from typing import Any

from apidiff.core.errors import LimitExceeded, ParseError

_AT = re.compile(r" at line (\d+) column (\d+)")

# Numbers are kept exactly as written: an int stays an int (any length; Python's 4,300-digit limit on
# int <-> text conversion is not hit, past it the value is a Decimal), a decimal that a float holds
# exactly (its shortest repr reads back as the same number) is a float, any other is a Decimal.
INT_DIGITS = 4300


class NumberTooLarge(ValueError):
    """A number literal no Decimal holds (an exponent of more digits than it takes: ``9e999…``)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"a number too large to read: {text[:40]}…")
        self.text = text


def exact_number(text: str) -> int | float | Decimal:
    """The number a JSON or YAML literal writes, without loss (see above)."""
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text) if len(text) <= INT_DIGITS else Decimal(text)
    try:
        written = Decimal(text)
    except InvalidOperation:
        raise NumberTooLarge(text) from None
    value = float(text)
    if value == value and abs(value) != float("inf") and Decimal(repr(value)) == written:
        return value
    return written


def _exact_float(text: str) -> float | Decimal:
    if len(text) <= 15 and "e" not in text and "E" not in text:  # 15 significant digits: a float holds them
        return float(text)
    value = exact_number(text)
    assert not isinstance(value, int)
    return value


def dumps_json(value: Any, **options: Any) -> str:
    """``json.dumps`` that writes the numbers :func:`exact_number` keeps as Decimals as the numbers
    they are (``json.dumps`` refuses a Decimal, and an int past 4,300 digits)."""
    written: dict[str, str] = {}
    token = f"\x00{id(written):x}:"

    def number(o: Any) -> str:
        if isinstance(o, Decimal):
            key = f"{token}{len(written)}\x00"
            written[key] = str(o)
            return key
        raise TypeError(f"{type(o).__name__} is not a JSON value")

    text = json.dumps(value, default=number, **options)
    if not written:
        return text
    quoted = {json.dumps(key): number_text for key, number_text in written.items()}
    return re.sub('|'.join(map(re.escape, quoted)), lambda m: quoted[m[0]], text)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def loads_json(text: str) -> Any:
    """``json.loads`` that keeps numbers exactly (see :func:`exact_number`) and refuses ``NaN`` and
    ``Infinity`` (not JSON; NaN is not even equal to itself). Raises what ``json.loads`` raises."""
    try:
        return json.loads(text, parse_float=_exact_float, parse_constant=_not_json)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise
    return json.loads(text, parse_float=_exact_float, parse_constant=_not_json, parse_int=exact_number)


def parse_document(text: str, name: str) -> Any:
    """Parse a JSON or YAML document; errors are one line naming ``name``, line and column.

    This is where untrusted documents become values: any failure of a parser is a located
    :class:`ParseError` (or :class:`LimitExceeded`), never a parser's own exception."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            return loads_json(text)
        except RecursionError:
            raise LimitExceeded("the document nests too deeply", file=name) from None
        except json.JSONDecodeError as exc:
            if text.lstrip()[:1] == "{" and _maybe_yaml_flow(text):
                return _parse_yaml(text, name)
            raise ParseError(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno) from None
        except ValueError as exc:
            raise ParseError(f"invalid JSON: {exc}", file=name) from None
    return _parse_yaml(text, name)


def _maybe_yaml_flow(text: str) -> bool:
    """``{openapi: 3.0.0, ...}`` is YAML flow style, not broken JSON."""
    return '"' not in text[:200].split(":", 1)[0]


def _parse_yaml(text: str, name: str) -> Any:
    import ryaml  # type: ignore[import-untyped,unused-ignore]

    if _flow_depth_estimate(text) > MAX_FLOW_DEPTH_ESTIMATE:
        raise LimitExceeded("the document nests more than 128 levels deep", file=name)
    marked = False
    while True:
        try:
            data = ryaml.loads(text)  # type: ignore[attr-defined,unused-ignore]
        except ryaml.InvalidYamlError as exc:  # type: ignore[attr-defined,unused-ignore]
            if not marked and "as u128" in str(exc):  # an integer of 20 to 38 digits: keep it exact
                text, marked = _mark_numbers(text), True
                continue
            raise _yaml_error(str(exc), text, name) from None
        except RecursionError:
            raise LimitExceeded("the document nests too deeply", file=name) from None
        except (ValueError, TypeError, OverflowError) as exc:  # complex keys (``? [a]``) and the like
            message = str(exc).removeprefix("TypeError: ").removeprefix("ValueError: ")
            line, column = _pyyaml_mark(text)
            if "unhashable" in message:
                message = "a mapping key must be a string or a number, not a list or a mapping"
                found = re.search(r"^[ \t]*\?[ \t]", text, re.MULTILINE)  # an explicit (complex) key
                if found is not None:
                    line = text.count("\n", 0, found.start()) + 1
                    column = found.end() - found.start() - len(found.group(0).lstrip()) + 1
            raise ParseError(f"invalid YAML: {message}", file=name, line=line, column=column) from None
        if marked:
            try:
                data = _unmark(data)
            except NumberTooLarge as exc:
                where = text.find(exc.text)
                line = text.count("\n", 0, where) + 1 if where >= 0 else None
                raise ParseError(f"invalid YAML: {exc}", file=name, line=line) from None
            _string_keys(data)
            return data
        if not _string_keys(data):
            return data
        text, marked = _mark_numbers(text), True  # a number ryaml rounded or turned into text: read it again


# A plain scalar that is a number no 64-bit value holds: 20 digits or more, or an exponent of 3 digits.
_BIG_NUMBER = re.compile(r"(?<=[\s\[{,])[-+]?(?:\d{20,}(?:\.\d*)?(?:[eE][-+]?\d+)?|\d+(?:\.\d*)?[eE][-+]?\d{3,})"
                         r"(?=\s|$|[,\]}#])")
_MARK = "\ue000"  # a private-use character: never in a real document, printable in every YAML context


def _mark_numbers(text: str) -> str:
    """Prefix such numbers with the mark, so that ryaml gives their text (in a string) instead of a
    rounded float or an error; :func:`_unmark` turns marked plain scalars back into numbers and
    removes the mark wherever else it landed (inside a quoted or block string)."""
    return _BIG_NUMBER.sub(lambda m: _MARK + m.group(0), text)


_NUMERIC = re.compile(r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


MAX_FLOW_DEPTH_ESTIMATE = 2000
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _flow_depth_estimate(text: str) -> int:
    """The deepest bracket nesting, counting brackets inside strings too (~20 ms for 10 MB).

    libyaml's scanner is quadratic in flow nesting (100,000 ``[`` take ryaml ~40 s before its own
    128-level limit is checked), so hostile nesting is refused before parsing. Brackets in strings
    could only push the estimate over the threshold with thousands left unclosed."""
    steps = _NOT_BRACKET.sub("", text)
    return max(accumulate(map(_BRACKET_STEP.__getitem__, steps)), default=0)


def _string_keys(value: Any) -> bool:
    """YAML keys may be numbers (``200:``) or booleans; OpenAPI means the text: made text, in place,
    iteratively. Returns whether a value looks like a number ryaml rounded or turned into text (a
    whole float of 39+ digits, a numeric string of 20+ characters): then the text is read again."""
    suspicious = False
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if not all(type(k) is str for k in item):
                fixed = {_key_text(k): v for k, v in item.items()}
                item.clear()
                item.update(fixed)
            values: Iterable[Any] = item.values()
        elif type(item) is list:
            values = item
        else:
            continue
        for v in values:
            t = type(v)
            if t is dict or t is list:
                stack.append(v)
            elif not suspicious and ((t is float and v.is_integer() and abs(v) >= 1e38)
                                     or (t is str and len(v) >= 20 and _NUMERIC.fullmatch(v))):
                suspicious = True
    return suspicious


def _unmark(value: Any) -> Any:
    """The value with marked numbers read exactly, and the mark removed from other text."""
    if type(value) is str and _MARK in value:
        body = value[1:] if value.startswith(_MARK) else None
        if body is not None and _MARK not in body and _NUMERIC.fullmatch(body):
            return exact_number(body)
        return value.replace(_MARK, "")
    if type(value) is dict:
        return {_unmark(k) if type(k) is str else k: _unmark(v) for k, v in value.items()}
    if type(value) is list:
        return [_unmark(v) for v in value]
    return value


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _yaml_error(message: str, text: str, name: str) -> Exception:
    if "repetition limit" in message:
        return LimitExceeded("too many alias expansions (an alias bomb?)", file=name)
    found = _AT.search(message)
    line = column = None
    if found:
        line, column = int(found.group(1)), int(found.group(2))
    if "recursion limit" in message:
        return LimitExceeded("the document nests more than 128 levels deep", file=name, line=line, column=column)
    if "more than one document" in message:
        return ParseError("holds more than one YAML document; put the API in one", file=name)
    if "duplicate entry with key" in message:
        key = _AT.sub("", message.split("duplicate entry with key", 1)[1]).strip()
        where = find_duplicate_key(text) or (line, column)
        return ParseError(f"duplicate key {key} (keys must be unique)", file=name, line=where[0], column=where[1])
    if line is None:
        line, column = _pyyaml_mark(text)
    text_only = _AT.sub("", message).replace(", while", "; while")
    return ParseError(f"invalid YAML: {text_only}", file=name, line=line, column=column)


def _pyyaml_mark(text: str) -> tuple[int | None, int | None]:
    """Where PyYAML sees the problem, for the few ryaml errors that carry no position."""
    import yaml

    try:
        for _ in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        pass
    return None, None


# --- positions ---------------------------------------------------------------------------------

_KEY = re.compile(r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"\-?:,\[\]{}&*!|>%@`][^#]*?|-[^\s#][^#]*?))"""
                  r"""\s*:(?:\s+|$)(.*)$""")


class _Frame:
    __slots__ = ("indent", "keys", "kind", "pointer", "seen")

    def __init__(self, indent: int, pointer: str, kind: str) -> None:
        self.indent = indent
        self.pointer = pointer
        self.kind = kind  # "map" or "seq"
        self.seen = 0  # items so far (sequences)
        self.keys: set[str] | None = None


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _scan(text: str, on_key: Any) -> None:
    """Walk block-style YAML line by line; call ``on_key(pointer, line, column, frame_keys)`` for
    every mapping key and sequence item; its children are visited only if it returns true. Flow
    collections and multi-line scalars are stepped over (their children take the position of the
    line that opens them)."""
    stack = [_Frame(-1, "", "map")]
    pending: tuple[int, str] | None = None  # a key with no inline value: its children follow
    skip_deeper_than: int | None = None  # inside a block or multi-line scalar, or a pruned subtree
    skip_items = False  # also skip sequence items at that indent (a key's block sequence)
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(stripped)
        is_item = stripped == "-" or stripped.startswith("- ")
        if skip_deeper_than is not None:
            if indent > skip_deeper_than or (indent == skip_deeper_than and is_item and skip_items):
                continue
            skip_deeper_than = None
        if indent == 0 and (stripped.startswith(("---", "...", "%"))):
            continue
        if pending is not None:
            parent_indent, pointer = pending
            pending = None
            if indent > parent_indent or (indent == parent_indent and is_item):
                stack.append(_Frame(indent, pointer, "seq" if is_item else "map"))
        while len(stack) > 1 and (stack[-1].indent > indent
                                  or (stack[-1].indent == indent and (stack[-1].kind == "seq") != is_item)):
            stack.pop()
        frame = stack[-1]
        if frame.indent == -1:
            frame.indent = indent  # the document's top level
        if frame.indent != indent:
            continue  # a continuation line we do not follow
        column = indent
        rest = stripped
        while True:
            if frame.kind == "seq":
                if not (rest == "-" or rest.startswith("- ")):
                    break
                pointer = f"{frame.pointer}/{frame.seen}"
                frame.seen += 1
                descend = on_key(pointer, number, column + 1, None)
                body = rest[1:].lstrip(" ")
                offset = len(rest) - len(body)
                if not descend:
                    skip_deeper_than, skip_items = column, False
                    break
                if not body or body.startswith("#"):
                    pending = (column, pointer)
                    break
                column += offset
                rest = body
                if rest == "-" or rest.startswith("- "):
                    frame = _Frame(column, pointer, "seq")
                else:
                    frame = _Frame(column, pointer, "map")
                stack.append(frame)
                continue
            match = _KEY.match(rest)
            if match is None:
                skip_deeper_than, skip_items = column, False
                break
            double, single, plain, value = match.groups()
            if double is not None:
                try:
                    key = json.loads(f'"{double}"')
                except json.JSONDecodeError:
                    key = double
            elif single is not None:
                key = single.replace("''", "'")
            else:
                key = plain.rstrip()
            pointer = f"{frame.pointer}/{_escape(key)}"
            if frame.keys is None:
                frame.keys = set()
            descend = on_key(pointer, number, column + 1, frame.keys)
            frame.keys.add(key)
            if not descend:
                skip_deeper_than, skip_items = column, True
                break
            value = value.strip()
            if value.startswith(("&", "!")) and " " not in value:
                value = ""  # an anchor or tag alone: the value follows
            if not value or value.startswith("#"):
                pending = (column, pointer)
            else:
                skip_deeper_than, skip_items = column, False  # a scalar or flow value; its continuation lines
            break


def yaml_pointer_positions(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Map each pointer found in block-style YAML ``text`` to the (line, column) of its key."""
    wanted = set(pointers)
    found: dict[str, tuple[int, int]] = {}
    if "" in wanted:
        found[""] = (1, 1)

    prefixes = {p.rsplit("/", i)[0] for p in wanted for i in range(p.count("/") + 1)}

    def on_key(pointer: str, line: int, column: int, keys: set[str] | None) -> bool:
        if pointer in wanted and pointer not in found:
            found[pointer] = (line, column)
        return pointer in prefixes

    _scan(text, on_key)
    missing = wanted - found.keys()
    if missing and len(text) < 2_000_000:
        found.update(_compose_positions(text, missing))
    return found


def _compose_positions(text: str, pointers: set[str]) -> dict[str, tuple[int, int]]:
    """Positions from PyYAML's node tree: slow but exact; for what the scanner cannot follow."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    found: dict[str, tuple[int, int]] = {}
    stack: list[tuple[str, Any, Any]] = [("", root, None)]
    prefixes = {p.rsplit("/", i)[0] for p in pointers for i in range(p.count("/") + 1)}
    while stack:
        pointer, node, key_node = stack.pop()
        if pointer in pointers:
            mark = (key_node or node).start_mark
            found[pointer] = (mark.line + 1, mark.column + 1)
        if pointer not in prefixes:
            continue
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((f"{pointer}/{_escape(str(k.value))}", v, k))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                stack.append((f"{pointer}/{i}", v, v))
    return found


def find_duplicate_key(text: str) -> tuple[int, int] | None:
    """The line and column of the first key that repeats one of its siblings."""
    where: list[tuple[int, int]] = []

    def on_key(pointer: str, line: int, column: int, keys: set[str] | None) -> bool:
        if keys is not None and not where:
            key = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            if key in keys:
                where.append((line, column))
        return not where

    _scan(text, on_key)
    return where[0] if where else None
