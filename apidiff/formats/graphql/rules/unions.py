"""Union members and implemented interfaces: which concrete types a client may receive."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, Policy, rule
from apidiff.formats.graphql.model import Member
from apidiff.formats.graphql.rules._base import example

_U = "type A {{ a: Int }} type B {{ b: Int }} union U = {members} type Query {{ u: U }}"
_I = "interface N {{ id: ID }} type A {implements}{{ id: ID }} type Query {{ a: A n: N }}"


@rule(id="union-member-added", kind="union-member", mirror="union-member-removed", severity=DANGEROUS,
      message="type {member} was added to union {owner}",
      example=example(_U.format(members="A"), _U.format(members="A | B")),
      equivalents=("graphql-inspector UNION_MEMBER_ADDED", "graphql-core TYPE_ADDED_TO_UNION"))
def union_member_added(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A type was added to a union.

    Old clients select fields with fragments per member type; a value of the new type reaches
    them with only `__typename`, which code written for the known members may not handle.

    ## Safe rollout
    Tell consumers first and make sure they handle unknown `__typename` values; then return
    the new member.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"member": pair.new.name})


@rule(id="union-member-removed", kind="union-member", mirror="union-member-added", severity=BREAKING,
      message="type {member} was removed from union {owner}",
      example=example(_U.format(members="A | B"), _U.format(members="A")),
      equivalents=("graphql-inspector UNION_MEMBER_REMOVED", "graphql-core TYPE_REMOVED_FROM_UNION"))
def union_member_removed(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """A type was removed from a union.

    Operations with a fragment on the removed member (`... on B`) inside the union no longer
    validate.

    ## Safe rollout
    Stop returning the member first (clients keep their fragment, which simply never matches),
    announce the removal, and remove it from the union after the sunset.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"member": pair.old.name})


@rule(id="interface-added", kind="interface", mirror="interface-removed", severity=DANGEROUS,
      message="{owner} now implements interface {interface}",
      example=example(_I.format(implements=""), _I.format(implements="implements N ")),
      equivalents=("graphql-inspector OBJECT_TYPE_INTERFACE_ADDED", "graphql-core IMPLEMENTED_INTERFACE_ADDED"))
def interface_added(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """An object or interface type now implements an interface.

    Fields that return the interface may now return values of this type, which old clients
    see with only the interface's fields and an unknown `__typename`.

    ## Safe rollout
    Tell consumers that the interface has a new implementation before returning it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"interface": pair.new.name})


@rule(id="interface-removed", kind="interface", mirror="interface-added", severity=BREAKING,
      message="{owner} no longer implements interface {interface}",
      example=example(_I.format(implements="implements N "), _I.format(implements="")),
      equivalents=("graphql-inspector OBJECT_TYPE_INTERFACE_REMOVED", "graphql-core IMPLEMENTED_INTERFACE_REMOVED"))
def interface_removed(pair: Pair[Member], policy: Policy) -> Iterator[Hit]:
    """An object or interface type no longer implements an interface.

    Fragments on the type inside a selection of the interface (`... on A` under `n: N`) no
    longer validate, and values of the type are no longer returned where the interface is.

    ## Safe rollout
    Announce the change, stop returning the type through the interface, then remove the
    `implements` clause after the sunset.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"interface": pair.old.name})
