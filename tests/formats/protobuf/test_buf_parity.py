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
# the cases apidiff agrees with buf on, violation for violation; the others are listed in the progress note of
# the Protobuf issue with what differs (editions' language features, the labels of deprecated rule ids, …)
AGREED = {
    "breaking_enum_no_delete", "breaking_enum_same_json_format", "breaking_enum_same_type",
    "breaking_enum_value_no_delete", "breaking_enum_value_no_delete_unless_name_reserved",
    "breaking_enum_value_no_delete_unless_number_reserved", "breaking_field_no_delete",
    "breaking_field_no_delete_unless_name_reserved", "breaking_field_no_delete_unless_number_reserved",
    "breaking_field_same_cardinality", "breaking_field_same_ctype", "breaking_field_same_json_name",
    "breaking_field_same_jstype", "breaking_field_same_oneof", "breaking_field_same_utf8_validation",
    "breaking_field_wire_compatible_cardinality", "breaking_field_wire_json_compatible_cardinality",
    "breaking_file_no_delete", "breaking_file_no_delete_ignores", "breaking_file_no_delete_unstable",
    "breaking_file_same_package", "breaking_file_same_syntax", "breaking_file_same_values",
    "breaking_ignore_unstable_packages_delete_file", "breaking_ignore_unstable_packages_false",
    "breaking_ignore_unstable_packages_true", "breaking_int_enum", "breaking_message_enum", "breaking_message_int",
    "breaking_message_no_delete", "breaking_message_same_json_format", "breaking_message_same_required_fields",
    "breaking_message_same_values", "breaking_oneof_no_delete", "breaking_package_service_no_delete",
    "breaking_rpc_no_delete", "breaking_rpc_same_values", "breaking_service_no_delete",
}


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
        for rule_id in set(c.args.get("buf", ())) & rules:
            out[(rule_id, "" if rule_id in PATHLESS else Path(str(c.args.get("file", ""))).name)] += 1
    return out


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]]:
    buf.install()
    return {c["dir"]: (buf_violations(CASES / c["dir"]), apidiff_violations(CASES / c["dir"])) for c in ALL}


@pytest.mark.parametrize("case", sorted(AGREED))
def test_apidiff_fails_exactly_what_buf_fails(case: str,
                                              results: dict[str, tuple[Counter[tuple[str, str]],
                                                                       Counter[tuple[str, str]]]]) -> None:
    want, got = results[case]
    assert got == want, f"missing {sorted((want - got).items())}, extra {sorted((got - want).items())}"


def test_the_cases_not_yet_at_parity_are_the_known_ones(
        results: dict[str, tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]]) -> None:
    """A case that reaches parity joins AGREED; one that loses it fails the test above."""
    at_parity = {case for case, (want, got) in results.items() if want == got}
    assert at_parity - AGREED == set(), "add these to AGREED"
    assert len(at_parity) >= len(AGREED)
