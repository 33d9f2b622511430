"""Consumer impact through the whole tool: compare(usage=…), every format, the CLI's --usage,
--usage-only, ``apidiff impact`` and the per-consumer guide, on the usage fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from apidiff import Report, compare, load_usage
from apidiff.report import render
from tests.conftest import ROOT

GQL = ROOT / "fixtures" / "usage" / "graphql"
HTTP = ROOT / "fixtures" / "usage" / "http"
TODAY = date(2026, 11, 25)
SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text())


@pytest.fixture(scope="module")
def gql_report() -> Report:
    usage = load_usage([str(GQL / "clients" / "**" / "*")])
    return compare(GQL / "old.graphql", GQL / "new.graphql", today=TODAY, usage=usage)


@pytest.fixture(scope="module")
def http_report() -> Report:
    usage = load_usage([HTTP / "traffic.har", HTTP / "access.log"])
    return compare(HTTP / "old.yaml", HTTP / "new.yaml", today=TODAY, usage=usage)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apidiff.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_graphql_impact_counts_and_consumers(gql_report: Report) -> None:
    impact = gql_report.impact
    assert impact is not None
    assert (impact.usages, impact.affected, impact.unaffected) == (24, 15, 9)
    assert dict(impact.consumers) == {"billing": 7, "ios": 9, "partners": 1, "web": 7}
    affected = {(i.usage.consumer, i.usage.operation) for i in impact.impacts}
    assert ("ios", "Reviews") in affected and ("partners", "PartnerSearch") in affected
    assert not any(op == "Stale" for _, op in affected)  # already invalid before: a note, not an impact
    assert any("Stale was already invalid" in n for n in impact.notes)


def test_every_breaking_change_says_who_uses_it(gql_report: Report) -> None:
    users = gql_report.users()
    reviews = next(c for c in gql_report.changes if c.subject == "Book.reviews(sort:)")
    assert [(i.usage.consumer, i.usage.operation) for i in users[reviews]] == [("ios", "Reviews")]
    unused = [c for c in gql_report.changes if c.severity.value == "breaking" and c not in users]
    for change in unused:
        assert gql_report.used(change) is False


def test_json_carries_usage_impact_and_used_by_and_validates(gql_report: Report, http_report: Report) -> None:
    for report in (gql_report, http_report):
        data = json.loads(render(report, "json"))
        jsonschema.validate(data, SCHEMA)
        assert data["usage"]["affected"] == len(data["impact"])
        assert all("used_by" in c for c in data["changes"])
        again = Report.from_json(report.to_json())
        assert again.to_dict() == data  # the impact survives a round trip
    entry = next(e for e in json.loads(render(gql_report, "json"))["impact"] if e["operation"] == "Reviews")
    assert entry["consumer"] == "ios" and entry["changes"] == ["argument-added-required"]
    assert entry["file"].endswith("clients/ios/queries.graphql") and entry["line"] == 1
    assert entry["errors"] and "is required, but it was not provided" in entry["errors"][0]


def test_http_impact_counts_requests(http_report: Report) -> None:
    assert http_report.impact is not None
    rows = {(i.usage.consumer, i.usage.operation): (i.requests, i.usage.requests) for i in http_report.impact.impacts}
    # pet-web of the HAR (a browser's User-Agent ending in pet-web/1.4) and of the log: one consumer
    assert rows[("pet-web", "DELETE /pets/{petId}")] == (3, 3)
    assert rows[("pet-web", "GET /pets/{petId}/photos")] == (3, 4)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "github", "junit", "sarif"])
def test_every_format_shows_the_impact(gql_report: Report, fmt: str) -> None:
    out = render(gql_report, fmt)
    assert "Reviews" in out  # the affected operation of the required argument
    if fmt in ("text", "markdown", "html"):
        assert "15 of 24 operations affected" in out


def test_without_usage_nothing_changes() -> None:
    report = compare(GQL / "old.graphql", GQL / "new.graphql", today=TODAY)
    assert report.impact is None and "used_by" not in report.to_dict()["changes"][0]
    assert "impact" not in report.to_dict()


def _only_unused_breaking(tmp_path: Path) -> tuple[Path, Path, Path]:
    old = tmp_path / "old.graphql"
    new = tmp_path / "new.graphql"
    old.write_text("type Query { a: Int\n b: Int }\n")
    new.write_text("type Query { a: Int }\n")
    ops = tmp_path / "clients" / "web"
    ops.mkdir(parents=True)
    (ops / "q.graphql").write_text("query A { a }\n")
    return old, new, tmp_path / "clients"


def test_usage_only_fails_only_on_used_changes(tmp_path: Path) -> None:
    old, new, clients = _only_unused_breaking(tmp_path)
    plain = cli("diff", str(old), str(new), "--usage", str(clients))
    assert plain.returncode == 1 and "no known consumer" in plain.stdout
    only = cli("diff", str(old), str(new), "--usage", str(clients), "--usage-only")
    assert only.returncode == 0, only.stderr
    (clients / "web" / "q.graphql").write_text("query A { a b }\n")
    assert cli("diff", str(old), str(new), "--usage", str(clients), "--usage-only").returncode == 1


def test_impact_command_per_consumer_and_errors() -> None:
    usage = "fixtures/usage/graphql/clients/**/*"
    done = cli("impact", "fixtures/usage/graphql/old.graphql", "fixtures/usage/graphql/new.graphql", "--usage", usage,
               "--consumer", "ios", "-f", "json", "--today", "2026-11-25")
    assert done.returncode == 1, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    [ios] = data["consumers"]
    assert (ios["consumer"], ios["usages"], ios["affected"]) == ("ios", 9, 7)
    unknown = cli("impact", "fixtures/usage/graphql/old.graphql", "fixtures/usage/graphql/new.graphql", "--usage",
                  usage, "--consumer", "nobody")
    assert unknown.returncode == 2 and "no consumer named 'nobody'" in unknown.stderr
    assert "Traceback" not in unknown.stderr and len(unknown.stderr.splitlines()) == 1
    missing = cli("impact", "fixtures/usage/graphql/old.graphql", "fixtures/usage/graphql/new.graphql")
    assert missing.returncode == 2 and "--usage" in missing.stderr
    mixed = cli("diff", "fixtures/usage/graphql/old.graphql", "fixtures/usage/graphql/new.graphql", "--usage",
                "fixtures/usage/http/access.log")
    assert mixed.returncode == 2 and "HTTP traffic cannot be checked against a GraphQL schema" in mixed.stderr


def test_guide_for_one_consumer_keeps_its_part() -> None:
    args = ["guide", "fixtures/usage/http/old.yaml", "fixtures/usage/http/new.yaml", "--usage",
            "fixtures/usage/http/access.log", "--today", "2026-11-25"]
    whole = cli(*args)
    web = cli(*args, "--consumer", "pet-web")
    assert whole.returncode == 0 and web.returncode == 0, web.stderr
    assert web.stdout.startswith("# Migration guide for pet-web\n")
    assert "DELETE /pets/{petId}" in web.stdout and "parameter-became-required" in web.stdout
    assert "property-added-required" in whole.stdout and "property-added-required" not in web.stdout


def test_consumers_are_products_and_versions_are_kept_apart_only_when_asked(tmp_path: Path) -> None:
    def consumers(*extra: str) -> list[str]:
        proc = cli("impact", str(HTTP / "old.yaml"), str(HTTP / "new.yaml"), "--usage", str(HTTP / "traffic.har"),
                   "--usage", str(HTTP / "access.log"), "-f", "json", "--today", "2026-01-01", *extra)
        assert proc.returncode == 1, proc.stderr
        return [c["consumer"] for c in json.loads(proc.stdout)["consumers"]]

    assert consumers("--no-config") == ["PetApp", "curl", "http", "pet-web"]
    assert consumers("--no-config", "--consumer-version") == ["PetApp/2.1", "curl/8.4.0", "http", "pet-web/1.4"]
    config = tmp_path / "apidiff.toml"
    config.write_text("consumer_version = true\n", encoding="utf-8")
    assert consumers("--config", str(config)) == ["PetApp/2.1", "curl/8.4.0", "http", "pet-web/1.4"]
