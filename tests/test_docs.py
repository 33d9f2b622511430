"""The documentation cannot drift from the program.

- the program excerpts of README.md and docs/*.md (between ``apidiff:run``, ``apidiff:python`` and
  ``apidiff:value`` markers) are what ``scripts/gen_readme.py`` generates today;
- every ```python snippet runs as written, from the repository's top folder;
- every ```console block that shows the output of an ``apidiff`` command shows what it prints (``…``
  stands for lines or text left out);
- every ``apidiff`` command shown in a shell, console or YAML block names a real subcommand, real
  options and real choices;
- the rule count is written only inside a marker;
- ``python -m apidiff`` is the command.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest

from apidiff.cli import main as cli_main
from apidiff.formats import all_rules
from tests.conftest import ROOT

SHELL_BLOCKS = frozenset({"sh", "shell", "bash", "console", "yaml", "yml"})
ELLIPSIS = "…"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_readme", ROOT / "scripts" / "gen_readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_readme", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()
DOCS: list[Path] = GEN.doc_files()


def _blocks(*infos: str) -> list[tuple[str, str]]:
    """(``file:line``, code) of every code block of these languages in the docs."""
    found = []
    for path in DOCS:
        for block in GEN.code_blocks(path.read_text(encoding="utf-8")):
            if block.info in infos:
                found.append((f"{path.relative_to(ROOT).as_posix()}:{block.line}", block.code))
    return found


PYTHON = _blocks("python")
SHELLISH = _blocks(*SHELL_BLOCKS)


# -- generated excerpts ----------------------------------------------------------------------------

def test_the_generated_excerpts_are_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_readme.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{done.stdout}{done.stderr}\nrun: python scripts/gen_readme.py"


def test_markers_are_filled_in_and_checked(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    text = ("We have <!-- apidiff:value rules -->1<!-- /apidiff:value --> rules.\n\n"
            "<!-- apidiff:run head=2 apidiff diff examples/petstore/v1.yaml examples/petstore/v2.yaml -->\n"
            "stale\n<!-- /apidiff:run -->\n\n"
            "```python\nprint('a ``` b')\n```\n\n<!-- apidiff:python -->\n<!-- /apidiff:python -->\n")
    doc.write_text(text, encoding="utf-8")
    assert GEN.main(["--check", str(doc)]) == 1
    assert doc.read_text(encoding="utf-8") == text  # --check changes nothing
    assert GEN.main([str(doc)]) == 0
    assert doc.read_text(encoding="utf-8") == (
        f"We have <!-- apidiff:value rules -->{len(all_rules())}<!-- /apidiff:value --> rules.\n\n"
        "<!-- apidiff:run head=2 apidiff diff examples/petstore/v1.yaml examples/petstore/v2.yaml -->\n"
        "```text\nexamples/petstore/v1.yaml → examples/petstore/v2.yaml (openapi, mode backward)\n"
        f"{_summary_line()}\n…\n```\n<!-- /apidiff:run -->\n\n"
        "```python\nprint('a ``` b')\n```\n\n<!-- apidiff:python -->\n```text\na ``` b\n```\n"
        "<!-- /apidiff:python -->\n")
    assert GEN.main(["--check", str(doc)]) == 0


def test_excerpt_options() -> None:
    output = "".join(f"{n}\n" for n in range(1, 7))
    assert GEN.excerpt(output, GEN.Options(head=2), ()) == "```text\n1\n2\n…\n```\n"
    assert GEN.excerpt(output, GEN.Options(tail=2), ()) == "```text\n…\n5\n6\n```\n"
    assert GEN.excerpt(output, GEN.Options(head=1, tail=1, lang="json"), ()) == "```json\n1\n…\n6\n```\n"
    assert GEN.excerpt(output, GEN.Options(head=6), ()) == f"```text\n{output}```\n"
    assert GEN.excerpt("# a\n\nb\n", GEN.Options(quote=True), ()) == "> # a\n>\n> b\n"
    assert GEN.excerpt("x\n", GEN.Options(console=True), ["apidiff", "rules", "a b"]) == \
        "```console\n$ apidiff rules 'a b'\nx\n```\n"
    assert GEN.excerpt("```yaml\na: 1\n```\n", GEN.Options(lang="markdown"), ()) == \
        "````markdown\n```yaml\na: 1\n```\n````\n"


def _summary_line() -> str:
    from apidiff import compare

    summary = compare(str(ROOT / "examples/petstore/v1.yaml"), str(ROOT / "examples/petstore/v2.yaml")).summary
    return f"{summary['breaking']} breaking, {summary['dangerous']} dangerous, {summary['safe']} safe"


@pytest.mark.parametrize("text", [
    "<!-- apidiff:run apidiff diff a b -->\nno end\n",
    "<!-- apidiff:run bogus=1 apidiff rules -->\n<!-- /apidiff:run -->\n",
    "<!-- apidiff:run apidiff rules | head -->\n<!-- /apidiff:run -->\n",
    "<!-- apidiff:python -->\n<!-- /apidiff:python -->\n",
    "<!-- apidiff:value nothing -->1<!-- /apidiff:value -->\n",
    "<!-- apidiff:run apidiff diff missing.yaml other.yaml -->\n<!-- /apidiff:run -->\n",
])
def test_a_bad_marker_is_an_error_that_names_its_line(tmp_path: Path, text: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("# title\n\n" + text, encoding="utf-8")
    assert GEN.main(["--check", str(doc)]) == 2
    assert f"{doc}:3: " in capsys.readouterr().err


# -- python snippets -------------------------------------------------------------------------------

def test_there_are_python_snippets() -> None:
    assert {where.split(":")[0] for where, _ in PYTHON} >= {"README.md", "docs/python-api.md"}


@pytest.mark.parametrize(("where", "code"), PYTHON, ids=[where for where, _ in PYTHON])
def test_python_snippet_runs_as_written(where: str, code: str) -> None:
    try:
        GEN.run_python(code)
    except GEN.MarkerError as exc:
        pytest.fail(f"{where}: {exc}")


# -- console blocks --------------------------------------------------------------------------------

def _console_commands() -> list[tuple[str, list[str], list[str]]]:
    """(where, the command's words, the output lines shown) of each ``$ apidiff`` that shows output."""
    found = []
    for where, code in _blocks("console"):
        lines = code.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                i += 1
                continue
            command = lines[i][2:]
            while command.endswith("\\") and i + 1 < len(lines):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            words = shlex.split(command)
            if words and words[0] == "apidiff" and any(line.strip() for line in output):
                found.append((where, words, output))
    return found


CONSOLE = _console_commands()


def excerpt_problem(shown: list[str], actual: list[str]) -> str | None:
    """Why ``shown`` is not an excerpt of ``actual``, or None. An excerpt's lines appear in order; a line
    ``…`` stands for lines left out (at the start or the end: otherwise the first and last lines must be
    the output's), and ``…`` inside a line for text left out of it."""
    shown = [line.rstrip() for line in shown]
    while shown and not shown[-1]:
        shown.pop()
    actual = [line.rstrip() for line in actual]
    patterns = [None if line.strip() == ELLIPSIS else
                re.compile(".*".join(re.escape(part) for part in line.split(ELLIPSIS))) for line in shown]
    at = 0
    for number, pattern in enumerate(patterns):
        if pattern is None:
            continue
        if number == 0 and not (actual and pattern.fullmatch(actual[0])):
            return f"the output starts with {actual[0] if actual else '(nothing)'!r}, not {shown[0]!r}"
        found = next((k for k in range(at, len(actual)) if pattern.fullmatch(actual[k])), None)
        if found is None:
            return f"not in the output (in this order): {shown[number]!r}"
        at = found + 1
    if patterns and patterns[-1] is not None and at != len(actual):
        return f"the output goes on after {shown[-1]!r} (end the excerpt with a line {ELLIPSIS})"
    return None


def test_excerpts_match_as_documented() -> None:
    actual = ["a", "b", "c: long text", "d"]
    assert excerpt_problem(["a", "c: …", "d"], actual) is None
    assert excerpt_problem(["a", "…"], actual) is None
    assert excerpt_problem(["…", "d"], actual) is None
    assert excerpt_problem(["b", "…"], actual) is not None
    assert excerpt_problem(["a", "d", "c: long text"], actual) is not None
    assert excerpt_problem(["a", "b"], actual) is not None


@pytest.mark.parametrize(("where", "words", "output"), CONSOLE, ids=[where for where, _, _ in CONSOLE])
def test_console_block_shows_what_the_command_prints(where: str, words: list[str], output: list[str]) -> None:
    try:
        actual = GEN.run_command(words)
    except GEN.MarkerError as exc:
        pytest.fail(f"{where}: {exc}")
    problem = excerpt_problem(output, actual.splitlines())
    assert problem is None, f"{where}: `{shlex.join(words)}`: {problem}"


# -- commands and options --------------------------------------------------------------------------

INVOCATION = re.compile(r"(?:^|(?<=[\s;&|(]))apidiff\s+(?P<command>[a-z][\w-]*)(?P<rest>[^\n]*)")


def _invocations() -> list[tuple[str, str, str]]:
    """(where, subcommand, the rest of the line) of each ``apidiff SUBCOMMAND`` in shell-like blocks."""
    found = []
    for where, code in SHELLISH:
        logical: list[str] = []
        for line in code.splitlines():
            if logical and (logical[-1].endswith("\\") or (line[:1].isspace() and line.strip().startswith("["))):
                logical[-1] = logical[-1].removesuffix("\\") + " " + line.strip()
            else:
                logical.append(line)
        for line in logical:
            line = re.sub(r"^\s*(?:-\s+|\$\s+)", "", line)
            for m in INVOCATION.finditer(line):
                rest = re.split(r"\s(?:\||\|\||&&|;|#)\s|\s#", m.group("rest"))[0]
                found.append((where, m.group("command"), rest))
    return found


INVOCATIONS = _invocations()


def test_there_are_commands_to_check() -> None:
    assert {command for _, command, _ in INVOCATIONS} >= {"diff", "guide", "plan", "changelog", "impact", "rules"}


def _problems(command: str, rest: str) -> list[str]:
    group = cli_main
    assert isinstance(group, click.Group)
    sub = group.commands.get(command)
    if sub is None:
        return [f"no subcommand {command!r}"]
    options = {name: param for param in sub.params if isinstance(param, click.Option)
               for name in (*param.opts, *param.secondary_opts)}
    problems = []
    tokens = rest.split()
    for i, token in enumerate(tokens):
        for name in re.findall(r"(?<![\w-])--[a-z][\w-]*", token):
            if name == "--help":
                continue
            if name not in options:
                problems.append(f"apidiff {command} has no option {name}")
                continue
            kind = options[name].type
            following = tokens[i + 1].strip("[]") if i + 1 < len(tokens) and token.strip("[]") == name else ""
            if isinstance(kind, click.Choice) and re.fullmatch(r"[a-z]+(\|[a-z]+)*", following):
                problems += [f"apidiff {command} {name}: {value!r} is not one of {', '.join(kind.choices)}"
                             for value in following.split("|") if value not in kind.choices]
    return problems


@pytest.mark.parametrize(("where", "command", "rest"), INVOCATIONS,
                         ids=[f"{where}-{command}" for where, command, _ in INVOCATIONS])
def test_commands_in_the_docs_have_these_options(where: str, command: str, rest: str) -> None:
    assert _problems(command, rest) == [], f"{where}: apidiff {command}{rest}"


def test_the_option_check_sees_a_wrong_option() -> None:
    assert _problems("guide", " OLD NEW --usage-only") == ["apidiff guide has no option --usage-only"]
    assert _problems("diff", " OLD NEW [--format text|pdf]") == [
        "apidiff diff --format: 'pdf' is not one of text, markdown, json, html, sarif, junit, github"]
    assert _problems("nothing", "") == ["no subcommand 'nothing'"]


# -- figures ---------------------------------------------------------------------------------------

def test_the_rule_count_is_written_only_inside_a_marker() -> None:
    count = len(all_rules())
    literal = re.compile(rf"(?<![\w.:,]){count}(?![\w.:,])(?:\s+\w+)?\s+rules?\b")
    bad = []
    for path in DOCS:
        text = GEN.VALUE.sub("", GEN.BLOCK.sub("", path.read_text(encoding="utf-8")))
        bad += [f"{path.relative_to(ROOT)}: {m.group(0)!r}" for m in literal.finditer(text)]
    assert bad == [], "write the rule count as <!-- apidiff:value rules -->N<!-- /apidiff:value -->"


def test_python_m_apidiff_is_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "apidiff", "rules"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0 and f"\n{len(all_rules())} rules." in done.stdout
    done = subprocess.run([sys.executable, "-m", "apidiff", "guide", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.startswith("Usage: apidiff guide ")
    assert "--usage-only" not in done.stdout  # a guide does not fail: the option did nothing
