"""The shared acceptance cases (copied from ../shared/acceptance), run in-process and through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from apidiff import compare

HERE = Path(__file__).resolve().parent
ORDER = {"none": 0, "safe": 1, "dangerous": 2, "breaking": 3}


def cases(name: str) -> list[Any]:
    return [pytest.param(c, id=c["name"]) for c in yaml.safe_load((HERE / "acceptance" / name).read_text())]


def worst(changes: list[dict[str, Any]], key: str) -> str:
    return max((c[key] for c in changes), key=ORDER.__getitem__, default="none")


def check(case: dict[str, Any], changes: list[dict[str, Any]]) -> None:
    for key in ("backward", "forward"):
        if key in case:
            allowed = case[key] if isinstance(case[key], list) else [case[key]]
            got = worst(changes, key)
            assert got in allowed or ("safe" in allowed and got == "none"), \
                f"{key}: expected {allowed}, got {got}: {[c['id'] for c in changes]}"


@pytest.mark.parametrize("case", cases("graphql.yaml"))
def test_graphql_case(case: dict[str, Any]) -> None:
    report = compare(case["old"], case["new"])
    check(case, [c.to_dict() for c in report.changes])


@pytest.mark.parametrize("case", cases("graphql.yaml")[:3])
def test_graphql_case_through_cli(case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "old.graphql").write_text(case["old"])
    (tmp_path / "new.graphql").write_text(case["new"])
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(tmp_path / "old.graphql"),
                           str(tmp_path / "new.graphql"), "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    check(case, json.loads(proc.stdout)["changes"])


@pytest.mark.parametrize("case", cases("openapi.yaml"))
def test_openapi_case(case: dict[str, Any]) -> None:
    report = compare(yaml.safe_dump(case["old"], sort_keys=False), yaml.safe_dump(case["new"], sort_keys=False))
    check(case, [c.to_dict() for c in report.changes])


@pytest.mark.parametrize("case", cases("openapi.yaml")[:3])
def test_openapi_case_through_cli(case: dict[str, Any], tmp_path: Path) -> None:
    for stem in ("old", "new"):
        (tmp_path / f"{stem}.yaml").write_text(yaml.safe_dump(case[stem], sort_keys=False))
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(tmp_path / "old.yaml"),
                           str(tmp_path / "new.yaml"), "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    check(case, json.loads(proc.stdout)["changes"])
