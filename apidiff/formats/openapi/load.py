"""OpenAPI (Swagger 2.0, OpenAPI 3.0 and 3.1) → the type graph.

Normalization makes spelling differences disappear before the diff: path templates are keyed
without parameter names, path-level parameters are merged into operations, Swagger 2.0 body and
formData parameters become request bodies, ``nullable: true`` and ``type: [x, "null"]`` are the
same, ``allOf`` is merged where that is sound, and a ``$ref`` to a named schema stays a reference
(named schemas are normalized once, which also makes circular schemas terminate).
Locations carry a JSON pointer; lines are found afterwards for reported elements only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from apidiff.core.errors import ApidiffError, LimitExceeded, ParseError
from apidiff.core.location import Location
from apidiff.core.model import Deprecation
from apidiff.core.shape import Shape, ShapeError, check, describe
from apidiff.formats.jsonschema.model import Number, comparable
from apidiff.formats.jsonschema.refs import Resolver, join_pointer
from apidiff.formats.openapi import shapes
from apidiff.formats.openapi.model import (
    Body,
    Bound,
    Discriminator,
    HttpApi,
    MediaType,
    OAuthFlow,
    Operation,
    Parameter,
    Response,
    Schema,
    SecurityScheme,
    nested,
    path_key,
)

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = ("accept", "content-type", "authorization")  # OpenAPI 3.x: header parameters SHALL be ignored
ANNOTATIONS = frozenset({"description", "summary", "title", "example", "examples", "$comment", "deprecated",
                         "readOnly", "writeOnly", "externalDocs", "xml"})
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def canonical(value: Any) -> str:
    """Values as canonical JSON text, so that ``1`` and ``1.0`` or key order never differ; exact
    decimals (see :func:`apidiff.core._yaml.exact_number`) are written as the numbers they are."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)
    return _DECIMAL.sub(lambda m: m.group(1), text) if _NUMBER_MARK in text else text


_NUMBER_MARK = "\ue001"
_DECIMAL = re.compile('"' + _NUMBER_MARK + r'([^"]*)"')


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _NUMBER_MARK + (str(value) if value.is_finite() else "null")
    return str(value)


MAX_SCHEMA_DEPTH = 256  # JSON pointer tokens to an inline schema; real documents stay under 50
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")
VALUE_KEYWORDS = ("contains", "contentEncoding", "contentMediaType", "contentSchema", "dependentRequired",
                  "dependentSchemas", "else", "if", "patternProperties", "prefixItems", "propertyNames", "then",
                  "unevaluatedItems", "unevaluatedProperties")


def _example(value: Mapping[str, Any]) -> str | None:
    if "example" in value:
        return canonical(value["example"])
    examples = value.get("examples")
    if isinstance(examples, list) and examples:  # JSON Schema 2020-12 (OpenAPI 3.1): a list of values
        return canonical(examples[0])
    return None


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.search(value)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


class _Ctx:
    """Where a value is: its document and JSON pointer."""

    __slots__ = ("doc", "pointer")

    def __init__(self, doc: str, pointer: str) -> None:
        self.doc = doc
        self.pointer = pointer

    def at(self, *tokens: object) -> _Ctx:
        return _Ctx(self.doc, join_pointer(self.pointer, *tokens))

    @property
    def loc(self) -> Location:
        return Location(self.doc, pointer=self.pointer)


class Normalizer:
    def __init__(self, resolver: Resolver, source: str, sunset_extension: str = "x-sunset") -> None:
        self.sunset_key = sunset_extension
        self.r = resolver
        self.source = source
        root = resolver.root
        if not isinstance(root, dict):
            raise ParseError("an OpenAPI document must be a mapping", file=resolver.root_name, line=1)
        self.doc = root
        version = str(root.get("openapi") or root.get("swagger") or "")
        if not version:
            raise ParseError("not an OpenAPI document: no 'openapi' or 'swagger' field", file=resolver.root_name,
                             line=1)
        self.version = version
        self.v2 = version.startswith("2")
        self.v31 = version.startswith("3.1")
        if not (self.v2 or version.startswith("3")):
            raise ParseError(f"unsupported OpenAPI version {version!r}", file=resolver.root_name, line=1)
        self.schemas: dict[str, Schema] = {}
        self._keys: dict[tuple[str, str], str] = {}  # (doc, pointer) -> named schema key
        self._taken: set[str] = set()  # the values of _keys
        self._root_names: set[str] | None = None
        self._in_progress: set[str] = set()
        self._cyclic: set[str] | None = None
        self.warnings: list[str] = []
        self.located_warnings: list[tuple[Location, str]] = []  # lines are found once, at the end

    # -- refs -------------------------------------------------------------------------------------
    def deref(self, value: Any, ctx: _Ctx) -> tuple[Any, _Ctx]:
        if isinstance(value, dict) and isinstance(value.get("$ref"), str):
            target, doc, pointer = self.r.lookup(value["$ref"], ctx.doc, ctx.loc)
            return target, _Ctx(doc, pointer)
        return value, ctx

    def named_key(self, doc: str, pointer: str) -> str:
        key = self._keys.get((doc, pointer))
        if key is not None:
            return key
        tokens = [t for t in pointer.split("/") if t]
        if (len(tokens) >= 2 and tokens[-2] in ("schemas", "definitions", "$defs")) or tokens:
            base = tokens[-1].replace("~1", "/").replace("~0", "~")
        else:
            base = PurePosixPath(doc).stem
        key = base
        if key in self._taken or (doc != self.r.root_name and key in self._root_component_names()):
            key = f"{PurePosixPath(doc).name}#{pointer}"
        self._keys[(doc, pointer)] = key
        self._taken.add(key)
        return key

    def _root_component_names(self) -> set[str]:
        if self._root_names is None:
            comps = self.doc.get("definitions") if self.v2 else (self.doc.get("components") or {}).get("schemas")
            self._root_names = set(comps) if isinstance(comps, dict) else set()
        return self._root_names

    # -- schemas ----------------------------------------------------------------------------------
    def schema(self, value: Any, ctx: _Ctx) -> Schema:
        if value is True or value is None:
            return Schema(location=ctx.loc)
        if value is False:
            return Schema(not_=Schema(location=ctx.loc), location=ctx.loc)
        if not isinstance(value, dict):
            raise self.located(ParseError, f"a schema must be a mapping or a boolean, got {describe(value)}", ctx)
        if ctx.pointer.count("/") > MAX_SCHEMA_DEPTH:
            raise self.located(LimitExceeded, f"schemas nest more than {MAX_SCHEMA_DEPTH} levels deep", ctx)
        self.shape(value, shapes.SCHEMA, ctx)
        ref = value.get("$ref")
        if isinstance(ref, str):
            target, doc, pointer = self.r.lookup(ref, ctx.doc, ctx.loc)
            key = self.named_key(doc, pointer)
            if key not in self.schemas and key not in self._in_progress:
                self._in_progress.add(key)
                try:
                    self.schemas[key] = self.schema(target, _Ctx(doc, pointer))
                finally:
                    self._in_progress.discard(key)
            node = Schema(ref=key, location=ctx.loc)
            siblings = {k: v for k, v in value.items() if k != "$ref" and k not in ANNOTATIONS
                        and not k.startswith("x-")}
            if siblings and self.v31:
                return self._merge_all_of([node, self.schema(siblings, ctx)], ctx) or Schema(
                    all_of=(node, self.schema(siblings, ctx)), location=ctx.loc)
            return node

        types: set[str] = set()
        t = value.get("type")
        if isinstance(t, str):
            types.add(t)
        elif isinstance(t, list):
            types.update(str(x) for x in t)
        if value.get("nullable") is True or value.get("x-nullable") is True:
            types.add("null")
        enum = value.get("enum")
        if isinstance(enum, list) and None in enum and types:
            types.add("null")
        # most nodes say a type and little else: keywords they lack are not looked up one call each
        counts: dict[str, Any] = {attr: _int(value[key]) for key, attr in _COUNT_KEYWORDS if key in value} \
            if not value.keys().isdisjoint(_COUNT_KEYS) else {}
        minimum = self._bound(value, "minimum", "exclusiveMinimum") \
            if "minimum" in value or "exclusiveMinimum" in value else None
        maximum = self._bound(value, "maximum", "exclusiveMaximum") \
            if "maximum" in value or "exclusiveMaximum" in value else None
        disc = value.get("discriminator")
        discriminator = None
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            raw_mapping = disc.get("mapping")
            mapping: dict[Any, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
            discriminator = Discriminator(disc["propertyName"], tuple(sorted((str(k), str(v))
                                                                             for k, v in mapping.items())))
        elif isinstance(disc, str):  # Swagger 2.0
            discriminator = Discriminator(disc)
        additional = value.get("additionalProperties")
        raw_props = value.get("properties")
        props: dict[Any, Any] = raw_props if isinstance(raw_props, dict) else {}
        items = value.get("items")
        if isinstance(items, list):  # tuple form (2.0 / draft-04): keep the first as the item shape
            items = items[0] if items else None
        node = Schema(
            types=frozenset(types),
            format=_str(value["format"]) if "format" in value else None,
            enum=tuple(sorted({canonical(v) for v in enum})) if isinstance(enum, list) else None,
            const=canonical(value["const"]) if "const" in value else None,
            example=_example(value),
            default=canonical(value["default"]) if "default" in value else None,
            minimum=minimum,
            maximum=maximum,
            multiple_of=_num(value["multipleOf"]) if "multipleOf" in value else None,
            pattern=_str(value["pattern"]) if "pattern" in value else None,
            items=self.schema(items, ctx.at("items")) if items is not None else None,
            unique_items=value.get("uniqueItems") is True,
            properties={str(k): self.schema(v, ctx.at("properties", k)) for k, v in props.items()},
            required=frozenset(str(r) for r in value.get("required") or () if isinstance(r, str | int))
            if isinstance(value.get("required"), list) else frozenset(),
            additional=additional if isinstance(additional, bool) else
            self.schema(additional, ctx.at("additionalProperties")) if isinstance(additional, dict) else None,
            extensible_enum=tuple(sorted({canonical(v) for v in value["x-extensible-enum"]}))
            if isinstance(value.get("x-extensible-enum"), list) else None,
            keywords=tuple((k, canonical(value[k])) for k in VALUE_KEYWORDS if k in value)
            if not value.keys().isdisjoint(VALUE_KEYWORDS) else (),
            one_of=self._branches(value.get("oneOf"), ctx.at("oneOf")),
            any_of=self._branches(value.get("anyOf"), ctx.at("anyOf")),
            not_=self.schema(value["not"], ctx.at("not")) if isinstance(value.get("not"), dict) else None,
            discriminator=discriminator,
            read_only=value.get("readOnly") is True,
            write_only=value.get("writeOnly") is True,
            deprecation=self.deprecation(value, ctx),
            stability=self.stability(value, ctx) if "x-stability-level" in value else None,
            description=_str(value["description"]) if "description" in value else None,
            title=_str(value["title"]) if "title" in value else None,
            location=ctx.loc,
            **counts,
        )
        all_of = value.get("allOf")
        if isinstance(all_of, list) and all_of:
            members = [self.schema(m, ctx.at("allOf", i)) for i, m in enumerate(all_of)]
            rest = node if _has_content(node) else None
            if rest is None and len(members) == 1:
                return members[0]  # allOf of one schema is that schema
            merged = self._merge_all_of(([rest] if rest is not None else []) + members, ctx)
            if merged is not None:
                return merged
            return _replace(node, all_of=tuple(members))
        return node

    def _branches(self, value: Any, ctx: _Ctx) -> tuple[Schema, ...]:
        if not isinstance(value, list):
            return ()
        return tuple(self.schema(v, ctx.at(i)) for i, v in enumerate(value))

    def _bound(self, value: Mapping[str, Any], plain: str, exclusive: str) -> Bound | None:
        number = _num(value.get(plain))
        excl = value.get(exclusive)
        if isinstance(excl, bool):  # 2.0 / 3.0: a flag on the plain bound
            return Bound(number, excl) if number is not None else None
        excl_number = _num(excl)
        if excl_number is not None and (number is None or _at_least_as_tight(excl_number, number, plain == "minimum")):
            return Bound(excl_number, True)
        return Bound(number) if number is not None else None

    def resolve_schema(self, schema: Schema) -> Schema | None:
        """A named schema's content, or None while it is still being built (a cycle)."""
        seen = 0
        while schema.ref is not None:
            target = self.schemas.get(schema.ref)
            if target is None:
                return None
            schema = target
            seen += 1
            if seen > 64:
                return None
        return schema

    @property
    def cyclic(self) -> set[str]:
        """Named schemas of the root document that can reach themselves through local refs."""
        if self._cyclic is None:
            comps = self.doc.get("definitions") if self.v2 else (self.doc.get("components") or {}).get("schemas")
            base = "#/definitions/" if self.v2 else "#/components/schemas/"
            edges: dict[str, set[str]] = {}
            if isinstance(comps, dict):
                for name, raw in comps.items():
                    found: set[str] = set()
                    stack = [raw]
                    while stack:
                        item = stack.pop()
                        if isinstance(item, dict):
                            ref = item.get("$ref")
                            if isinstance(ref, str) and ref.startswith(base):
                                found.add(ref[len(base):].replace("~1", "/").replace("~0", "~"))
                            stack.extend(item.values())
                        elif isinstance(item, list):
                            stack.extend(item)
                    edges[str(name)] = found
            cyclic: set[str] = set()
            for start in edges:
                seen: set[str] = set()
                todo = list(edges[start])
                while todo:
                    node = todo.pop()
                    if node == start:
                        cyclic.add(start)
                        break
                    if node not in seen:
                        seen.add(node)
                        todo.extend(edges.get(node, ()))
            base_pointer = "/definitions" if self.v2 else "/components/schemas"
            self._cyclic = {self.named_key(self.r.root_name, join_pointer(base_pointer, n)) for n in cyclic}
        return self._cyclic

    def _merge_all_of(self, members: list[Schema], ctx: _Ctx) -> Schema | None:
        """Merge ``allOf`` members into one schema when no information is lost, else None."""
        if any(m.ref is not None and m.ref in self.cyclic for m in members):
            return None  # merging depends on which schema of the cycle is built first: keep the allOf
        resolved = [self.resolve_schema(m) for m in members]
        if any(r is None for r in resolved):
            return None
        parts = [r for r in resolved if r is not None]
        if sum(bool(p.one_of or p.any_of or p.all_of or p.not_ is not None) for p in parts) > 1:
            return None  # two compositions cannot be merged into one schema
        fields: dict[str, Any] = {}
        types: frozenset[str] | None = None
        properties: dict[str, Schema] = {}
        required: set[str] = set()
        keywords: dict[str, str] = {}
        for p in parts:
            if p.types:
                types = p.types if types is None else types & p.types
            for name, prop in p.properties.items():
                if name in properties and properties[name] != prop:
                    return None
                properties[name] = prop
            required |= p.required
            for name, text in p.keywords:
                if keywords.setdefault(name, text) != text:
                    return None
            for attr in ("format", "enum", "const", "pattern", "multiple_of", "discriminator", "default",
                         "items", "not_", "extensible_enum"):
                v = getattr(p, attr)
                if v is None:
                    continue
                if attr in fields and fields[attr] != v:
                    return None
                fields[attr] = v
            for attr, pick in (("minimum", _tighter_min), ("maximum", _tighter_max),
                               ("min_length", max), ("max_length", min), ("min_items", max), ("max_items", min),
                               ("min_properties", max), ("max_properties", min), ("min_contains", max),
                               ("max_contains", min)):
                v = getattr(p, attr)
                if v is not None:
                    fields[attr] = v if attr not in fields else pick(fields[attr], v)
            for attr in ("one_of", "any_of", "all_of"):
                if getattr(p, attr):
                    fields[attr] = getattr(p, attr)
            if p.additional is not None:
                if "additional" in fields and fields["additional"] != p.additional:
                    return None
                fields["additional"] = p.additional
            for attr in ("description", "title", "deprecation"):
                if getattr(p, attr) is not None and attr not in fields:
                    fields[attr] = getattr(p, attr)
            if p.unique_items:
                fields["unique_items"] = True
            if p.read_only:
                fields["read_only"] = True
            if p.write_only:
                fields["write_only"] = True
        return Schema(types=types or frozenset(), properties=properties, required=frozenset(required),
                      keywords=tuple(sorted(keywords.items())), location=ctx.loc, **fields)

    def shape(self, value: Mapping[str, Any], shape: Shape, ctx: _Ctx) -> None:
        """Check a node's keywords against its table (:mod:`.shapes`) before it is read."""
        try:
            check(value, shape, ctx.pointer)
        except ShapeError as exc:
            raise self.located(ParseError, exc.message, _Ctx(ctx.doc, exc.pointer)) from None

    def located(self, error: type[ApidiffError], message: str, ctx: _Ctx) -> ApidiffError:
        """An error at ``ctx``, with its line (found now: this is the error path)."""
        from apidiff.core._positions import DocumentLocator

        where = DocumentLocator(dict(self.r.texts))(ctx.loc)
        return error(message, file=where.file, line=where.line, column=where.column)

    # -- annotations ------------------------------------------------------------------------------
    def deprecation(self, value: Mapping[str, Any], ctx: _Ctx | None = None) -> Deprecation | None:
        raw = value.get(self.sunset_key)
        sunset = parse_date(raw)
        if raw is not None and sunset is None and ctx is not None:
            message = f"{self.sunset_key} {raw!r} is not a date (YYYY-MM-DD); the sunset is ignored"
            self.located_warnings.append((ctx.at(self.sunset_key).loc, message))
        if value.get("deprecated") is not True:
            return None
        since = parse_date(value.get("x-deprecated-at") or value.get("x-deprecation-date"))
        return Deprecation(reason=_str(value.get("x-deprecated-reason") or value.get("description")),
                           sunset=sunset, since=since)

    def stability(self, value: Mapping[str, Any], ctx: _Ctx) -> str | None:
        level = value.get("x-stability-level")
        if level is None:
            return None
        if level not in STABILITY_LEVELS:
            self.located_warnings.append((ctx.at("x-stability-level").loc,
                                          f"x-stability-level {level!r} is not one of {', '.join(STABILITY_LEVELS)}; "
                                          "treated as stable"))
            return None
        return str(level)

    # -- operations -------------------------------------------------------------------------------
    def build(self) -> HttpApi:
        root = _Ctx(self.r.root_name, "")
        self.shape(self.doc, shapes.DOCUMENT, root)
        for key, table in (("components", shapes.COMPONENTS), ("info", shapes.INFO)):
            if isinstance(self.doc.get(key), dict):
                self.shape(self.doc[key], table, root.at(key))
        operations: dict[str, Operation] = {}
        global_security = self.security(self.doc.get("security"))
        servers = self.servers(self.doc, root)
        paths = self.doc.get("paths") or {}
        if not isinstance(paths, dict):
            raise ParseError("'paths' must be a mapping", file=self.r.root_name)
        # components first, then paths, each by name: which allOf inside a $ref cycle can be merged
        # must not depend on how the document is ordered
        comps = self.doc.get("definitions") if self.v2 else (self.doc.get("components") or {}).get("schemas")
        if isinstance(comps, dict):
            base = "/definitions" if self.v2 else "/components/schemas"
            for name in sorted(comps, key=str):
                key = self.named_key(self.r.root_name, join_pointer(base, name))
                if key not in self.schemas:
                    self.schema({"$ref": "#" + join_pointer(base, name)}, root)
        for path, item in sorted(paths.items(), key=lambda kv: str(kv[0])):
            if not isinstance(path, str) or not path.startswith("/"):
                if isinstance(path, str) and path.startswith("x-"):
                    continue
                self.warnings.append(f"{self.r.root_name}: path {path!r} does not start with '/'; ignored")
                continue
            self._path_item(str(path), item, root.at("paths", path), operations, global_security, servers, False)
        webhooks = self.doc.get("webhooks") if not self.v2 else None
        if isinstance(webhooks, dict):
            for name, item in sorted(webhooks.items(), key=lambda kv: str(kv[0])):
                self._path_item(str(name), item, root.at("webhooks", name), operations, global_security, servers,
                                True)
        info = self.doc.get("info") if isinstance(self.doc.get("info"), dict) else {}
        from apidiff.core._positions import DocumentLocator

        locate = DocumentLocator(dict(self.r.texts))
        if self.located_warnings:
            locate.resolve(loc for loc, _ in self.located_warnings)
            for loc, message in self.located_warnings:
                where = locate(loc)
                self.warnings.append(f"{where.file}:{where.line}:{where.column}: {message}")
        schemes = self.security_schemes(root)
        return HttpApi(kind="openapi", source=self.source, version=self.version,
                   api_version=_str(info.get("version")) if info else None,
                   operations=_with_schemes(dict(sorted(operations.items())), schemes),
                   schemas=dict(sorted(self.schemas.items())), security_schemes=schemes, warnings=tuple(self.warnings),
                   locate=locate)

    def _path_item(self, path: str, item: Any, ctx: _Ctx, operations: dict[str, Operation],
                   global_security: Any, servers: tuple[str, ...], webhook: bool) -> None:
        item, ctx = self.deref(item, ctx)
        if not isinstance(item, dict):
            return
        self.shape(item, shapes.PATH_ITEM, ctx)
        shared = self.parameters(item.get("parameters"), ctx.at("parameters"))
        path_servers = self.servers(item, ctx) or servers
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            octx = ctx.at(method)
            self.shape(op, shapes.OPERATION, octx)
            params = dict(shared)
            params.update(self.parameters(op.get("parameters"), octx.at("parameters")))
            body = self.request_body(op, octx, params)
            key = f"{method.upper()} {path_key(path)}" if not webhook else f"WEBHOOK {path} {method.upper()}"
            security = self.security(op["security"]) if "security" in op else global_security
            operations[key] = Operation(
                key=key, method=method.upper(), path=path, operation_id=_str(op.get("operationId")),
                summary=_str(op.get("summary")), description=_str(op.get("description")),
                tags=tuple(str(t) for t in op.get("tags") or () if isinstance(t, str | int)),
                parameters=dict(sorted(params.items())), body=body,
                responses=self.responses(op.get("responses"), octx.at("responses"), op),
                security=security, servers=self.servers(op, octx) or path_servers,
                deprecation=self.deprecation(op, octx), stability=self.stability(op, octx), webhook=webhook,
                location=octx.loc)

    def parameters(self, value: Any, ctx: _Ctx) -> dict[str, Parameter]:
        """Parameters keyed by ``in`` and name (a header's in lower case). In OpenAPI 3.x, header
        parameters named ``Accept``, ``Content-Type`` or ``Authorization`` are left out: the
        specification says they SHALL be ignored (the media types and security say those)."""
        out: dict[str, Parameter] = {}
        if not isinstance(value, list):
            return out
        for i, raw in enumerate(value):
            p, pctx = self.deref(raw, ctx.at(i))
            if isinstance(p, dict):
                self.shape(p, shapes.PARAMETER, pctx)
            if not isinstance(p, dict) or not isinstance(p.get("name"), str) or not isinstance(p.get("in"), str):
                continue
            where = p["in"]
            if where in ("body", "formData"):  # Swagger 2.0: turned into the request body
                out[f"{where} {p['name']}"] = Parameter(name=p["name"], location_in=where,
                                                        required=p.get("required") is True,
                                                        schema=self._param_schema(p, pctx), location=pctx.loc)
                continue
            if where == "header" and p["name"].lower() in IGNORED_HEADERS and not self.v2:
                continue  # OpenAPI 3.x: these header parameters SHALL be ignored
            schema = self._param_schema(p, pctx)
            resolved = self.resolve_schema(schema) if schema is not None else None
            out[f"{where} {p['name'] if where != 'header' else p['name'].lower()}"] = Parameter(
                name=p["name"], location_in=where, required=p.get("required") is True or where == "path",
                schema=schema, style=_str(p.get("style")),
                explode=p.get("explode") if isinstance(p.get("explode"), bool) else None,
                scalar=resolved is not None and bool(resolved.types) and not resolved.types & {"array", "object"},
                allow_empty=p.get("allowEmptyValue") is True, deprecation=self.deprecation(p, pctx),
                description=_str(p.get("description")), location=pctx.loc)
        return out

    def _param_schema(self, p: Mapping[str, Any], ctx: _Ctx) -> Schema | None:
        if "schema" in p:
            return self.schema(p["schema"], ctx.at("schema"))
        if "content" in p and isinstance(p["content"], dict):  # 3.x parameter with content
            for media, m in p["content"].items():
                if isinstance(m, dict) and "schema" in m:
                    return self.schema(m["schema"], ctx.at("content", media, "schema"))
        if self.v2 and "type" in p:  # 2.0: the schema keywords sit on the parameter itself
            fields = {k: v for k, v in p.items() if k not in ("name", "in", "required", "description",
                                                              "allowEmptyValue", "collectionFormat")}
            return self.schema(fields, ctx)
        return None

    def request_body(self, op: Mapping[str, Any], ctx: _Ctx, params: dict[str, Parameter]) -> Body | None:
        if self.v2:
            body_params = [k for k in params if k.startswith(("body ", "formData "))]
            if not body_params:
                return None
            consumes = op.get("consumes") or self.doc.get("consumes") or ["application/json"]
            removed = [params.pop(k) for k in body_params]
            body = next((p for p in removed if p.location_in == "body"), None)
            if body is not None:
                return Body(required=body.required, content={str(m): MediaType(name=str(m), schema=body.schema,
                                                                               location=body.location)
                                                             for m in consumes}, location=body.location)
            form = Schema(types=frozenset({"object"}),
                          properties={p.name: p.schema or Schema(location=p.location) for p in removed},
                          required=frozenset(p.name for p in removed if p.required), location=ctx.loc)
            media = [m for m in consumes if "form" in str(m)] or ["application/x-www-form-urlencoded"]
            return Body(required=any(p.required for p in removed),
                        content={str(m): MediaType(name=str(m), schema=form, location=ctx.loc) for m in media},
                        location=ctx.loc)
        raw = op.get("requestBody")
        if raw is None:
            return None
        body, bctx = self.deref(raw, ctx.at("requestBody"))
        if not isinstance(body, dict):
            return None
        self.shape(body, shapes.REQUEST_BODY, bctx)
        return Body(required=body.get("required") is True, content=self.content(body.get("content"), bctx),
                    description=_str(body.get("description")), location=bctx.loc)

    def content(self, value: Any, ctx: _Ctx) -> dict[str, MediaType]:
        if not isinstance(value, dict):
            return {}
        out = {}
        for media, m in value.items():
            m, mctx = self.deref(m, ctx.at("content", media))
            if isinstance(m, dict):
                self.shape(m, shapes.MEDIA_TYPE, mctx)
            schema = self.schema(m["schema"], mctx.at("schema")) if isinstance(m, dict) and "schema" in m else None
            out[str(media)] = MediaType(name=str(media), schema=schema, location=mctx.loc)
        return dict(sorted(out.items()))

    def responses(self, value: Any, ctx: _Ctx, op: Mapping[str, Any]) -> dict[str, Response]:
        out: dict[str, Response] = {}
        if not isinstance(value, dict):
            return out
        produces = op.get("produces") or self.doc.get("produces") or ["application/json"]
        for status, raw in value.items():
            status = str(status).upper() if str(status).lower() != "default" else "default"
            if status.startswith("X-"):
                continue
            r, rctx = self.deref(raw, ctx.at(status))
            if not isinstance(r, dict):
                continue
            self.shape(r, shapes.RESPONSE, rctx)
            if self.v2:
                content = {}
                if "schema" in r:
                    schema = self.schema(r["schema"], rctx.at("schema"))
                    content = {str(m): MediaType(name=str(m), schema=schema, location=rctx.at("schema").loc)
                               for m in produces}
            else:
                content = self.content(r.get("content"), rctx)
            headers = {}
            for name, h in (r.get("headers") or {}).items() if isinstance(r.get("headers"), dict) else ():
                if not self.v2 and str(name).lower() == "content-type":
                    continue  # OpenAPI 3.x: a response header named Content-Type SHALL be ignored
                h, hctx = self.deref(h, rctx.at("headers", name))
                if not isinstance(h, dict):
                    continue
                self.shape(h, shapes.HEADER, hctx)
                headers[str(name).lower()] = Parameter(
                    name=str(name), location_in="header", required=h.get("required") is True,
                    schema=self._param_schema(h, hctx) if not self.v2 else self.schema(
                        {k: v for k, v in h.items() if k != "description"}, hctx),
                    deprecation=self.deprecation(h, hctx), description=_str(h.get("description")), location=hctx.loc)
            out[status] = Response(status=status, content=content, headers=dict(sorted(headers.items())),
                                   description=_str(r.get("description")), location=rctx.loc)
        return dict(sorted(out.items()))

    @staticmethod
    def security(value: Any) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] | None:
        if not isinstance(value, list):
            return None
        alternatives = []
        for req in value:
            if isinstance(req, dict):
                alternatives.append(tuple(sorted((str(k), tuple(sorted(str(s) for s in v or ())))
                                                 for k, v in req.items())))
        return tuple(sorted(set(alternatives)))

    def servers(self, value: Mapping[str, Any], ctx: _Ctx) -> tuple[str, ...]:
        if self.v2 and value is self.doc:
            host = value.get("host")
            if not host:
                return ()
            schemes = value.get("schemes") or ["https"]
            return tuple(f"{s}://{host}{value.get('basePath') or ''}" for s in schemes)
        servers = value.get("servers")
        if not isinstance(servers, list):
            return ()
        return tuple(str(s["url"]) for s in servers if isinstance(s, dict) and "url" in s)

    def security_schemes(self, root: _Ctx) -> dict[str, SecurityScheme]:
        if self.v2:
            raw, base = self.doc.get("securityDefinitions"), root.at("securityDefinitions")
        else:
            raw, base = (self.doc.get("components") or {}).get("securitySchemes"), root.at("components",
                                                                                         "securitySchemes")
        out: dict[str, SecurityScheme] = {}
        if not isinstance(raw, dict):
            return out
        for name, s in raw.items():
            s, sctx = self.deref(s, base.at(name))
            if not isinstance(s, dict):
                continue
            self.shape(s, shapes.SECURITY_SCHEME, sctx)
            kind = str(s.get("type", ""))
            scheme = s.get("scheme") or (f"{s.get('in')} {s.get('name')}" if kind == "apiKey" else None)
            if self.v2 and kind == "basic":  # 2.0 basic is 3.x http basic: the same credentials
                kind, scheme = "http", "basic"
            flows: dict[str, OAuthFlow] = {}
            if kind == "oauth2":
                if self.v2:
                    flow = str(s.get("flow"))
                    flows[_V2_FLOWS.get(flow, flow)] = _flow(s)
                else:
                    for flow, f in (s.get("flows") or {}).items():
                        if isinstance(f, dict):
                            flows[str(flow)] = _flow(f)
            out[str(name)] = SecurityScheme(
                name=str(name), type=kind, scheme=_str(scheme), flows=dict(sorted(flows.items())),
                bearer_format=_str(s.get("bearerFormat")) if kind == "http" else None,
                open_id_connect_url=_str(s.get("openIdConnectUrl")) if kind == "openIdConnect" else None,
                location=sctx.loc)
        return out


# -- helpers ------------------------------------------------------------------------------------

_V2_FLOWS = {"accessCode": "authorizationCode", "application": "clientCredentials"}  # 2.0 -> 3.x flow names


def _flow(f: Mapping[str, Any]) -> OAuthFlow:
    return OAuthFlow(scopes=tuple(sorted(str(k) for k in f.get("scopes") or {})),
                     authorization_url=_str(f.get("authorizationUrl")), token_url=_str(f.get("tokenUrl")),
                     refresh_url=_str(f.get("refreshUrl")))


def _with_schemes(operations: Mapping[str, Operation], schemes: Mapping[str, SecurityScheme]) -> dict[str, Operation]:
    """Each operation with the definitions of the schemes its requirements name."""
    out = {}
    for key, op in operations.items():
        used = {name: schemes[name] for alt in op.security or () for name, _ in alt if name in schemes}
        out[key] = replace(op, security_schemes=dict(sorted(used.items()))) if used else op
    return out

_COUNT_KEYWORDS = (("minLength", "min_length"), ("maxLength", "max_length"), ("minItems", "min_items"),
                   ("maxItems", "max_items"), ("minProperties", "min_properties"), ("maxProperties", "max_properties"),
                   ("minContains", "min_contains"), ("maxContains", "max_contains"))
_COUNT_KEYS = frozenset(key for key, _ in _COUNT_KEYWORDS)

def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _num(value: Any) -> Number | None:
    """A number kept as written: an int or an exact Decimal as it is, other numbers as floats."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float | Decimal) and value != value:  # NaN: no bound, and not equal to itself
        return None
    return value if isinstance(value, Decimal) or (isinstance(value, int) and abs(value) > 2**53) else float(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float | Decimal) and not (value == value and abs(value) != float("inf")):
        return None
    return int(value)


def _at_least_as_tight(exclusive: Number, plain: Number, lower: bool) -> bool:
    x, y = comparable(exclusive, plain)
    return x >= y if lower else x <= y


def _tighter_min(a: Bound, b: Bound) -> Bound:
    x, y = comparable(a.value, b.value)
    if x != y:
        return a if x > y else b
    return a if a.exclusive else b


def _tighter_max(a: Bound, b: Bound) -> Bound:
    x, y = comparable(a.value, b.value)
    if x != y:
        return a if x < y else b
    return a if a.exclusive else b


_CONTENT_FIELDS = ("types", "format", "enum", "const", "default", "minimum", "maximum", "multiple_of", "min_length",
                   "max_length", "pattern", "items", "min_items", "max_items", "properties", "required",
                   "additional", "min_properties", "max_properties", "one_of", "any_of", "not_", "discriminator",
                   "min_contains", "max_contains", "extensible_enum", "keywords")


def _has_content(schema: Schema) -> bool:
    return any(getattr(schema, f) not in (None, (), frozenset(), {}, False) for f in _CONTENT_FIELDS)


def _replace(schema: Schema, **changes: Any) -> Schema:
    from dataclasses import replace

    return replace(schema, **changes)


def load_openapi(resolver: Resolver, source: str, sunset_extension: str = "x-sunset") -> HttpApi:
    try:
        return Normalizer(resolver, source, sunset_extension).build()
    except RecursionError:
        raise LimitExceeded("the document nests schemas too deeply", file=resolver.root_name) from None


def iter_schemas(schema: Schema) -> Iterable[Schema]:
    """The schema and its inline subschemas (not following refs)."""
    stack = [schema]
    while stack:
        s = stack.pop()
        yield s
        stack.extend(nested(s))
