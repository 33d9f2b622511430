"""Parity with ``buf breaking``, rule id for rule id, on buf's own fixtures, with the real buf as the oracle.

Each case of ``buf_cases/`` (copied from bufbuild/buf, see the NOTICE there) is a previous and a current module
whose ``buf.yaml`` selects a rule or a category. buf is run on it (``tests/peers/buf.py``: npm ``@bufbuild/buf``
in a scratch folder), apidiff is run on the same two folders, and the failing sets must be equal: the buf rules
in force that apidiff's breaking changes violate, with the file buf reports each in, as a multiset.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path

import pytest

from apidiff import compare, load
from apidiff.core.change import Change, Severity
from apidiff.formats.protobuf.model import ProtoApi
from apidiff.formats.protobuf.profiles import in_force
from tests.peers import buf

CASES = Path(__file__).parent / "buf_cases"
ALL = json.loads((CASES / "cases.json").read_text(encoding="utf-8"))
PATHLESS = {"FILE_NO_DELETE", "PACKAGE_NO_DELETE"}  # buf reports these without a file

# Where buf is wrong and apidiff is right, by case: the violations buf reports that apidiff does not, and why
# (docs/protobuf.md, "Parity with buf, and where apidiff differs"). Each is checked to be still reported by buf, so
# that a fixed buf makes the entry fail rather than hide a regression.
_LEGACY_REQUIRED = ("a proto2 `required` field became an editions `features.field_presence = LEGACY_REQUIRED` "
                    "one: buf's MESSAGE_SAME_REQUIRED_FIELDS reads the descriptor's label, which editions leave "
                    "optional, and calls the field deleted; it is as required as before, on the wire and in code")
DIVERGENCES: dict[str, tuple[Counter[tuple[str, str]], str]] = {
    case: (Counter({("MESSAGE_SAME_REQUIRED_FIELDS", "3.proto"): 1}), _LEGACY_REQUIRED)
    for case in ("breaking_field_same_cardinality", "breaking_field_same_label",
                 "breaking_field_wire_compatible_cardinality", "breaking_field_wire_json_compatible_cardinality")
}


def expected(case: str, found: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """buf's violations for ``case`` without the ones apidiff rightly does not report (``DIVERGENCES``): only those
    among the rules in force (``found`` is buf's answer), and each still reported by buf."""
    known, why = DIVERGENCES.get(case, (Counter(), ""))
    known = Counter({k: n for k, n in known.items() if any(r == k[0] for r, _ in found)})
    assert not known - found, f"buf no longer reports {sorted((known - found).items())}: {why}"
    return found - known


def buf_violations(case: Path) -> Counter[tuple[str, str]]:
    return Counter((v["type"], Path(v["path"]).name if v["path"] else "")
                   for v in buf.breaking(case / "current", case / "previous"))


def apidiff_violations(case: Path) -> Counter[tuple[str, str]]:
    report = compare(str(case / "previous"), str(case / "current"))
    new = load(str(case / "current"))
    assert isinstance(new, ProtoApi)
    return violations(report.changes, in_force(new.breaking))


def violations(changes: Iterable[Change], rules: Collection[str]) -> Counter[tuple[str, str]]:
    """The (buf rule, file name) of every buf rule in force among the backward-breaking changes: the file is the
    change's, or the one ``buf_files`` names for the rule, as buf's annotations name it."""
    out: Counter[tuple[str, str]] = Counter()
    for c in changes:
        if c.backward is not Severity.BREAKING:
            continue
        for rule_id in (r for r in c.args.get("buf", ()) if r in rules):
            file = str(c.args.get("buf_files", {}).get(rule_id, c.args.get("file", "")))
            out[(rule_id, "" if rule_id in PATHLESS or not file else Path(file).name)] += 1
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]]:
    buf.install()
    return {c["dir"]: (buf_violations(CASES / c["dir"]), apidiff_violations(CASES / c["dir"])) for c in ALL}


@pytest.mark.parametrize("case", sorted(c["dir"] for c in ALL))
def test_apidiff_fails_exactly_what_buf_fails(case: str,
                                              results: dict[str, tuple[Counter[tuple[str, str]],
                                                                       Counter[tuple[str, str]]]]) -> None:
    found, got = results[case]
    want = expected(case, found)
    assert got == want, f"missing {sorted((want - got).items())}, extra {sorted((got - want).items())}"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_category_has_the_rules_of_its_config_version(version: str, tmp_path: Path) -> None:
    """``FILE`` in a ``version: v1`` buf.yaml does not hold the rules buf added with v2 (EXTENSION_NO_DELETE,
    FIELD_SAME_DEFAULT): deleted extensions fail only under v2, with buf as the oracle."""
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CASES / "breaking_field_no_delete", case)
    (case / "current" / "buf.yaml").write_text(f"version: {version}\nbreaking:\n  use: [FILE]\n", encoding="utf-8")
    buf.install()
    want = buf_violations(case)
    assert (("EXTENSION_NO_DELETE", "3.proto") in want) is (version == "v2")
    assert apidiff_violations(case) == want
