"""What each OpenAPI keyword's value must be (2.0, 3.0, 3.1), checked on each node before the
normalizer reads it (:mod:`apidiff.core.shape`).

A value that the normalizer would drop or misread (``flows: 5``, ``security: [{x: 5}]``,
``maximum: "5"``, ``nullable: "true"``, ``enum: red``) is a located error. Values that are only
text (descriptions, summaries, formats) may be any scalar, as they are read as text.
"""

from __future__ import annotations

from apidiff.core.shape import ANY, BOOL, INT, LIST, NUM, OBJ, STR, Either, ListOf, MapOf, Obj

TEXT = Either(STR, NUM, BOOL)  # read as text: YAML may have made it a number (``version: 1.0``)
SCHEMA_OR_BOOL = Either(OBJ, BOOL)
SECURITY = ListOf(MapOf(ListOf(STR)))  # alternatives of {scheme: [scope, …]}

DOCUMENT = Obj({
    "openapi": TEXT, "swagger": TEXT, "info": OBJ, "paths": OBJ, "components": OBJ, "webhooks": OBJ,
    "security": SECURITY, "servers": ListOf(Obj({"url": TEXT})), "definitions": OBJ, "securityDefinitions": OBJ,
    "consumes": ListOf(STR), "produces": ListOf(STR), "host": STR, "basePath": STR, "schemes": ListOf(STR),
    "tags": ListOf(OBJ),
})
COMPONENTS = Obj({key: OBJ for key in ("schemas", "responses", "parameters", "examples", "requestBodies",
                                       "headers", "securitySchemes", "links", "callbacks", "pathItems")})
INFO = Obj({"version": TEXT, "title": TEXT})
PATH_ITEM = Obj({
    "$ref": STR, "parameters": ListOf(OBJ), "servers": ListOf(Obj({"url": TEXT})),
    **{method: OBJ for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")},
})
OPERATION = Obj({
    "parameters": ListOf(OBJ), "requestBody": OBJ, "responses": OBJ, "security": SECURITY,
    "tags": ListOf(Either(STR, INT)), "deprecated": BOOL, "operationId": TEXT, "servers": ListOf(Obj({"url": TEXT})),
    "consumes": ListOf(STR), "produces": ListOf(STR), "callbacks": OBJ,
})
PARAMETER = Obj({
    "name": TEXT, "in": STR, "required": BOOL, "schema": SCHEMA_OR_BOOL, "content": MapOf(OBJ), "deprecated": BOOL,
    "style": STR, "explode": BOOL, "allowEmptyValue": BOOL,
})
REQUEST_BODY = Obj({"content": MapOf(OBJ), "required": BOOL})
MEDIA_TYPE = Obj({"schema": SCHEMA_OR_BOOL, "examples": OBJ, "encoding": OBJ})
RESPONSE = Obj({"content": MapOf(OBJ), "headers": MapOf(OBJ), "schema": SCHEMA_OR_BOOL})
HEADER = Obj({"required": BOOL, "schema": SCHEMA_OR_BOOL, "content": MapOf(OBJ), "deprecated": BOOL})
_FLOW = Obj({"scopes": MapOf(ANY), "authorizationUrl": STR, "tokenUrl": STR, "refreshUrl": STR})
SECURITY_SCHEME = Obj({
    "type": STR, "scheme": STR, "in": STR, "name": STR, "bearerFormat": STR, "openIdConnectUrl": STR,
    "flows": MapOf(_FLOW),  # 3.x
    "flow": STR, "scopes": MapOf(ANY), "authorizationUrl": STR, "tokenUrl": STR,  # 2.0
})
SCHEMA = Obj({
    "$ref": STR, "type": Either(STR, ListOf(STR)), "format": TEXT, "enum": LIST, "minimum": NUM, "maximum": NUM,
    "exclusiveMinimum": Either(BOOL, NUM), "exclusiveMaximum": Either(BOOL, NUM), "multipleOf": NUM,
    "minLength": INT, "maxLength": INT, "pattern": TEXT, "items": Either(OBJ, BOOL, LIST), "minItems": INT,
    "maxItems": INT, "uniqueItems": BOOL, "properties": MapOf(SCHEMA_OR_BOOL),
    # a list of names; ``required: true`` on a property is a common slip from Swagger 2.0 and is ignored
    "required": Either(ListOf(Either(STR, INT)), BOOL),
    "additionalProperties": SCHEMA_OR_BOOL, "minProperties": INT, "maxProperties": INT, "minContains": INT,
    "maxContains": INT, "x-extensible-enum": LIST, "oneOf": ListOf(SCHEMA_OR_BOOL), "anyOf": ListOf(SCHEMA_OR_BOOL),
    "allOf": ListOf(SCHEMA_OR_BOOL), "not": SCHEMA_OR_BOOL,
    "discriminator": Either(Obj({"propertyName": STR, "mapping": MapOf(STR)}), STR),
    "readOnly": BOOL, "writeOnly": BOOL, "deprecated": BOOL, "nullable": BOOL, "x-nullable": BOOL,
})
