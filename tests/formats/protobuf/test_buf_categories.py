"""Parity with ``buf breaking`` under each of buf's categories, from source folders and from images.

Every case of ``buf_cases/`` is checked again under ``FILE``, ``PACKAGE``, ``WIRE_JSON`` and ``WIRE``: buf with
the case's own ``buf.yaml`` whose ``breaking.use`` is replaced by the category (``--config``), apidiff with
``profile=<category>`` (which replaces ``use`` and keeps ``except``, ``ignore`` and ``ignore_unstable_packages``
in the same way). Then from images: both sides built with ``buf build`` into binary images, buf run on the two
images with the category as its config, apidiff run on the two image files with the same profile. An image
carries no ``buf.yaml``, so the image runs take the cases whose ``breaking`` section says nothing but ``use``.
The failing sets, rule and file, must be equal.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from apidiff import compare, load
from apidiff.formats.protobuf.model import Breaking, ProtoApi
from apidiff.formats.protobuf.profiles import in_force
from tests.formats.protobuf.test_buf_parity import ALL, CASES, expected, violations
from tests.peers import buf

CATEGORIES = ("FILE", "PACKAGE", "WIRE_JSON", "WIRE")
Violations = Counter[tuple[str, str]]


def _config(case: Path, category: str) -> dict[str, Any]:
    """The case's ``buf.yaml`` (or buf's default one) with ``breaking.use`` set to ``category``."""
    path = case / "current" / "buf.yaml"
    config: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    config = dict(config or {})
    config.setdefault("version", "v1" if path.is_file() else "v2")
    config["breaking"] = {**(config.get("breaking") or {}), "use": [category]}
    return config


def _plain(case: Path) -> bool:
    """Whether an image of the case keeps everything buf checks: one module at the folder's root, and a
    ``breaking`` section that only chooses rules."""
    path = case / "current" / "buf.yaml"
    if not path.is_file():
        return True
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return set(config.get("breaking") or {}) <= {"use"} and not (config.get("build") or {}).get("roots") \
        and "modules" not in config


def _buf(current: Path, previous: Path, config: dict[str, Any]) -> Violations:
    return Counter((v["type"], Path(v["path"]).name if v["path"] else "")
                   for v in buf.breaking(current, previous, config=config))


def _apidiff(current: Path, previous: Path, category: str) -> Violations:
    report = compare(str(previous), str(current), profile=category)
    new = load(str(current))
    assert isinstance(new, ProtoApi)
    return violations(report.changes, in_force(new.breaking if current.is_dir() else Breaking(), category))


SOURCE = [(c["dir"], cat) for c in sorted(ALL, key=lambda c: c["dir"]) for cat in CATEGORIES]
IMAGES = [(d, cat) for d, cat in SOURCE if _plain(CASES / d)]


@pytest.fixture(scope="module")
def peer() -> Path:
    return buf.install()


@pytest.fixture(scope="module")
def images(peer: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("images")
    return {d: (buf.build(CASES / d / "previous", root / d / "previous.binpb"),
                buf.build(CASES / d / "current", root / d / "current.binpb"))
            for d in sorted({d for d, _ in IMAGES})}


def test_the_matrix_is_large() -> None:
    # the issue asks for at least 80 trees per category and input kind, counted across categories
    assert len(SOURCE) >= 200 and len(IMAGES) >= 80, (len(SOURCE), len(IMAGES))


@pytest.mark.parametrize(("case", "category"), SOURCE)
def test_source_folders_fail_what_buf_fails(case: str, category: str, peer: Path) -> None:
    folder = CASES / case
    want = expected(case, _buf(folder / "current", folder / "previous", _config(folder, category)))
    got = _apidiff(folder / "current", folder / "previous", category)
    assert got == want, f"missing {sorted((want - got).items())}, extra {sorted((got - want).items())}"


@pytest.mark.parametrize(("case", "category"), IMAGES)
def test_images_fail_what_buf_fails(case: str, category: str, images: dict[str, tuple[Path, Path]]) -> None:
    previous, current = images[case]
    want = expected(case, _buf(current, previous, {"version": "v2", "breaking": {"use": [category]}}))
    got = _apidiff(current, previous, category)
    assert got == want, f"missing {sorted((want - got).items())}, extra {sorted((got - want).items())}"
