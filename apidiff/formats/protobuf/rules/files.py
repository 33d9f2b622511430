"""Files and packages: deleted, moved to another package, another syntax, another language option."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import Policy, rule
from apidiff.formats.protobuf.match import Package
from apidiff.formats.protobuf.model import FILE_OPTIONS, FileDef
from apidiff.formats.protobuf.rules._base import ALL, HEAD, NONE, SOURCE, buf, example, files, multi

_OPTION_RULES = {o: f"FILE_SAME_{o.upper()}" for o in FILE_OPTIONS if o != "java_string_check_utf8"}
_A = HEAD + "message A { string a = 1; }\n"
_B = HEAD + "message B { string b = 1; }\n"
_V2 = 'syntax = "proto3";\npackage acme.v2;\nmessage C { string c = 1; }\n'


@rule(id="proto-file-added", kind="file", mirror="proto-file-removed", surfaces=NONE,
      message="file {subject} was added",
      example=multi(files(a=_A), files(a=_A, b=_B)))
def file_added(pair: Pair[FileDef], policy: Policy) -> Iterator[Hit]:
    """A `.proto` file was added.

    A new file declares new types; nothing that existed changes, so no reader or writer of existing
    messages is affected.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"file": pair.new.path, "package": pair.new.package})


@rule(id="proto-file-removed", kind="file", mirror="proto-file-added", surfaces=SOURCE,
      message="file {subject} was deleted",
      example=multi(files(a=_A, b=_B), files(a=_A)), equivalents=buf("FILE_NO_DELETE"))
def file_removed(pair: Pair[FileDef], policy: Policy) -> Iterator[Hit]:
    """A `.proto` file was deleted.

    Generated code is per file (a Python module, a Java outer class, a Go file): every import of the
    deleted file's generated code breaks, even when its types moved to another file of the same
    package. The wire is unaffected by where a type is declared.

    ## Safe rollout
    Keep the file (deprecated) until no code imports its generated module; move types file by file
    with a release in between.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"file": pair.old.path, "package": pair.old.package, "buf": ("FILE_NO_DELETE",)})


@rule(id="proto-package-added", kind="package", mirror="proto-package-removed", surfaces=NONE,
      message="{subject} was added", example=multi(files(a=_A), files(a=_A, c=_V2)))
def package_added(pair: Pair[Package], policy: Policy) -> Iterator[Hit]:
    """A package was added.

    New packages hold new types only; existing code and data are unaffected.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"package": pair.new.name})


@rule(id="proto-package-removed", kind="package", mirror="proto-package-added", surfaces=SOURCE,
      message="{subject} was deleted", example=multi(files(a=_A, c=_V2), files(a=_A)),
      equivalents=buf("PACKAGE_NO_DELETE"))
def package_removed(pair: Pair[Package], policy: Policy) -> Iterator[Hit]:
    """A package was deleted: no file declares it any more.

    Code generated for the package is gone; everything that imports it breaks. Under buf's
    `PACKAGE` category this is the one change reported for the package's files.

    ## Safe rollout
    Move the package's types to their new home first, deprecate the old package, then delete it
    once no code depends on it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"package": pair.old.name, "file": pair.old.files[0], "buf": ("PACKAGE_NO_DELETE",)})


@rule(id="proto-file-package-changed", kind="file", mirror="proto-file-package-changed", surfaces=ALL,
      message="file {subject} moved from package {old} to {new}",
      example=example("message M { string a = 1; }\n", "message M { string a = 1; }\n",
                      new_head='syntax = "proto3";\npackage acme.v2;\n'),
      equivalents=buf("FILE_SAME_PACKAGE"))
def file_package_changed(pair: Pair[FileDef], policy: Policy) -> Iterator[Hit]:
    """A file's package changed.

    Every type of the file gets a new fully qualified name: `google.protobuf.Any` values name the old
    type, gRPC method paths (`/acme.v1.Users/Get`) change, JSON `@type` fields no longer resolve and
    generated code moves.

    ## Safe rollout
    Copy the types into a file of the new package, serve both, migrate clients, then delete the old
    file.
    """
    if pair.old is not None and pair.new is not None and pair.old.package != pair.new.package:
        yield Hit({"old": pair.old.package or "(none)", "new": pair.new.package or "(none)", "file": pair.new.path,
                   "package": pair.new.package, "buf": ("FILE_SAME_PACKAGE",)})


@rule(id="proto-file-syntax-changed", kind="file", mirror="proto-file-syntax-changed", surfaces=SOURCE,
      message="file {subject} changed syntax from {old} to {new}",
      example=example("message M { optional int32 a = 1; }\n", "message M { optional int32 a = 1; }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n', new_head=HEAD),
      equivalents=buf("FILE_SAME_SYNTAX"))
def file_syntax_changed(pair: Pair[FileDef], policy: Policy) -> Iterator[Hit]:
    """A file's syntax (proto2, proto3, an edition) changed.

    Syntax decides field presence, enum openness, default values and UTF-8 checks, and with them the
    generated API (`has_` methods, enum handling); the wire meaning of each field is judged by its
    own rules.

    ## Safe rollout
    Change syntax only with a review of every field's presence and enum behaviour; migrate one file
    at a time.
    """
    if pair.old is not None and pair.new is not None:
        o = pair.old.edition or pair.old.syntax
        n = pair.new.edition or pair.new.syntax
        if o != n:
            yield Hit({"old": o, "new": n, "file": pair.new.path, "package": pair.new.package,
                       "buf": ("FILE_SAME_SYNTAX",)})


@rule(id="proto-file-option-changed", kind="file", mirror="proto-file-option-changed", surfaces=SOURCE,
      message="file {subject}: option {option} changed from {old} to {new}",
      example=example('option go_package = "acme/v1";\n', 'option go_package = "acme/v1;acmev1";\n'),
      equivalents=buf(*sorted(_OPTION_RULES.values())))
def file_option_changed(pair: Pair[FileDef], policy: Policy) -> Iterator[Hit]:
    """A file's language option changed (`go_package`, `java_package`, `csharp_namespace`, …).

    Language options decide where and under which name code is generated: a new `go_package` or
    `java_package` moves the generated code, and every import of it breaks. The wire is unaffected.

    ## Safe rollout
    Treat it as moving the generated code: publish the new location beside the old one where the
    language allows, migrate importers, then drop the old one.
    """
    if pair.old is None or pair.new is None:
        return
    for option, rule_id in _OPTION_RULES.items():
        o, n = pair.old.options.get(option, ""), pair.new.options.get(option, "")
        if o != n:
            yield Hit({"option": option, "old": repr(o), "new": repr(n), "file": pair.new.path,
                       "package": pair.new.package, "buf": (rule_id,)})

