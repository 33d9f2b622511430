"""JSON Schema, normalized: the schema language that OpenAPI uses today, and AsyncAPI and
standalone ``.schema.json`` files next. Pure data, frozen and slotted; compared without locations.

Named schemas live in the host document (OpenAPI components, a schema in another file reached by
``$ref``) and are referenced by :attr:`Schema.ref`; everything else is inline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from apidiff.core.location import Location
from apidiff.core.model import Deprecation

__all__ = ["JSON_TYPES", "Bound", "Discriminator", "Number", "Schema", "comparable", "nested", "number_text"]

Number = int | float | Decimal  # as written: a Decimal where a float would lose digits (see apidiff.core._yaml)

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


@dataclass(frozen=True, slots=True)
class Bound:
    """A numeric bound; ``exclusive`` for exclusiveMinimum/exclusiveMaximum."""

    value: Number
    exclusive: bool = False

    def __str__(self) -> str:
        number = number_text(self.value)
        return f"{number} (exclusive)" if self.exclusive else number


def comparable(a: Number, b: Number) -> tuple[Number, Number]:
    """Two numbers as they are written, for comparing: a float beside an exact decimal is taken as
    the decimal it reads as (``0.1``, not the binary value just above it)."""
    if isinstance(a, Decimal) != isinstance(b, Decimal):
        return (Decimal(repr(a)) if isinstance(a, float) else Decimal(a),
                Decimal(repr(b)) if isinstance(b, float) else Decimal(b))
    return a, b


def number_text(value: Number) -> str:
    """A number as written: ``100`` for ``100.0``, an exact decimal's own digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and value.bit_length() > 14_000:  # past Python's 4,300-digit limit on str(int)
        return str(Decimal(value))
    return str(value)


@dataclass(frozen=True, slots=True)
class Discriminator:
    property: str
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Schema:
    """A JSON Schema, normalized: ``nullable: true`` (3.0) and ``type: [x, "null"]`` (3.1) are both
    ``"null" in types``; ``allOf`` is merged where sound; enum values are canonical JSON text."""

    ref: str | None = None  # key in the host's named schemas; when set, the other fields are empty
    types: frozenset[str] = frozenset()  # empty: any type
    format: str | None = None
    enum: tuple[str, ...] | None = None
    const: str | None = None
    default: str | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None
    multiple_of: Number | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    items: Schema | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    properties: Mapping[str, Schema] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Schema | bool | None = None  # None: not said (open); False: closed
    min_properties: int | None = None
    max_properties: int | None = None
    min_contains: int | None = None
    max_contains: int | None = None
    extensible_enum: tuple[str, ...] | None = None  # x-extensible-enum: known values, more may come
    # JSON Schema 2020-12 keywords compared by value (canonical JSON): contains, if/then/else,
    # dependentRequired, dependentSchemas, patternProperties, propertyNames, prefixItems,
    # unevaluatedItems/Properties, contentEncoding, contentMediaType, contentSchema
    keywords: tuple[tuple[str, str], ...] = ()
    one_of: tuple[Schema, ...] = ()
    any_of: tuple[Schema, ...] = ()
    all_of: tuple[Schema, ...] = ()  # only what could not be merged
    not_: Schema | None = None
    discriminator: Discriminator | None = None
    read_only: bool = False
    write_only: bool = False
    deprecation: Deprecation | None = None
    stability: str | None = None  # x-stability-level of a property
    description: str | None = None
    title: str | None = None
    # an example value (``example``, or the first of ``examples``) as canonical JSON; documentation
    # for the migration guide's samples, so it takes no part in comparisons
    example: str | None = field(default=None, compare=False)
    location: Location = field(compare=False)

    @property
    def nullable(self) -> bool:
        return "null" in self.types

    def type_label(self) -> str:
        named = sorted(self.types - {"null"})
        label = "|".join(named) if named else "any"
        if self.format:
            label += f" ({self.format})"
        return label


def nested(schema: Schema, *, properties: bool = True) -> Iterator[Schema]:
    """The schemas directly inside ``schema`` (properties unless ``properties=False``, items, not,
    additionalProperties, oneOf/anyOf/allOf branches); ``$ref`` targets are not followed."""
    if properties:
        yield from schema.properties.values()
    yield from (x for x in (schema.items, schema.not_) if x is not None)
    if isinstance(schema.additional, Schema):
        yield schema.additional
    yield from schema.one_of
    yield from schema.any_of
    yield from schema.all_of
