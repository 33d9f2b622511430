"""buf's own breaking-change checker (``@bufbuild/buf`` from npm), run as the oracle of the Protobuf tests.

Installed once into a scratch folder (``$APIDIFF_PEERS`` or ``~/.cache/apidiff-peers``), never a dependency of
apidiff. Where npm is missing or cannot reach its registry, the tests that need it are skipped with that reason.
The fixtures it is compared on are buf's own, in ``tests/formats/protobuf/buf_cases`` (see the NOTICE there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

PEERS = Path(os.environ.get("APIDIFF_PEERS") or Path.home() / ".cache" / "apidiff-peers")
VERSION = "1.75.0"
PACKAGE = f"@bufbuild/buf@{VERSION}"
FOUND = 100
"""buf's exit status when it reports file annotations (breaking changes, or compile errors): not a failure here."""
DEFAULTS: dict[str, Any] = {"path": "", "start_line": 0, "start_column": 0, "end_line": 0, "end_column": 0,
                            "type": "", "message": ""}
"""buf's JSON leaves out empty fields (``omitempty``); each violation gets them back with Go's zero values."""
FORMATS = (".binpb", ".bin", ".json", ".txtpb", ".yaml", ".yml", ".tar", ".tgz", ".gz", ".zst", ".zip", ".proto",
           ".git")
"""Suffixes from which buf infers an input's format; a file with any other is read as a binary image."""
DEFAULT_CONFIG = '{"version": "v2"}'
"""buf's defaults, given outright to a directory without its own ``buf.yaml``/``buf.work.yaml``: else buf would take
the configuration of a ``buf.yaml`` in any enclosing folder (and refuse the directory as a part of that module)."""


class BufError(RuntimeError):
    """buf ended with a status other than 0 or 100; the message carries its stderr."""

    def __init__(self, command: list[str], returncode: int, stderr: str) -> None:
        super().__init__(f"{' '.join(command)} exited {returncode}: {stderr.strip() or 'no output'}")
        self.command = command
        self.returncode = returncode
        self.stderr = stderr


def _installed(folder: Path) -> bool:
    manifest = folder / "node_modules" / "@bufbuild" / "buf" / "package.json"
    if not (folder / "node_modules" / ".bin" / "buf").exists() or not manifest.is_file():
        return False
    return bool(json.loads(manifest.read_text(encoding="utf-8")).get("version") == VERSION)


def install(folder: Path = PEERS / "buf") -> Path:
    """The folder holding ``node_modules/.bin/buf`` at the pinned version, installed if needed (or skip the test)."""
    if _installed(folder):
        return folder
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node/npm are not installed: buf cannot be run")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent", PACKAGE],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not _installed(folder):
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"npm could not install {PACKAGE}: {last[0]}")
    return folder


def binary() -> Path:
    """The ``buf`` executable: the platform's native binary npm installed beside the launcher when there is one
    (a node start-up less per run, ~0.3 s of the suite's ~500 buf runs), else npm's launcher, a node script."""
    folder = install()
    native = sorted((folder / "node_modules" / "@bufbuild").glob("buf-*/bin/buf"))
    if native and os.access(native[0], os.X_OK):
        return native[0]
    if shutil.which("node") is None:
        pytest.skip("node is not installed: buf's npm launcher cannot be run")
    return folder / "node_modules" / ".bin" / "buf"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode not in (0, FOUND):
        raise BufError(command, done.returncode, done.stderr)
    return done


def _located(input: Path) -> tuple[Path, str]:
    """Where to run buf and what to name the input there, so that paths come out relative to the input.

    A directory is run from inside itself as ``.``: buf then prints paths relative to it, and ``--config``
    (which makes the working directory the module's root) applies to it.
    """
    input = input.resolve()
    return (input, ".") if input.is_dir() else (input.parent, _reference(input))


def _reference(input: Path) -> str:
    """``input`` (absolute) as buf should read it: a file whose suffix tells buf nothing is a binary image."""
    input = input.resolve()
    return f"{input}#format=binpb" if input.is_file() and input.suffix.lower() not in FORMATS else str(input)


def _configless(input: Path) -> bool:
    input = input.resolve()
    return input.is_dir() and not any((input / name).is_file() for name in ("buf.yaml", "buf.work.yaml"))


def breaking(current: Path, against: Path, *, config: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """buf's violations for ``buf breaking <current> --against <against>``, in buf's order.

    Each is buf's JSON annotation (``path``, ``start_line``, ``start_column``, ``end_line``, ``end_column``,
    ``type`` (the rule id), ``message``, and ``plugin``/``policy`` when set), absent fields filled with ``""``/``0``.
    ``path`` is relative to ``current`` as a directory (it includes a v1beta1 ``build.roots`` folder), ``""`` for a
    deleted file; an annotation with no location has lines and columns 1. ``config`` replaces ``current``'s
    ``buf.yaml`` (``--config``, e.g. ``{"version": "v2", "breaking": {"use": ["WIRE_JSON"]}}``); ``against`` is
    always read with its own. A directory without a ``buf.yaml``, and an image given as ``current``, are checked
    with buf's default rules (the ``FILE`` category). Compile errors come back as violations of type ``COMPILE``;
    any other failure of buf raises :class:`BufError`.
    """
    cwd, target = _located(current)
    command = [str(binary()), "breaking", target, "--against", _reference(against), "--error-format", "json"]
    if config is not None:
        command += ["--config", json.dumps(config)]
    elif _configless(current):
        command += ["--config", DEFAULT_CONFIG]
    if _configless(against):
        command += ["--against-config", DEFAULT_CONFIG]
    done = _run(command, cwd)
    violations = [{**DEFAULTS, **json.loads(line)} for line in done.stdout.splitlines() if line.strip()]
    if done.returncode == FOUND and not violations:
        raise BufError(command, done.returncode, done.stderr)
    return violations


def build(input: Path, out: Path) -> Path:
    """``buf build <input> -o <out>``: ``out``, a binary image (``binpb``) whatever its suffix."""
    cwd, target = _located(input)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [str(binary()), "build", target, "-o", f"{out}#format=binpb", "--error-format", "json"]
    if _configless(input):
        command += ["--config", DEFAULT_CONFIG]
    done = _run(command, cwd)
    if done.returncode != 0:
        raise BufError(command, done.returncode, done.stdout + done.stderr)
    return out
