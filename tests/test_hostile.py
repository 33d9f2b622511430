"""Hostile documents through the command line: each ends with exit code 2 and one line naming the
file, never a traceback, never a hang (the subprocess timeout is the hang detector)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
OP = ("paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
      "          content:\n            application/json:\n              schema:\n")


def _bomb() -> str:
    lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev = chr(96 + i)
        lines.append(f"x-{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + prev] * 9)}]")
    return HEAD + "paths: {}\n" + "\n".join(lines) + "\n"


CASES = {
    "billion-laughs.yaml": (_bomb, "alias"),
    "deep-flow.yaml": (lambda: HEAD + "paths: {}\nx-deep: " + "[" * 100_000 + "]" * 100_000 + "\n", "nests"),
    "deep.json": (lambda: '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x": '
                  + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}", "nests"),
    "deep-schema.json": (lambda: '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": '
                         '{"get": {"responses": {"200": {"description": "ok", "content": {"application/json": '
                         '{"schema": ' + '{"type": "array", "items": ' * 900 + "{}" + "}" * 900
                         + "}}}}}}}}", "nest"),
    "ref-cycle.yaml": (lambda: HEAD + OP + "                $ref: '#/components/schemas/A'\n"
                       "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
                       "    B: {$ref: '#/components/schemas/A'}\n", "cycle of refs"),
    "passwd.yaml": (lambda: HEAD + OP + "                $ref: '../../etc/passwd'\n", "outside"),
    "remote.yaml": (lambda: HEAD + OP + "                $ref: 'http://169.254.169.254/latest/meta-data'\n",
                    "network"),
    "not-yaml.yaml": (lambda: HEAD + "paths: [unclosed\n", "invalid YAML"),
    "binary.yaml": (lambda: "\udcff", "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_document_is_a_one_line_error(tmp_path: Path, name: str) -> None:
    build, words = CASES[name]
    path = tmp_path / "specs" / name
    path.parent.mkdir()
    path.write_bytes(build().encode("utf-8", "surrogateescape"))
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(path), str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout[-500:] + proc.stderr[-500:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith(f"apidiff: error: {path}"), lines[0]
    assert words in lines[0]
