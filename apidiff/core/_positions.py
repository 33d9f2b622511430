"""Line and column for JSON pointers, found after the diff and only for reported elements.

Parsing JSON with positions on every node costs several times a plain ``json.loads``; a diff
reports a few elements out of hundreds of thousands, so positions are found afterwards with one
token scan per file that stops as soon as every asked-for pointer has been seen.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from typing import Any

from apidiff.core.location import Location

_WS = re.compile(r"[ \t\n\r]*")
_END = object()


def json_pointer_positions(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Map each pointer that exists in ``text`` to the (line, column) where its value starts
    (for an object member: where its key starts).

    One walk down the document that enters only the members on the way to a wanted pointer and
    skips every other value with the C JSON scanner, so the cost is about one ``json.loads``
    however many pointers are asked for.
    """
    trie: dict[Any, Any] = {}
    for pointer in pointers:
        node = trie
        for token in pointer.split("/")[1:] if pointer else []:
            node = node.setdefault(token.replace("~1", "/").replace("~0", "~"), {})
        node[_END] = pointer
    offsets: dict[str, int] = {}
    if not trie:
        return {}
    if _END in trie:
        offsets[trie[_END]] = _WS.match(text, 0).end()  # type: ignore[union-attr]
    scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
    ws = _WS.match

    def walk(idx: int, node: dict[Any, Any]) -> int:
        idx = ws(text, idx).end()  # type: ignore[union-attr]
        char = text[idx:idx + 1]
        if char == "{":
            idx = ws(text, idx + 1).end()  # type: ignore[union-attr]
            if text[idx:idx + 1] == "}":
                return idx + 1
            while True:
                key_start = idx
                key, idx = json.decoder.scanstring(text, idx + 1)  # type: ignore[attr-defined]
                idx = ws(text, idx).end() + 1  # type: ignore[union-attr]  # past ':'
                child = node.get(key)
                if child is not None:
                    if _END in child:
                        offsets[child[_END]] = key_start
                    idx = walk(idx, child) if len(child) > (1 if _END in child else 0) else _skip(idx)
                else:
                    idx = _skip(idx)
                idx = ws(text, idx).end()  # type: ignore[union-attr]
                if text[idx:idx + 1] == ",":
                    idx = ws(text, idx + 1).end()  # type: ignore[union-attr]
                    continue
                return idx + 1
        if char == "[":
            idx = ws(text, idx + 1).end()  # type: ignore[union-attr]
            if text[idx:idx + 1] == "]":
                return idx + 1
            i = 0
            while True:
                child = node.get(str(i))
                if child is not None:
                    if _END in child:
                        offsets[child[_END]] = idx
                    idx = walk(idx, child) if len(child) > (1 if _END in child else 0) else _skip(idx)
                else:
                    idx = _skip(idx)
                idx = ws(text, idx).end()  # type: ignore[union-attr]
                if text[idx:idx + 1] == ",":
                    idx = ws(text, idx + 1).end()  # type: ignore[union-attr]
                    i += 1
                    continue
                return idx + 1
        return _skip(idx)

    def _skip(idx: int) -> int:
        idx = ws(text, idx).end()  # type: ignore[union-attr]
        return int(scan(text, idx)[1])

    with contextlib.suppress(ValueError, IndexError, StopIteration, RecursionError):
        walk(0, trie)  # a broken document: report what was found
    found: dict[str, tuple[int, int]] = {}
    line, line_start, scanned = 1, 0, 0
    for pointer, offset in sorted(offsets.items(), key=lambda item: item[1]):
        newlines = text.count("\n", scanned, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, offset) + 1
        scanned = offset
        found[pointer] = (line, offset - line_start + 1)
    return found


class DocumentLocator:
    """Finds lines for pointer-only locations in JSON or YAML documents (picklable).

    With ``prefer_name`` (introspection JSON), an element's line is that of its ``name`` member
    when it has one."""

    def __init__(self, texts: dict[str, str], *, prefer_name: bool = False) -> None:
        self.texts = texts
        self.prefer_name = prefer_name
        self.cache: dict[tuple[str, str], tuple[int, int]] = {}

    def resolve(self, locations: Iterable[Location]) -> None:
        by_file: dict[str, set[str]] = {}
        for loc in locations:
            if (not loc.line and loc.pointer is not None and loc.file in self.texts
                    and (loc.file, loc.pointer) not in self.cache):
                wanted = by_file.setdefault(loc.file, set())
                pointer = loc.pointer
                wanted.add(pointer)
                if self.prefer_name:
                    wanted.add(pointer + "/name")
                while "/" in pointer:  # ancestors too: the fallback when the element itself is implicit
                    pointer = pointer.rsplit("/", 1)[0]
                    wanted.add(pointer)
        for file, pointers in by_file.items():
            text = self.texts[file]
            if text.lstrip()[:1] in ("{", "["):
                found = json_pointer_positions(text, pointers)
            else:
                from apidiff.core._yaml import yaml_pointer_positions

                found = yaml_pointer_positions(text, pointers)
            for pointer in pointers:
                self.cache[(file, pointer)] = found.get(pointer) or _nearest(found, pointer) or (1, 1)

    def __call__(self, loc: Location) -> Location:
        if loc.line or loc.pointer is None or loc.file not in self.texts:
            return loc
        if (loc.file, loc.pointer) not in self.cache:
            self.resolve([loc])
        key = (loc.file, loc.pointer + "/name") if self.prefer_name else (loc.file, loc.pointer)
        line, column = self.cache[key]
        return Location(loc.file, line, column, loc.pointer)


def _nearest(found: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | None:
    """The position of the closest ancestor that was found (a pointer into a merged or implicit element)."""
    while "/" in pointer:
        pointer = pointer.rsplit("/", 1)[0]
        if pointer in found:
            return found[pointer]
    return None
