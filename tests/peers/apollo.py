"""Apollo's own composition (``@apollo/composition`` from npm), run as the oracle of the federation tests.

Installed once into a scratch folder (``$APIDIFF_PEERS`` or ``~/.cache/apidiff-peers``), never a dependency of
apidiff; ``.ci/run`` installs it before the tests. Where npm is missing or cannot reach its registry, the tests
that need it are skipped with that reason.
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
PACKAGES = ("@apollo/composition@2.14.4", "@apollo/federation-internals@2.14.4", "graphql@16.15.0")
COMPOSE = Path(__file__).with_name("compose.js")


def install(folder: Path = PEERS / "apollo") -> Path:
    """The folder holding ``node_modules/@apollo/composition``, installed if needed (or skip the test)."""
    if (folder / "node_modules" / "@apollo" / "composition").is_dir():
        return folder
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node/npm are not installed: Apollo's composition cannot be run")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent",
                           *PACKAGES], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"npm could not install @apollo/composition: {last[0]}")
    return folder


def compose(subgraphs: dict[str, Path]) -> dict[str, Any]:
    """Apollo's answer for these subgraphs: ``{"supergraph", "api", "hints"}`` or ``{"errors": [...]}``."""
    folder = install()
    env = {**os.environ, "NODE_PATH": str(folder / "node_modules")}
    done = subprocess.run(["node", str(COMPOSE), *(f"{name}={path}" for name, path in subgraphs.items())],
                          capture_output=True, text=True, timeout=300, env=env, check=True)
    return dict(json.loads(done.stdout))
