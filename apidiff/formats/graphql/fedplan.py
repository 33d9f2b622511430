"""Staged rollouts of federation changes: what the owners of the subgraphs do, in which order.

A federation change (a key replaced, a field taken over with ``@override``) is felt by the router
and the other subgraphs, not by clients: its plan (strategy ``staged-rollout``) has no deprecation
headers, and its phases are steps between subgraph teams, with the SDL to publish at each.
"""

from __future__ import annotations

import re

from apidiff.core.change import Change
from apidiff.core.plan import Design, Snippet
from apidiff.formats.graphql.model import GraphQLApi

__all__ = ["ROLLOUTS", "design_rollout"]

ROLLOUTS = frozenset({
    "subgraph-removed", "entity-key-removed", "entity-key-changed", "field-shareable-removed",
    "field-external-added", "field-external-removed", "field-requires-changed", "field-provides-changed",
    "field-override-added", "field-override-removed", "field-override-changed",
})

_CHECK = ("Check the folder of subgraphs as it will be published: `apidiff diff OLD_FOLDER NEW_FOLDER` composes "
          "them and reports what the router and the clients see (or `rover subgraph check`).")
_LABEL = re.compile(r'label: "percent\((\d+(?:\.\d+)?)\)"')


def _sdl(code: str, caption: str) -> Snippet:
    return Snippet(language="graphql", code=code, caption=caption)


def _field_line(api: GraphQLApi, change: Change, directive: str) -> str:
    """The field's line in its type, with ``directive``: ``type Product { price: Int @override(…) }``."""
    coordinate = str(change.args.get("field", change.subject))
    owner, _, name = coordinate.partition(".")
    t = api.types.get(owner)
    f = t.fields.get(name) if t is not None else None
    return f"type {owner} {{\n  {name}: {f.type if f is not None else 'String'} {directive}\n}}"


def design_rollout(change: Change, d: Design, new: GraphQLApi) -> Design:
    """Fill ``d`` (strategy ``staged-rollout``) with the phases' steps and snippets for ``change``."""
    a = change.args
    d.rollback = ("Publish the previous schema again: the router (or registry) goes back to the previous "
                  "composition; clients saw no change.")
    sub = f"`{a.get('subgraph') or a.get('name') or ''}`"
    field = f"`{a.get('field', change.subject)}`"
    others = a.get("others")
    d.element = "subgraph" if change.id == "subgraph-removed" else (
        "entity key" if change.id.startswith("entity-key") else "field")
    if change.id in ("entity-key-removed", "entity-key-changed"):
        old_key = str(a.get("key") or a.get("old"))
        new_key = a.get("new")
        entity = f"`{a.get('type')}`"
        keys = f"{old_key} {new_key}" if new_key else old_key
        d.expand_steps = [
            f"Keep {old_key} on {entity} in subgraph {sub}"
            + (f" and add {new_key} beside it: an entity may have several keys." if new_key else "."),
            f"Deploy {sub}'s reference resolver (`__resolveReference`) for every key it declares.", _CHECK]
        d.expand_snippets = [_sdl(f"type {a.get('type')} {keys}  # its fields unchanged",
                                  f"{entity} in {sub} during the move")]
        d.migrate_steps = [
            f"Move every other subgraph that declares {entity}"
            + (f" ({', '.join(f'`{o}`' for o in others)})" if others else "")
            + (f" to {new_key}: they reference the entity with the new key's fields." if new_key else
               f" off {old_key}: each must reach {entity} through another key."),
            "Publish each of them and let the router take the new supergraph."]
        d.contract_steps = [f"Remove {old_key} from {entity} in {sub}.", _CHECK]
    elif change.id == "field-shareable-removed":
        d.expand_steps = [f"Keep {field} `@shareable` in {sub} for now.", _CHECK]
        d.migrate_steps = [f"In every other subgraph that resolves {field}, remove it or mark it `@external` "
                           "(or move it here with `@override`), and publish them."]
        d.contract_steps = [f"Remove `@shareable` from {field} in {sub} once it is the only resolver.", _CHECK]
    elif change.id in ("field-external-added", "field-override-removed", "subgraph-removed"):
        what = {"field-external-added": f"stops resolving {field}",
                "field-override-removed": f"gives {field} back", "subgraph-removed": "leaves the graph"}[change.id]
        name = a.get("subgraph") or a.get("name") or ""
        d.expand_steps = [f"Before {sub} {what}, make another subgraph resolve what it served: `@shareable` "
                          f'there, or `@override(from: "{name}", label: "percent(10)")` raised step by step.', _CHECK]
        d.migrate_steps = ["Publish the subgraph that takes over; watch its errors and latency under traffic."]
        d.contract_steps = [f"Publish {sub} without it ({change.message}).", _CHECK]
    elif change.id == "field-external-removed":
        d.expand_steps = [f"Mark {field} `@shareable` in every subgraph that resolves it, {sub} included "
                          "(or take it over with `@override`).", _CHECK]
        d.migrate_steps = [f"Deploy {sub}'s resolver for {field} and publish."]
        d.contract_steps = ["Nothing more: the field is resolved by each subgraph that defines it."]
    elif change.id in ("field-requires-changed", "field-provides-changed"):
        keyword = "@requires" if change.id == "field-requires-changed" else "@provides"
        d.expand_steps = [f"Deploy {sub}'s resolver for {field} so that it works with both the old and the new "
                          f"`{keyword}` field set ({a.get('old')} → {a.get('new')}).", _CHECK]
        d.migrate_steps = [f"Publish {sub} with the new `{keyword}`; the router plans the new fetches."]
        d.contract_steps = ["Remove the resolver's support for the old field set."]
    else:  # field-override-added, field-override-changed: progressive override
        source = "x"
        match = re.search(r'@override\(from: "([^"]+)"', str(a.get("new", "")))
        if match:
            source = match[1]
        start = _LABEL.search(str(a.get("new", "")))
        first = start[1] if start else "10"
        d.expand_steps = [
            f"Deploy {sub}'s resolver for {field} first, then publish it with a progressive override: "
            f'`@override(from: "{source}", label: "percent({first})")` moves that share of requests.', _CHECK]
        d.expand_snippets = [_sdl(_field_line(new, change, f'@override(from: "{source}", label: "percent({first})")'),
                                  f"{field} in {sub}: the first step")]
        d.migrate_steps = [
            "Raise the percentage in steps (10 → 25 → 50 → 100), publishing each, while the new resolver's "
            "errors and latency stay at the old one's.",
            f"At any step, lowering the percentage sends the requests back to `{source}`."]
        d.contract_steps = [f'Drop the label (`@override(from: "{source}")`): the whole field moves to {sub}.',
                            f"Remove {field} from `{source}` (or mark it `@external` there), then the `@override`."]
        d.contract_snippets = [_sdl(_field_line(new, change, f'@override(from: "{source}")'), "the full override")]
    return d
