"""Services and their methods (by name), arguments and thrown exceptions (by id)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.thrift.model import FieldDef, Method, Service
from apidiff.formats.thrift.rules._base import ALL, NONE, SOURCE, example, flow, read, surfaces

_TYPES = "struct Req { 1: i32 a }\nstruct Res { 1: i32 b }\nexception Oops { 1: string why }\n" \
         "exception Gone { 1: string why }\n"


def _ex(old: str, new: str) -> Any:
    return example(f"{_TYPES}service S {{ {old} }}\n", f"{_TYPES}service S {{ {new} }}\n")


def _label(f: FieldDef) -> str:
    return f"{f.id}: {f.name}"


@rule(id="thrift-service-added", kind="service", mirror="thrift-service-removed", surfaces=NONE,
      message="service {subject} was added",
      example=example("service A { void ping() }\n", "service A { void ping() }\nservice B { void ping() }\n"))
def service_added(pair: Pair[Service], policy: Policy) -> Iterator[Hit]:
    """A service was added.

    Existing clients do not call it; servers must serve it before clients do.

    ## Safe rollout
    Deploy the servers first, then the clients that call it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit()


@rule(id="thrift-service-removed", kind="service", mirror="thrift-service-added", surfaces=ALL,
      message="service {subject} was removed",
      example=example("service A { void ping() }\nservice B { void ping() }\n", "service A { void ping() }\n"))
def service_removed(pair: Pair[Service], policy: Policy) -> Iterator[Hit]:
    """A service was removed.

    Clients that call it fail (`TApplicationException: UNKNOWN_METHOD`, or no server at all), and their
    generated stubs no longer compile.

    ## Safe rollout
    Mark the service deprecated (`(deprecated = "…")` after its closing brace), move its callers, watch
    its traffic reach zero, then remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()


@rule(id="thrift-service-extends-changed", kind="service", mirror="thrift-service-extends-changed", surfaces=SOURCE,
      message="service {subject} changed what it extends from {old} to {new}",
      example=example("service Base { void ping() }\nservice Other { void ping() }\nservice S extends Base {}\n",
                      "service Base { void ping() }\nservice Other { void ping() }\nservice S extends Other {}\n"))
def service_extends_changed(pair: Pair[Service], policy: Policy) -> Iterator[Hit]:
    """A service extends another service now (or none, or it extended one and no longer does).

    Generated clients and handlers derive from another base: code that treats them as the old base no
    longer compiles. The methods the service gains or loses with its base are reported one by one.

    ## Safe rollout
    Keep the base; declare new methods in the service itself.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.extends != n.extends:
        yield Hit({"old": o.extends or "(nothing)", "new": n.extends or "(nothing)"})


@rule(id="thrift-method-added", kind="method", mirror="thrift-method-removed", surfaces=NONE,
      message="method {subject} was added", example=_ex("Res get(1: Req r)", "Res get(1: Req r), void ping()"))
def method_added(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """A method was added to a service.

    Existing clients do not call it; servers must implement it before clients call it (an old server
    answers `UNKNOWN_METHOD`).

    ## Safe rollout
    Deploy the servers first, then the clients that call the new method.
    """
    if pair.old is None and pair.new is not None:
        yield Hit()


@rule(id="thrift-method-removed", kind="method", mirror="thrift-method-added", surfaces=ALL,
      message="method {subject} was removed", example=_ex("Res get(1: Req r), void ping()", "Res get(1: Req r)"))
def method_removed(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """A method was removed from a service.

    Clients that call it get `TApplicationException: UNKNOWN_METHOD`, and their generated stubs no longer
    compile.

    ## Safe rollout
    Add the replacement method, mark the old one deprecated (`(deprecated = "use getV2; removal on …")`),
    migrate callers, watch its traffic reach zero, then remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()


def _returns(method: Method) -> str:
    return method.returns.text if method.returns is not None else "void"


@rule(id="thrift-method-return-type-changed", kind="method", mirror="thrift-method-return-type-changed",
      surfaces=ALL, message="method {subject}: return type changed from {old} to {new}",
      example=_ex("i32 count()", "i64 count()"))
def method_return_type_changed(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """A method's return type changed (typedefs resolved).

    The result is field 0 of the reply: an old client reading a reply whose wire type it does not expect
    skips it and fails with `MISSING_RESULT`, as it does when a method that returned a value becomes
    `void`. A `void` method that starts returning a value is safe for old clients (they skip field 0).
    Within one wire type the verdicts are those of a field's type. Generated signatures change.

    ## Safe rollout
    Add a new method with the new return type, migrate callers, then remove the old one.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or o.returns == n.returns:
        return
    if o.returns is None or n.returns is None:
        wire = SAFE if o.returns is None else BREAKING  # old clients skip a result they did not expect
    else:
        wire = read(n.returns, o.returns)  # old clients read what new servers return
    yield Hit({"old": _returns(o), "new": _returns(n)}, surfaces=surfaces(wire=wire, source=BREAKING))


@rule(id="thrift-method-oneway-changed", kind="method", mirror="thrift-method-oneway-changed", surfaces=ALL,
      message="method {subject}: {change}", example=_ex("void fire(1: Req r)", "oneway void fire(1: Req r)"))
def method_oneway_changed(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """A method became `oneway`, or stopped being `oneway`.

    A oneway call gets no reply. A client that waits for one from a server that sends none hangs until
    its timeout; a client that does not wait leaves the server's reply unread on the connection, and
    the next call reads it as its own. Generated code changes too.

    ## Safe rollout
    Add a new method with the other calling convention, migrate callers, then remove the old one.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.oneway != n.oneway:
        yield Hit({"change": "became oneway" if n.oneway else "is no longer oneway"})


# -- arguments -----------------------------------------------------------------------------------------------


@rule(id="thrift-argument-added", kind="argument", mirror="thrift-argument-removed", surfaces=SOURCE,
      message="argument {argument} was added to method {owner}",
      example=_ex("Res get(1: Req r)", "Res get(1: Req r, 2: bool fresh)"))
def argument_added(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An argument was added to a method.

    Arguments are the fields of a request struct: old clients do not send it, and new servers read it
    as unset (its default). Generated method signatures gain a parameter, so callers in languages
    without default arguments (Java, Go, C++) no longer compile.

    ## Safe rollout
    Give the argument a default the server treats as "not sent"; update callers when they are rebuilt.
    """
    if pair.old is None and pair.new is not None and pair.new.requiredness != "required":
        yield Hit({"argument": _label(pair.new)})


@rule(id="thrift-argument-added-required", kind="argument", family="thrift-argument-added",
      mirror="thrift-argument-removed", surfaces=ALL,
      message="required argument {argument} was added to method {owner}",
      example=_ex("Res get(1: Req r)", "Res get(1: Req r, 2: required bool fresh)"))
def argument_added_required(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A required argument was added to a method.

    Old clients do not send it: a server that validates its requests rejects their calls. Generated
    signatures gain a parameter.

    ## Safe rollout
    Add the argument without `required`, and treat its absence on the server.
    """
    if pair.old is None and pair.new is not None and pair.new.requiredness == "required":
        yield Hit({"argument": _label(pair.new)})


@rule(id="thrift-argument-removed", kind="argument", mirror="thrift-argument-added",
      surfaces=surfaces(wire=DANGEROUS, source=BREAKING), message="argument {argument} was removed from method {owner}",
      example=_ex("Res get(1: Req r, 2: bool fresh)", "Res get(1: Req r)"))
def argument_removed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An argument was removed from a method.

    Old clients still send it; new servers skip it, so what the caller asked for is silently ignored.
    Callers that pass it no longer compile. Its id is free again for reuse, which would misread old
    clients' calls.

    ## Safe rollout
    Keep the argument, ignore it on the server and mark it deprecated, until callers stop passing it;
    never reuse its id.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"argument": _label(pair.old)})


@rule(id="thrift-argument-renamed", kind="argument", mirror="thrift-argument-renamed", surfaces=SOURCE,
      message="argument {id} of method {owner} was renamed from {old} to {new}",
      example=_ex("Res get(1: Req r)", "Res get(1: Req request)"))
def argument_renamed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An argument's name changed (its id is the same).

    The request carries ids: old and new clients and servers agree. Callers that pass arguments by name
    (Python keyword arguments) break, and generated parameter names change.

    ## Safe rollout
    Keep the name.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.name != n.name:
        yield Hit({"id": n.id, "old": o.name, "new": n.name})


@rule(id="thrift-argument-type-changed", kind="argument", mirror="thrift-argument-type-changed", surfaces=ALL,
      message="argument {argument} of method {owner}: type changed from {old} to {new}",
      example=_ex("Res get(1: i32 id)", "Res get(1: i64 id)"))
def argument_type_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An argument's type changed (typedefs resolved).

    New servers read what old clients send: another wire type is skipped and the argument reads as
    unset (`i32` to `i64` loses every value); within one wire type the verdicts are those of a field's
    type. Generated signatures change.

    ## Safe rollout
    Add an argument with the new type under a new id, let clients send both, move the server to the new
    one, then remove the old one; or add a new method.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type != n.type:
        yield Hit({"argument": _label(n), "old": o.type.text, "new": n.type.text},
                  surfaces=surfaces(wire=flow(pair.direction, read(o.type, n.type), read(n.type, o.type)),
                                    source=BREAKING))


# -- exceptions thrown ---------------------------------------------------------------------------------------


@rule(id="thrift-throws-added", kind="throws", mirror="thrift-throws-removed",
      surfaces=surfaces(wire=DANGEROUS, source=BREAKING), message="method {owner} now throws {exception}",
      example=_ex("Res get(1: Req r) throws (1: Oops oops)",
                  "Res get(1: Req r) throws (1: Oops oops, 2: Gone gone)"))
def throws_added(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A method declares a new exception.

    An old client that receives it finds neither a result nor an exception it knows in the reply, and
    fails with `MISSING_RESULT` instead of a handled error. Java callers must catch the new checked
    exception: their code no longer compiles.

    ## Safe rollout
    Add the exception, rebuild and deploy clients, then let servers throw it.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"exception": f"{pair.new.type.text} ({_label(pair.new)})"})


@rule(id="thrift-throws-removed", kind="throws", mirror="thrift-throws-added", surfaces=SOURCE,
      message="method {owner} no longer throws {exception}",
      example=_ex("Res get(1: Req r) throws (1: Oops oops, 2: Gone gone)",
                  "Res get(1: Req r) throws (1: Oops oops)"))
def throws_removed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A method no longer declares an exception.

    New servers no longer throw it and old clients still handle it: the wire is safe. Generated code
    changes: Java callers that catch it get "exception is never thrown" compile errors.

    ## Safe rollout
    Stop throwing it first; remove it from the declaration when callers are rebuilt.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"exception": f"{pair.old.type.text} ({_label(pair.old)})"})


@rule(id="thrift-throws-type-changed", kind="throws", mirror="thrift-throws-type-changed", surfaces=ALL,
      message="method {owner}: exception {id} changed from {old} to {new}",
      example=_ex("Res get(1: Req r) throws (1: Oops e)", "Res get(1: Req r) throws (1: Gone e)"))
def throws_type_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An exception a method declares under an id changed type.

    Old clients read the new exception as the old one (both are structs on the wire): its fields are
    matched by id and misread or lost. Java callers catch another class.

    ## Safe rollout
    Declare the new exception under a new id, deploy clients, then let servers throw it.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type != n.type:
        yield Hit({"id": n.id, "old": o.type.text, "new": n.type.text},
                  surfaces=surfaces(wire=max(read(n.type, o.type), DANGEROUS), source=BREAKING))
