"""How GraphQL changes group in reports (:meth:`GraphQL.group_facet`).

Members of a type (``Type.field``, ``Type.field(arg:)``, ``Enum.VALUE``) group under the type; an
argument is also reached at its field, so the same argument change on several fields (``first:``
on six root fields) is one event; a union member or an interface added to several types is one
event at those types; a directive applied to many elements is one event at them. The area is the
type (``Query``, ``Mutation``, ``Subscription`` for root fields), ``directives`` or ``schema``.
"""

from __future__ import annotations

import re

from apidiff.core.change import Change
from apidiff.core.groups import Facet

ROOTS = frozenset({"Query", "Mutation", "Subscription"})
_ARGUMENT = re.compile(r"^(?P<type>[^.\s(]+)\.(?P<field>[^.\s(]+)\((?P<arg>[^:()]+):\)$")
_LINK = re.compile(r"^(?P<type>[^.\s(]+) (?P<how>member|implements) (?P<other>\S+)$")


def facet(change: Change) -> Facet:
    subject = change.subject
    if " @" in subject and not subject.startswith("@"):  # a directive applied to an element
        target, _, directive = subject.rpartition(" @")
        inner = facet_of_subject(target)
        return Facet(element=inner.element, member=f"{inner.member} @{directive}".strip(), place=target,
                     shared=f"@{directive}", noun="elements", area=inner.area)
    return facet_of_subject(subject)


def facet_of_subject(subject: str) -> Facet:
    if subject.startswith("@"):
        name, paren, rest = subject.partition("(")
        if paren:
            return Facet(element=name, member=rest.rstrip(":)"), area="directives")
        name, sep, location = subject.partition(" location ")
        if sep:
            return Facet(element=name, member=location, area="directives")
        return Facet(element="", member=subject, area="directives")
    if subject == "schema" or subject.startswith("schema "):
        return Facet(element="", member=subject, area="schema")
    m = _ARGUMENT.match(subject)
    if m:
        field = f"{m['type']}.{m['field']}"
        noun = "root fields" if m["type"] in ROOTS else "fields"
        return Facet(element=m["type"], member=f"{m['field']}({m['arg']}:)", place=field,
                     shared=m["arg"], noun=noun, area=m["type"])
    m = _LINK.match(subject)
    if m:
        noun = "unions" if m["how"] == "member" else "types"
        return Facet(element=m["type"], member=m["other"], place=m["type"], shared=f"{m['how']} {m['other']}",
                     noun=noun, area=m["type"])
    head, dot, rest = subject.partition(".")
    if dot and head and rest:  # a field, input field or enum value: the same one on several types is one event
        return Facet(element=head, member=rest, place=head, shared=rest, noun="types", area=head)
    return Facet(element="", member=subject, area=subject)
