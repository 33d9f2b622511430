"""Parity with ``buf breaking``, rule id for rule id, on buf's own fixtures, with the real buf as the oracle.

Each case of ``buf_cases/`` (copied from bufbuild/buf, see the NOTICE there) is a previous and a current module
whose ``buf.yaml`` selects a rule or a category. buf is run on it (``tests/peers/buf.py``: npm ``@bufbuild/buf``
in a scratch folder), apidiff is run on the same two folders, and the failing sets must be equal: the buf rules
in force that apidiff's breaking changes violate, with the file buf reports each in, as a multiset.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from apidiff import compare, load
from apidiff.core.change import Severity
from apidiff.formats.protobuf.model import ProtoApi
from apidiff.formats.protobuf.profiles import in_force
from tests.peers import buf

CASES = Path(__file__).parent / "buf_cases"
ALL = json.loads((CASES / "cases.json").read_text(encoding="utf-8"))
PATHLESS = {"FILE_NO_DELETE", "PACKAGE_NO_DELETE"}  # buf reports these without a file


def buf_violations(case: Path) -> Counter[tuple[str, str]]:
    return Counter((v["type"], Path(v["path"]).name if v["path"] else "")
                   for v in buf.breaking(case / "current", case / "previous"))


def apidiff_violations(case: Path) -> Counter[tuple[str, str]]:
    report = compare(str(case / "previous"), str(case / "current"))
    new = load(str(case / "current"))
    assert isinstance(new, ProtoApi)
    rules = in_force(new.breaking)
    out: Counter[tuple[str, str]] = Counter()
    for c in report.changes:
        if c.backward is not Severity.BREAKING:
            continue
        for rule_id in (r for r in c.args.get("buf", ()) if r in rules):
            out[(rule_id, "" if rule_id in PATHLESS else Path(str(c.args.get("file", ""))).name)] += 1
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]]:
    buf.install()
    return {c["dir"]: (buf_violations(CASES / c["dir"]), apidiff_violations(CASES / c["dir"])) for c in ALL}


@pytest.mark.parametrize("case", sorted(c["dir"] for c in ALL))
def test_apidiff_fails_exactly_what_buf_fails(case: str,
                                              results: dict[str, tuple[Counter[tuple[str, str]],
                                                                       Counter[tuple[str, str]]]]) -> None:
    want, got = results[case]
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
