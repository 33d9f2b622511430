"""The HTML report: structure (parsed with html.parser), escaping, no external resources, a snapshot, and a
real browser (headless Chromium, when installed) running the page's script under its Content-Security-Policy.

Rewrite the snapshot after a deliberate change with ``APIDIFF_UPDATE_SNAPSHOTS=1``."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from apidiff import compare
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.location import Location
from apidiff.core.result import Report, SourceInfo
from apidiff.report.html import DOCS_BASE, render
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
EXAMPLES = {"petstore": ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml"),
            "graphql": ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")}
HOSTILE = "<script>alert('x')</script> & \"quoted\""


class Page(HTMLParser):
    """Every start tag with its attributes, the text inside each element with an id, and the inline
    script and style bodies."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, str | None]] = []
        self.texts: dict[str, str] = {}
        self.text = ""
        self.bodies: dict[str, list[str]] = {"script": [], "style": []}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag not in ("meta", "input", "br", "img", "link"):
            self.stack.append((tag, attributes.get("id")))
            if "id" in attributes:
                self.texts[attributes["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for _, element in self.stack:
            if element is not None:
                self.texts[element] += data
        if self.stack and self.stack[-1][0] in self.bodies:
            self.bodies[self.stack[-1][0]].append(data)

    def find(self, tag: str | None = None, **attributes: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v for k, v in attributes.items())]


def _report(name: str, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)  # relative source paths, the same on every machine
    return compare(*EXAMPLES[name], today=TODAY)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_one_row_per_change_with_its_severity_and_direction(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    page = Page(render(report))
    rows = [a for a in page.find("li") if "change" in a.get("class", "").split()]
    by_row = sorted((r["data-rule"], r["data-severity"], r["data-direction"]) for r in rows)
    assert by_row == sorted((c.id, c.severity.value, c.direction.value) for c in report.changes)
    in_groups = [report.changes[i] for g in report.change_groups() for i in g.changes]  # the page's order
    for index, change in enumerate(in_groups, start=1):
        text = page.texts[f"change-{index}"]
        assert change.message in text and change.subject in text and change.id in text
        assert f"backward{change.backward.value}" in text and f"forward{change.forward.value}" in text
        for loc in (change.old_location, change.new_location):
            if loc is not None:
                assert str(loc) in text
    assert [a["data-severity"] for a in page.find("section") if "group" in a.get("class", "")] == \
        [s for s in ("breaking", "dangerous", "safe") if report.summary[s]]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_summary_counts_match_the_report(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    page = Page(render(report))
    summary = page.texts["summary"]
    for severity, count in report.summary.items():
        assert re.search(rf"\b{count} {severity}\b", summary), (severity, summary)
    assert f"{len(report.changes)} changes" in summary
    assert f"{report.old.source} → {report.new.source}" in page.text and f"mode {report.mode.value}" in page.text


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_links_to_rule_docs_and_source_lines(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    hrefs = {a["href"] for a in Page(render(report)).find("a")}
    custom = {a["href"] for a in Page(render(report, docs_base="docs/rules/", source_base="../")).find("a")}
    for change in report.changes:
        assert f"{DOCS_BASE}{change.id}.md" in hrefs and f"docs/rules/{change.id}.md" in custom
        for loc in (change.old_location, change.new_location):
            if loc is not None:
                assert f"{loc.file}#L{loc.line}" in hrefs and f"../{loc.file}#L{loc.line}" in custom


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_self_contained_no_external_resources(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = render(_report(name, monkeypatch))
    page = Page(text)
    for tag in ("script", "link", "img", "iframe", "object", "embed", "source", "video", "audio"):
        for attributes in page.find(tag):
            assert not attributes.get("src") and not attributes.get("href"), (tag, attributes)
    assert not page.find("link") and not page.find("img")
    assert "@import" not in text and "url(" not in text
    # the Content-Security-Policy allows exactly the inline style and script, by hash
    csp = page.find("meta", http_equiv="Content-Security-Policy")[0]["content"]
    assert "default-src 'none'" in csp
    for name_, body in page.bodies.items():
        assert len(body) == 1
        digest = base64.b64encode(hashlib.sha256(body[0].encode()).digest()).decode()
        assert f"{name_}-src 'sha256-{digest}'" in csp


def test_filters_cover_every_severity_and_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    page = Page(render(_report("petstore", monkeypatch)))
    assert [a["value"] for a in page.find("input", name="severity")] == ["breaking", "dangerous", "safe"]
    assert [a["value"] for a in page.find("input", name="direction")] == ["input", "output", "both", "none"]
    assert all("checked" in a for a in page.find("input", type="checkbox"))
    assert page.find("input", type="search", name="q")


def _hostile_report() -> Report:
    loc = Location(file='x"><img src=x onerror=alert(1)>.yaml', line=3, column=1, pointer="/a/<b>")
    change = Change(id="field-<b>-removed", severity=Severity.BREAKING, backward=Severity.BREAKING,
                    forward=Severity.SAFE, direction=Direction.OUTPUT, subject=f"Query.{HOSTILE}",
                    message=f"field {HOSTILE} was removed", old_location=loc, new_location=None)
    return Report(mode=Mode.BACKWARD, old=SourceInfo("<old>.graphql", "graphql"),
                  new=SourceInfo("javascript:alert(1)", "graphql", "<v>"), changes=(change,),
                  warnings=(f"warning {HOSTILE}",))


def test_everything_is_escaped() -> None:
    report = _hostile_report()
    text = render(report)
    for raw in ("<script>alert", "<img", "<b>-removed", "/a/<b>", '"quoted"', "<old>", "<v>"):
        assert raw not in text, raw
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in text
    page = Page(text)
    assert len(page.find("script")) == 1 and not page.find("img")
    change = report.changes[0]
    assert change.message in page.texts["change-1"] and change.subject in page.texts["change-1"]  # kept, as text
    assert f"warning {HOSTILE}" in page.text and "<old>.graphql → javascript:alert(1)" in page.text
    hrefs = [a["href"] for a in page.find("a")]
    assert all(not h.startswith("javascript:") and '"' not in h and "<" not in h for h in hrefs)
    assert "x%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.yaml#L3" in hrefs


def test_no_changes() -> None:
    report = Report(mode=Mode.FULL, old=SourceInfo("a.graphql", "graphql"), new=SourceInfo("b.graphql", "graphql"),
                    changes=())
    text = render(report)
    page = Page(text)
    assert "No API changes." in text and not page.find("script") and not page.find("form")
    assert "0 changes" in page.texts["summary"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_deterministic_and_snapshot(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    text = render(report)
    assert text == render(compare(*EXAMPLES[name], today=TODAY))
    path = SNAPSHOTS / f"{name}.html"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# -- a real browser: opt-in with `pytest -m browser` (needs Chromium: apt-get install -y chromium) ----

def _chromium() -> str:
    found = next((p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None)
    assert found is not None, "pytest -m browser needs a Chromium binary: apt-get install -y chromium"
    return found


def _dump_dom(binary: str, html: str) -> str:
    with tempfile.TemporaryDirectory(prefix="apidiff-html-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        proc = subprocess.run([binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                               f"--user-data-dir={Path(tmp) / 'profile'}", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.browser
def test_chromium_renders_the_summary_and_runs_the_script(monkeypatch: pytest.MonkeyPatch) -> None:
    binary = _chromium()
    report = _report("petstore", monkeypatch)
    started = time.perf_counter()
    dom = _dump_dom(binary, render(report))
    elapsed = time.perf_counter() - started
    page = Page(dom)
    assert page.find(id="summary") and f"{report.summary['breaking']} breaking" in page.texts["summary"]
    # the inline script ran, so its Content-Security-Policy hash is right: it shows the filters and the count
    n = len(report.changes)
    assert page.texts["shown"] == f"{n} of {n} changes shown"
    assert "hidden" not in page.find("form", id="filters")[0]
    assert elapsed < 60


@pytest.mark.browser
def test_chromium_filters_hide_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    binary = _chromium()
    report = _report("petstore", monkeypatch)
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", render(report))
    click = """<script>
const form = document.getElementById("filters");
form.querySelector("input[name=severity][value=safe]").checked = false;
form.querySelector("input[name=direction][value=none]").checked = false;
form.dispatchEvent(new Event("input"));
</script>
</body>"""
    page = Page(_dump_dom(binary, html.replace("</body>", click)))
    rows = [a for a in page.find("li") if "change" in a.get("class", "").split()]
    visible = sorted(r["data-rule"] for r in rows if "hidden" not in r)
    expected = sorted(c.id for c in report.changes
                      if c.severity is not Severity.SAFE and c.direction is not Direction.NONE)
    assert visible == expected and len(expected) < len(report.changes)
    assert page.texts["shown"] == f"{len(expected)} of {len(report.changes)} changes shown"
    groups = [g for g in page.find("section") if "group" in g.get("class", "")]
    assert [g["data-severity"] for g in groups if "hidden" in g] == ["safe"]
