"""Fingerprints of model values: equal values share one, so equal elements are found in linear time."""

from __future__ import annotations

import random
from enum import Enum

from apidiff.core.direction import Direction
from apidiff.core.fingerprint import EqualClasses, fingerprint
from apidiff.core.location import Location
from apidiff.formats.jsonschema.model import Schema


class Color(str, Enum):
    RED = "red"


def test_equal_values_share_a_fingerprint() -> None:
    a = Schema(types=frozenset({"object"}), properties={"x": Schema(location=Location("a.json"))},
               location=Location("a.json", 1, 1))
    b = Schema(types=frozenset({"object"}), properties={"x": Schema(location=Location("b.yaml", 9, 9))},
               location=Location("b.yaml"))
    assert a == b and fingerprint(a) == fingerprint(b)  # locations take no part
    assert Color.RED == "red" and fingerprint(Color.RED) == fingerprint("red")  # equal, unlike their hashes
    assert fingerprint({"a": [1, 2], "b": {3}}) == fingerprint({"b": {3}, "a": [1, 2]})
    assert fingerprint(Direction.INPUT) != fingerprint(Direction.OUTPUT)


def test_classes_number_equal_values_alike() -> None:
    rng = random.Random(7)
    values = [Schema(types=frozenset(rng.sample(["string", "integer"], rng.randint(0, 2))),
                     max_length=rng.choice([None, 1, 2]), properties={"p": Schema(location=Location("f"))}
                     if rng.random() < 0.5 else {}, location=Location("f", i))
              for i in range(300)]
    classes = EqualClasses()
    numbers = [classes.of(v) for v in values]
    for i in range(0, 300, 7):
        for j in range(300):
            assert (numbers[i] == numbers[j]) == (values[i] == values[j])
    unhashable = [[1], [1], [2]]
    assert [classes.of(v) for v in unhashable][:2] == [classes.of([1])] * 2
