"""Line and column for JSON pointers, found after the diff and only for reported elements.

Parsing JSON with positions on every node costs several times a plain ``json.loads``; a diff
reports a few elements out of hundreds of thousands, so positions are found afterwards with one
token scan per file that stops as soon as every asked-for pointer has been seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from apidiff.model.location import Location, escape_pointer_token

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def json_pointer_positions(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Map each pointer that exists in ``text`` to the (line, column) where its value starts
    (for an object member: where its key starts)."""
    wanted = set(pointers)
    found: dict[str, tuple[int, int]] = {}
    if not wanted:
        return found
    # a frame: [is_object, path_of_container, current key or index, expecting_key]
    stack: list[list[Any]] = []
    line, line_start, scanned = 1, 0, 0
    pending_element = False  # an array element starts at the next value token

    def position(offset: int) -> tuple[int, int]:
        nonlocal line, line_start, scanned
        newlines = text.count("\n", scanned, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, offset) + 1
        scanned = offset
        return line, offset - line_start + 1

    def note(path: str, offset: int) -> None:
        if path in wanted and path not in found:
            found[path] = position(offset)

    for match in _TOKEN.finditer(text):
        token = match.group()
        start = match.start()
        if pending_element and stack and token not in ("]", ","):
            frame = stack[-1]
            note(f"{frame[1]}/{frame[2]}", start)
            pending_element = False
        if token == "{" or token == "[":
            if stack:
                frame = stack[-1]
                path = f"{frame[1]}/{escape_pointer_token(str(frame[2]))}"
            else:
                path = ""
            if token == "{":
                stack.append([True, path, None, True])
            else:
                stack.append([False, path, 0, False])
                pending_element = True
        elif token in ("}", "]"):
            stack.pop()
            pending_element = False
            if len(found) == len(wanted):
                break
        elif token == ",":
            if not stack:
                continue
            frame = stack[-1]
            if frame[0]:
                frame[3] = True
            else:
                frame[2] = int(frame[2]) + 1
                pending_element = True
        elif token == ":":
            continue
        else:  # a string
            if stack and stack[-1][0] and stack[-1][3]:
                frame = stack[-1]
                key = _unquote(token)
                frame[2] = key
                frame[3] = False
                note(f"{frame[1]}/{escape_pointer_token(key)}", start)
    return found


def _unquote(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    import json

    return str(json.loads(token))


class JsonLocator:
    """Finds lines for pointer-only locations in JSON documents (picklable)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.cache: dict[tuple[str, str], tuple[int, int]] = {}

    def resolve(self, locations: Iterable[Location]) -> None:
        """Find the positions of many locations at once (one scan per file)."""
        by_file: dict[str, set[str]] = {}
        for loc in locations:
            if (not loc.line and loc.pointer is not None and loc.file in self.texts
                    and (loc.file, loc.pointer) not in self.cache):
                # an element's line is the line of its name, when it has one
                by_file.setdefault(loc.file, set()).update((loc.pointer, loc.pointer + "/name"))
        for file, pointers in by_file.items():
            for pointer, pos in json_pointer_positions(self.texts[file], pointers).items():
                self.cache[(file, pointer)] = pos

    def __call__(self, loc: Location) -> Location:
        if loc.line or loc.pointer is None:
            return loc
        if (loc.file, loc.pointer) not in self.cache:
            self.resolve([loc])
        key = (loc.file, loc.pointer)
        line, column = self.cache.get((loc.file, loc.pointer + "/name")) or self.cache.get(key) or (1, 1)
        return Location(loc.file, line, column, loc.pointer)


class DocumentLocator:
    """Finds lines for pointer-only locations in JSON or YAML documents (picklable)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.cache: dict[tuple[str, str], tuple[int, int]] = {}

    def resolve(self, locations: Iterable[Location]) -> None:
        by_file: dict[str, set[str]] = {}
        for loc in locations:
            if (not loc.line and loc.pointer is not None and loc.file in self.texts
                    and (loc.file, loc.pointer) not in self.cache):
                wanted = by_file.setdefault(loc.file, set())
                pointer = loc.pointer
                wanted.add(pointer)
                while "/" in pointer:  # ancestors too: the fallback when the element itself is implicit
                    pointer = pointer.rsplit("/", 1)[0]
                    wanted.add(pointer)
        for file, pointers in by_file.items():
            text = self.texts[file]
            if text.lstrip()[:1] in ("{", "["):
                found = json_pointer_positions(text, pointers)
            else:
                from apidiff.loaders._yaml import yaml_pointer_positions

                found = yaml_pointer_positions(text, pointers)
            for pointer in pointers:
                self.cache[(file, pointer)] = found.get(pointer) or _nearest(found, pointer) or (1, 1)

    def __call__(self, loc: Location) -> Location:
        if loc.line or loc.pointer is None or loc.file not in self.texts:
            return loc
        if (loc.file, loc.pointer) not in self.cache:
            self.resolve([loc])
        line, column = self.cache[(loc.file, loc.pointer)]
        return Location(loc.file, line, column, loc.pointer)


def _nearest(found: dict[str, tuple[int, int]], pointer: str) -> tuple[int, int] | None:
    """The position of the closest ancestor that was found (a pointer into a merged or implicit element)."""
    while "/" in pointer:
        pointer = pointer.rsplit("/", 1)[0]
        if pointer in found:
            return found[pointer]
    return None
