"""The format protocol: what a schema language gives the core.

A format is one package under :mod:`apidiff.formats` whose ``__init__`` defines ``FORMAT``, an
instance of a :class:`Format` subclass, and one line in the registry
(:data:`apidiff.formats.REGISTRY`). The core and the front ends reach a format only through
these methods; nothing outside the package knows its name.

Required: :attr:`Format.name`, :meth:`Format.detect`, :meth:`Format.load` and
:meth:`Format.pairs`; :meth:`Format.rules` finds the rules declared in the package. Everything
else has a default that works for any format (a plan with its phases and headers but no snippets,
a guide with every change under "Other changes", no usage readers). Methods import their
package's modules lazily, so that detecting a document does not import every format's loader.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Change, Mode
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.sources import LOCAL, Files, Text

if TYPE_CHECKING:
    from apidiff.core.groups import Facet
    from apidiff.core.guide import Places
    from apidiff.core.plan import Planner
    from apidiff.core.result import Report
    from apidiff.core.rule import Rule
    from apidiff.core.usage import Impact, Usage, UsageFile

__all__ = ["BAD_JSON", "NOT_JSON", "UNREAD", "Certainty", "Detected", "Format", "LoadOptions", "UsageReader"]


class Certainty(IntEnum):
    """How sure a format is that a document is its own; the surest format wins, ties go to the
    earlier format in the registry."""

    FALLBACK = 1  # nothing marks it, but the format would try it (GraphQL SDL: any text)
    LIKELY = 2  # the syntax fits (a JSON object)
    CERTAIN = 3  # a marker says so (``openapi: 3.1.0``, ``"__schema"``)


@dataclass(frozen=True, slots=True)
class Detected:
    """A format's claim on a document: ``label`` names the variant (one of ``Format.labels``)."""

    label: str
    certainty: Certainty


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Loader settings that come from the user, not from the document."""

    allow_remote_refs: bool = False  # $ref may fetch http(s) URLs
    sunset_extension: str = "x-sunset"  # the extension that carries sunset dates (HTTP formats)


class UsageReader:
    """What a format's usage reader returns: the usages read from some files, and how the
    changes of one comparison touch them."""

    usages: Sequence[Usage] = ()
    notes: Sequence[str] = ()

    def assess(self, changes: Sequence[Change], old: Api, new: Api) -> list[Impact]:
        raise NotImplementedError


_KNOWN: dict[str, Format] = {}  # every named format created, by name: what core.groups asks for a report's kind


def known_format(name: str) -> Format | None:
    """The format named ``name`` once it has been created (imported), else None."""
    return _KNOWN.get(name)


class Format:
    """A schema language. Subclass it, set the attributes, implement the four required methods."""

    def __init__(self) -> None:
        if self.name:
            _KNOWN[self.name] = self

    name: str = ""  # the Api.kind it loads into, the key of its rules and docs
    labels: tuple[str, ...] = ()  # the variants ``load(format=...)`` accepts (the name first)
    title: str = ""  # how messages name it ("GraphQL")
    document_noun: str = "a schema"  # how messages name one document ("an OpenAPI document")
    uses: tuple[str, ...] = ()  # shared schema-language packages of apidiff.formats it imports
    text_starts: tuple[str, ...] = ()  # first words that mark a document given as text, not a path
    folder_suffixes: tuple[str, ...] = ()  # a folder of such files is one document
    folder_noun: str = ""  # what a folder must hold ("GraphQL SDL")
    parallel: bool = False  # two large sides are loaded in two processes (worth it when parsing dominates)
    renameable: frozenset[str] = frozenset()  # pair kinds whose removal + addition may be a rename
    usage_kinds: tuple[str, ...] = ()  # the kinds of usage file it reads (see usage_kind); empty: none
    usage_noun: str = ""  # how messages name its usages ("GraphQL operations")
    usage_unit: str = "usages"  # what one usage is, plural ("operations", "routes")
    usage_json: tuple[str, ...] = ()  # the JSON usage files it reads, described ("a HAR file")

    # -- required -------------------------------------------------------------------------------

    def claims_path(self, path: Path) -> bool:
        """Whether this format reads ``path`` itself (:meth:`load_path`) rather than as text: a binary file, or a
        folder laid out as a module of its own (a ``buf.yaml``). Asked of every format before any is read."""
        return False

    def load_path(self, path: Path, source: str, options: LoadOptions = LoadOptions()) -> Api:
        """The model of a path this format claims (see :meth:`claims_path`)."""
        raise NotImplementedError

    def adjust(self, changes: list[Change], old: Api, new: Api, *, mode: Mode,
               profile: str | None = None) -> list[Change]:
        """The changes as the user's profile judges them (Protobuf: the buf category or rules in force, from
        ``--profile`` or the module's ``buf.yaml``); by default unchanged."""
        return changes

    def detect(self, text: str) -> Detected | None:
        """Whether ``text`` is a document of this format, and which variant."""
        raise NotImplementedError

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        """The model of the document ``texts`` (one text, or a folder's files) of variant ``label``.

        ``source`` is what the user named; ``path`` the document's path in ``files`` (for
        relative references), when it has one. Raises :class:`~apidiff.core.errors.LoadError`."""
        raise NotImplementedError

    def rules(self) -> Sequence[Rule]:
        """Its rules: those declared in its package and in the shared packages it ``uses``.

        The default imports ``<package>.rules`` (where the declarations live) and picks the rules
        whose module is inside those packages."""
        from apidiff.core.rule import REGISTRY

        package = type(self).__module__
        self._module("rules")
        homes = (package, *(f"{package.rsplit('.', 1)[0]}.{u}" for u in self.uses))
        return tuple(r for r in REGISTRY if any(r.module == h or r.module.startswith(h + ".") for h in homes))

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        """Every pair of elements the rules look at, parents before children."""
        raise NotImplementedError

    # -- optional -------------------------------------------------------------------------------

    def rename_key(self, pair: Pair[Any]) -> tuple[tuple[str, str], str]:
        """(the group a rename stays within, the element's own name) for rename hints."""
        from apidiff.core.renames import default_rename_key

        return default_rename_key(pair)

    def changelog_group(self, change: Change) -> str:
        """The element a changelog groups a change under (an operation, a type)."""
        return change.subject.split("(", 1)[0].split(".", 1)[0].split(" ", 1)[0]

    def group_facet(self, change: Change) -> Facet:
        """What groups ``change`` with others in reports (:mod:`apidiff.core.groups`): its element and
        member, the place it was reached at, the area summaries count it under. The default splits
        ``Type.member`` subjects and knows no places."""
        from apidiff.core.groups import default_facet

        return default_facet(change)

    def planner(self, old: Api, new: Api, report: Report, options: LoadOptions) -> Planner:
        """What the deprecation plan asks the format: where elements are, how to deprecate them.

        The default is ``<package>.plan.planner(old, new, report, options)`` when the package has a
        ``plan`` module, else :class:`~apidiff.core.plan.BasePlanner` (phases and headers, no snippets)."""
        module = self._module("plan")
        if module is not None:
            planner: Planner = module.planner(old, new, report, options)
            return planner
        from apidiff.core.plan import BasePlanner

        return BasePlanner(old, new, report)

    def apply_expand(self, text: str, edits: Sequence[Any]) -> str:
        """The old document's text with a plan's expand edits applied: ``<package>.plan.apply_expand``."""
        module = self._module("plan")
        if module is not None:
            return str(module.apply_expand(text, edits))
        if edits:
            raise ValueError(f"{self.title or self.name} plans have no machine-applicable edits")
        return text

    def guide(self, old: Api, new: Api, mode: Mode) -> Places:
        """What the migration guide asks the format: its sections, where each change lands, the entries.

        The default is ``<package>.guide.places(old, new, mode)`` when the package has a ``guide``
        module, else :class:`~apidiff.core.guide.BasePlaces` (every change under "Other changes")."""
        module = self._module("guide")
        if module is not None:
            places: Places = module.places(old, new, mode)
            return places
        from apidiff.core.guide import BasePlaces

        return BasePlaces(old, new, mode)

    def _module(self, name: str) -> Any:
        """The package's module ``name``, or None when it has none."""
        import importlib

        package = type(self).__module__
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{package}.{name}":
                raise
            return None

    def usage_kind(self, text: Text, data: object) -> str | None:
        """The kind of usage file ``text`` is, when this format reads it. Asked up to twice: first
        with ``data`` :data:`UNREAD` (judge by the name), then with the parsed JSON value, or
        :data:`NOT_JSON` (the text does not look like JSON) or :data:`BAD_JSON` (it does, but
        does not parse)."""
        return None

    def read_usage(self, files: Sequence[UsageFile], *, consumer_key: str | None = None,
                   consumer_version: bool = False) -> UsageReader:
        """The usages of the files this format claimed (:meth:`usage_kind`); ``consumer_key`` names what
        identifies a consumer in traffic, ``consumer_version`` keeps a consumer's versions apart."""
        raise NotImplementedError

    def show_example(self, text: str) -> tuple[str, str]:
        """(code-block language, text) for a rule example's document in the generated docs."""
        return self.name, text

    def validate(self, path: Path) -> list[str]:
        """Problems of the document at ``path`` against its specification (``--validate``)."""
        return []

    def __repr__(self) -> str:
        return f"<format {self.name}>"


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNREAD: Any = _Marker("UNREAD")  # usage_kind: judge by the file name
NOT_JSON: Any = _Marker("NOT_JSON")  # usage_kind: the text does not start like JSON
BAD_JSON: Any = _Marker("BAD_JSON")  # usage_kind: it starts like JSON but does not parse
