"""The indexes that keep plans and guides linear give what the scans they replace gave."""

from __future__ import annotations

import random
from typing import Any

from apidiff.formats.openapi.places import component_of, under
from apidiff.formats.openapi.plan import _dump, _more_lines_than


def test_component_of_is_the_longest_enclosing_name() -> None:
    schemas = {"Pet", "Pet.owner", "io.k8s.Pod", "io", "A B", ""}
    for subject in ("Pet", "Pet.owner.name", "Pet.ownerX", "Pet[]", "io.k8s.Pod.spec", "io.k8s", "A B{*}", "X",
                    " Pet", ".x", "Pet not", "Petowner"):
        brute = max((n for n in schemas if under(n, subject)), key=len, default=None)
        assert component_of(subject, schemas) == brute, subject


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(["a", "multi\nline", "", 1, None, True, [], {}, "x" * 130])
    if roll < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 6))]
    return {f"k{i}" * rng.randint(1, 50): _value(rng, depth + 1) for i in range(rng.randint(0, 6))}


def test_more_lines_than_counts_like_the_dump() -> None:
    rng = random.Random(3)
    for _ in range(400):
        value = {"key": _value(rng)}
        if rng.random() < 0.2:  # a shared list dumps as an alias after its first occurrence
            shared = [1, 2, 3, 4, 5, 6, 7]
            value = {"a": shared, "b": shared, "c": {"d": shared}}
        for limit in (0, 3, 12):
            assert _more_lines_than(value, limit) == (len(_dump(value, False).splitlines()) > limit)
