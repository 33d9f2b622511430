"""A format of its own, to show that a new format is one package plus one registry line.

A *constants file* lists named values, one per line, under a ``# consts`` header::

    # consts 1.2
    RED = 1
    GREEN = 2

The model is the list of constants; they are matched by name; clients read them (output). Its
two rules are in :mod:`tests.tinyformat.rules`. Nothing here is known to apidiff outside this
package: register it with ``apidiff.formats.register("tests.tinyformat")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from apidiff.core.direction import Direction
from apidiff.core.errors import ParseError
from apidiff.core.format import Certainty, Detected, Format, LoadOptions
from apidiff.core.location import Location
from apidiff.core.model import Api
from apidiff.core.pair import Pair, pair_maps
from apidiff.core.sources import LOCAL, Files, Text

HEADER = re.compile(r"^# consts(?: (?P<version>\S+))?[ \t]*$")
LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9_]*)[ \t]*=[ \t]*(?P<value>\S.*?)[ \t]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Constant:
    name: str
    value: str
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Constants(Api):
    constants: Mapping[str, Constant] = field(default_factory=dict)


class Consts(Format):
    name = "consts"
    labels = ("consts",)
    title = "Constants"
    document_noun = "a constants file"
    text_starts = ("#",)

    def detect(self, text: str) -> Detected | None:
        first = text.lstrip().split("\n", 1)[0]
        return Detected("consts", Certainty.CERTAIN) if HEADER.match(first) else None

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        text = texts[0]
        lines = text.text.splitlines()
        header = HEADER.match(lines[0].strip()) if lines else None
        if header is None:
            raise ParseError("expected the header '# consts'", file=text.name, line=1, column=1)
        constants: dict[str, Constant] = {}
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = LINE.match(line)
            if m is None:
                raise ParseError("expected NAME = value", file=text.name, line=number, column=1)
            if m["name"] in constants:
                raise ParseError(f"{m['name']} is defined twice", file=text.name, line=number, column=1)
            constants[m["name"]] = Constant(name=m["name"], value=m["value"],
                                            location=Location(text.name, number, 1, f"/{m['name']}"))
        return Constants(kind=self.name, source=source, version=None, api_version=header["version"],
                         constants=constants)

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        assert isinstance(old, Constants) and isinstance(new, Constants)
        return _pairs(old, new)


def _pairs(old: Constants, new: Constants) -> Iterator[Pair[Any]]:
    for name, o, n in pair_maps(old.constants, new.constants):
        if o != n:
            yield Pair("constant", name, o, n, Direction.OUTPUT)


FORMAT = Consts()
