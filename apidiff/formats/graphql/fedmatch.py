"""Pairing the federation side of two graphs: subgraphs, entity keys, field facts, resolvers, tags, marks.

Subgraphs pair by name; two single subgraphs (one subgraph's SDL on each side, often named after
the file: ``v1``, ``v2``) pair whatever their names. The composed schema's own changes come from
:mod:`apidiff.formats.graphql.match`; these pairs carry what only the supergraph (the router and
the other subgraphs) feels, and the marks that contracts read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from apidiff.core.direction import Direction
from apidiff.core.location import Location
from apidiff.core.pair import Pair, pair_maps
from apidiff.formats.graphql.model import Federation, FieldFacts, GraphQLApi, Key, Mark, Subgraph, SubgraphField

__all__ = ["facts_text", "federation_pairs", "key_text", "override_text"]


def key_text(key: Key) -> str:
    """``@key(fields: "id")`` as written, with ``resolvable: false`` when it is."""
    extra = ", resolvable: false" if not key.resolvable else ""
    return f'@key(fields: "{key.fields}"{extra})'


def _resolver_index(sub: Mapping[str, Subgraph]) -> dict[str, frozenset[str]]:
    """Coordinate -> the subgraphs that resolve it (define it, not ``@external``), computed once per graph."""
    index: dict[str, set[str]] = {}
    for name, s in sub.items():
        for coordinate, f in s.fields.items():
            if not f.external:
                index.setdefault(coordinate, set()).add(name)
    return {c: frozenset(names) for c, names in index.items()}


def _subgraph_pairs(old: Federation, new: Federation) -> Iterator[tuple[str, Subgraph | None, Subgraph | None]]:
    if old.role == new.role == "subgraph" and len(old.subgraphs) == len(new.subgraphs) == 1:
        (o,), (n,) = old.subgraphs.values(), new.subgraphs.values()
        yield n.name, o, n
        return
    yield from pair_maps(old.subgraphs, new.subgraphs)


def federation_pairs(old_api: GraphQLApi, new_api: GraphQLApi) -> Iterator[Pair[object]]:
    """The federation pairs of two federated graphs (nothing when either side is plain GraphQL)."""
    old, new = old_api.federation, new_api.federation
    if old is None or new is None:
        return
    supergraphs = old.role == "supergraph" and new.role == "supergraph"
    o_resolvers, n_resolvers = _resolver_index(old.subgraphs), _resolver_index(new.subgraphs)
    nobody: frozenset[str] = frozenset()
    known = old.role != "subgraph" and new.role != "subgraph"
    for name, o_sub, n_sub in _subgraph_pairs(old, new):
        if o_sub is None or n_sub is None:
            yield Pair("subgraph", f"subgraph {name}", o_sub, n_sub, Direction.NONE)
            continue
        if o_sub == n_sub:
            continue
        if not supergraphs:  # a supergraph's keys and sharing were composed already: they are what it is
            yield from _keys(name, o_sub, n_sub, old, new, known)
        for coordinate, o_f, n_f in pair_maps(o_sub.fields, n_sub.fields):
            if o_f is None and n_f is not None and n_f.override is not None:
                # a field added with @override: the usual way to take a field over; only the override is judged
                o_f = dataclasses.replace(n_f, override=None, override_label=None)
            elif n_f is None and o_f is not None and o_f.override is not None:
                n_f = dataclasses.replace(o_f, override=None, override_label=None)  # removed with its override
            if o_f is None or n_f is None or o_f == n_f:
                continue
            if supergraphs:  # only the override is judged: sharing and @external follow from where fields are
                n_f = dataclasses.replace(n_f, shareable=o_f.shareable, external=o_f.external, requires=o_f.requires,
                                          provides=o_f.provides)
            o_side = SubgraphField(subgraph=name, coordinate=coordinate, facts=o_f, known=known,
                                   others=o_resolvers.get(coordinate, nobody) - {o_sub.name})
            n_side = SubgraphField(subgraph=name, coordinate=coordinate, facts=n_f, known=known,
                                   others=n_resolvers.get(coordinate, nobody) - {n_sub.name})
            # in a supergraph, only progressive override is a choice written there: the rest is composed
            if supergraphs and (o_f.override, o_f.override_label) == (n_f.override, n_f.override_label):
                continue
            yield Pair("subgraph-field", f"subgraph {name}: {coordinate}", o_side, n_side, Direction.NONE)
    if known:
        yield from _resolver_pairs(old_api, new_api, o_resolvers, n_resolvers)
    yield from _mark_pairs(old_api, new_api, old, new)


def _keys(name: str, o_sub: Subgraph, n_sub: Subgraph, old: Federation, new: Federation,
          known: bool) -> Iterator[Pair[object]]:
    for tname, o_t, n_t in pair_maps(o_sub.types, n_sub.types):
        o_keys = {k.fields: k for k in (o_t.keys if o_t else ())}
        n_keys = {k.fields: k for k in (n_t.keys if n_t else ())}
        if o_keys == n_keys:
            continue
        # the other subgraphs that declare the entity and would share no key with this one any more: the
        # router can no longer reach this subgraph's fields from theirs
        stranded = frozenset(
            s for s, sg in new.subgraphs.items() if s != n_sub.name and tname in sg.types
            and not {k.fields for k in sg.types[tname].keys} & set(n_keys))

        def mark(k: Key, tname: str = tname, users: frozenset[str] = stranded) -> Mark:
            return Mark(subgraph=name, coordinate=tname, text=key_text(k), location=k.location, others=users,
                        known=known)

        gone = sorted(o_keys.keys() - n_keys.keys())
        came = sorted(n_keys.keys() - o_keys.keys())
        if len(gone) == 1 and len(came) == 1 and o_t is not None and n_t is not None:
            # one key for another: its field set changed
            yield Pair("entity-key", f"subgraph {name}: {tname} @key", mark(o_keys[gone[0]]), mark(n_keys[came[0]]),
                       Direction.NONE)
            gone, came = [], []
        for fields, o_k, n_k in pair_maps(o_keys, n_keys):
            if o_k is not None and n_k is not None:
                if o_k.resolvable == n_k.resolvable:
                    continue
            elif fields not in gone and fields not in came:
                continue
            yield Pair("entity-key", f'subgraph {name}: {tname} @key(fields: "{fields}")',
                       mark(o_k) if o_k is not None else None, mark(n_k) if n_k is not None else None,
                       Direction.NONE)


def _resolver_pairs(old_api: GraphQLApi, new_api: GraphQLApi, o_index: Mapping[str, frozenset[str]],
                    n_index: Mapping[str, frozenset[str]]) -> Iterator[Pair[object]]:
    """Fields of the API schema, on both sides, whose set of resolving subgraphs changed."""
    for tname, o_t in old_api.types.items():
        n_t = new_api.types.get(tname)
        if n_t is None:
            continue
        for fname, n_f in n_t.fields.items():
            if fname not in o_t.fields:
                continue
            coordinate = f"{tname}.{fname}"
            o_r, n_r = o_index.get(coordinate), n_index.get(coordinate)
            if o_r and n_r and o_r != n_r:
                yield Pair("field-resolvers", coordinate,
                           Mark(subgraph=", ".join(sorted(o_r)), coordinate=coordinate, text="",
                                location=o_t.fields[fname].location, others=o_r, known=True),
                           Mark(subgraph=", ".join(sorted(n_r)), coordinate=coordinate, text="",
                                location=n_f.location, others=n_r, known=True), Direction.NONE)


def _present(api: GraphQLApi, fed: Federation, coordinate: str) -> bool:
    """The element exists in the graph (hidden from clients or not)."""
    head, _, rest = coordinate.partition(".")
    if not rest:
        return head in api.types or head in fed.inaccessible
    return coordinate in fed.marked_at or (head in api.types and (
        rest.split("(", 1)[0] in api.types[head].fields or rest in api.types[head].input_fields
        or rest in api.types[head].values))


def _mark_pairs(old_api: GraphQLApi, new_api: GraphQLApi, old: Federation,
                new: Federation) -> Iterator[Pair[object]]:
    """``@tag`` names and ``@inaccessible`` marks that changed on elements the graph has on both sides."""
    for coordinate in sorted(old.tags.keys() | new.tags.keys() | old.inaccessible | new.inaccessible):
        if not (_present(old_api, old, coordinate) and _present(new_api, new, coordinate)):
            continue
        o_loc = old.marked_at.get(coordinate) or Location(old_api.source)
        n_loc = new.marked_at.get(coordinate) or Location(new_api.source)
        o_tags, n_tags = set(old.tags.get(coordinate, ())), set(new.tags.get(coordinate, ()))
        for tag in sorted(o_tags ^ n_tags):
            sides = [Mark(subgraph="", coordinate=coordinate, text=tag, location=loc) if tag in have else None
                     for have, loc in ((o_tags, o_loc), (n_tags, n_loc))]
            yield Pair("tag", f'{coordinate} @tag(name: "{tag}")', sides[0], sides[1], Direction.NONE)
        o_hidden, n_hidden = coordinate in old.inaccessible, coordinate in new.inaccessible
        if o_hidden != n_hidden:
            sides = [Mark(subgraph="", coordinate=coordinate, text="@inaccessible", location=loc) if hidden
                     else None for hidden, loc in ((o_hidden, o_loc), (n_hidden, n_loc))]
            yield Pair("inaccessible", f"{coordinate} @inaccessible", sides[0], sides[1], Direction.NONE)


def facts_text(facts: FieldFacts) -> str:
    """The federation directives on a field, as written: ``@shareable @requires(fields: "w")``."""
    parts = []
    if facts.shareable:
        parts.append("@shareable")
    if facts.external:
        parts.append("@external")
    if facts.requires is not None:
        parts.append(f'@requires(fields: "{facts.requires}")')
    if facts.provides is not None:
        parts.append(f'@provides(fields: "{facts.provides}")')
    if facts.override is not None:
        parts.append(override_text(facts))
    return " ".join(parts)


def override_text(facts: FieldFacts) -> str:
    """``@override(from: "x", label: "percent(10)")``, or "no @override"."""
    if facts.override is None:
        return "no @override"
    label = f', label: "{facts.override_label}"' if facts.override_label else ""
    return f'@override(from: "{facts.override}"{label})'
