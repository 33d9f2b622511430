"""HTTP traffic as usage: which recorded requests a comparison of two OpenAPI documents breaks.

Three formats are read (:func:`read`):

- **HAR 1.2** (``log.entries[]``): method, URL, query string, headers, cookies, the request body
  (``postData.text``), the response status, headers and body (``content.text``, base64 when
  ``encoding`` says so). A request's line is the line where its entry starts.
- **JSON lines**, one request per line, an object with at least a method and a path or URL. Field
  names are matched ignoring case, ``-`` and ``_`` (``userAgent``, ``user_agent`` and ``User-Agent``
  are one name); the first found wins:

  ====================  ===========================================================================
  method                ``method``, ``http_method``, ``httpMethod``, ``request_method``, ``verb``
  path                  ``url``, ``uri``, ``request_uri``, ``request_url``, ``target``, then ``path``,
                        ``request_path``, ``endpoint``; or ``request`` as a request line
                        ``"GET /pets?limit=5 HTTP/1.1"``
  query                 ``query``, ``query_string``, ``querystring``, ``params``, ``query_params``,
                        ``args``: an object (names are what counts) or a string ``a=1&b=2``
  status                ``status``, ``status_code``, ``response_status``, ``code``
  headers               ``headers``, ``request_headers``: an object or a HAR-like list of
                        ``{"name", "value"}``
  user agent            ``user_agent``, ``http_user_agent``, ``ua``; else the ``User-Agent`` header
  request body          ``request_body``, ``req_body``, ``body``: a JSON value or JSON text
  response body         ``response_body``, ``resp_body``: a JSON value or JSON text
  response headers      ``response_headers``, ``resp_headers``
  content types         ``request_content_type`` / ``content_type``; ``response_content_type``
  ====================  ===========================================================================

  The members of a nested ``request`` object count as the record's, those of a nested ``response``
  object as ``response_…`` (``{"request": {"method", "url", "headers"}, "response": {"status", "body"}}``).
  A ``path`` without ``?`` and no query field leaves the query string unknown (a ``path`` field often
  holds the route only); a ``url``, ``uri`` or other request target without ``?`` says there was
  none. Without a headers field, the headers and cookies sent are unknown; without a body field, the
  body.
- **Access logs** in the common or combined log format
  (``host ident user [time] "METHOD /path?query HTTP/1.1" status size "referer" "user-agent"``,
  more fields after those are allowed). Lines that do not parse as one (or whose request is not
  ``METHOD target [protocol]``, such as ``"-"``) are skipped and counted: :attr:`HttpUsage.skipped`
  has, per file, how many, the first one's line and the line itself (shortened), and
  :attr:`HttpUsage.notes` says it in one line. A log records no headers nor bodies.

A response to ``HEAD`` has no body, in any format.

**Consumers.** With ``consumer_key``, a request's consumer is the value of that header (HAR, JSON
lines), or of that field (JSON lines; access logs: ``host``, ``ident``, ``user``, ``referer`` or
``user-agent``); without it, its ``User-Agent``, named by its most specific product token without
the version (:func:`agent_name`: ``Mozilla/5.0 (…) Chrome/120 pet-web/1.4`` is ``pet-web``, a plain
browser ``browser (Chrome)``; ``consumer_version`` keeps ``pet-web/1.4``). A request without the
value (and every request of an access log when the key is not one of its fields;
:attr:`HttpUsage.notes` says so) belongs to the file's default consumer
(:class:`~apidiff.core.usage.UsageFile`). **No secret reaches a report**: a value is replaced by
``sha256:`` and the first 16 hex digits of its SHA-256 when the key names a credential
(``Authorization``, ``Proxy-Authorization``, ``Cookie``, or a name with ``token``, ``secret``,
``passw``, ``session``, ``credential``, ``signature``, ``auth`` or ``api-key``/``apikey`` not
followed by ``id``), or when the value looks like one (``Bearer …``, ``Basic …``, a JWT), so that one
credential is still one consumer. Query values and bodies are never kept; only names and shapes.

**Reading and matching.** Matching a request to an operation needs the API, so :func:`read` only
parses and aggregates: per (consumer, method, request path) and what the refinements below need
(parameter names sent, status, media types, the *shape* of JSON bodies: the set of key paths,
array items folded together), counting requests and keeping the file and line of the first. Memory
is bounded by the number of distinct aggregates, not of requests: path segments that look like
values (numbers, UUIDs, long hex) keep 16 distinct values per position, other segments 256, and
later ones become one "some value" segment, which matches only path parameters (a whole-segment
parameter first, then a partial template such as ``{name}.json``); bodies with more
than 2,000 distinct key paths count as unknown. :meth:`HttpUsage.assess` then matches each
aggregate to the **old** API's operations (the traffic was recorded against it): the method (``HEAD``
falls back to ``GET``), then the path, percent-decoded per segment, without its query string and
empty segments, with a literal segment preferred to a partial template (``{id}.json``) and that to a
parameter; first with the path of the operation's ``servers`` URL as a prefix, else as is (a proxy
may strip it). Requests that match no operation are counted in :attr:`HttpUsage.unmatched` (by
method and path, value-like segments shown as ``*``) and in a note, not listed as usages. Webhooks
are not matched.

:attr:`HttpUsage.usages` is one :class:`~apidiff.core.usage.Usage` per (consumer, operation of the old
API) once :meth:`~HttpUsage.assess` (or :meth:`~HttpUsage.match`) has run, with ``operation`` the old
template (``GET /pets/{petId}``), ``requests`` their number and ``file``/``line`` where the first was
seen; before, one per (consumer, method, path as requested).

**What a change touches.** Only breaking and dangerous changes count (by ``Change.severity``);
where they land is :class:`~apidiff.formats.openapi.places.HttpPlaces` in backward mode (the guide's logic).
The traffic narrows that down when it shows it, else every request of the operation counts:

- the operation itself (removed, deprecated, security): every request;
- a parameter: the requests that sent it, or, for ``parameter-added-required``,
  ``parameter-became-required`` and ``default-changed``, that did not; path parameters are always
  sent; when the format does not record that kind of parameter (headers and cookies in access
  logs), every request counts;
- the request body: the requests whose JSON body holds the element (or, for
  ``property-added-required``, ``property-became-required`` and ``default-changed``, whose body
  holds its parent but not it); ``request-body-became-required`` and ``-added-required``: the
  requests without a body; ``request-body-removed``: those with one;
- a response (``GET /pets response 200 …``): the requests that got that status (``2XX`` and
  ``default`` as OpenAPI resolves them against the old operation's responses; a request whose
  status is unknown counts), and for elements of its body or headers, whose response held them;
  ``response-status-added``: every request;
- a named schema (``Pet.tag``, ``Status``): in each operation that uses it where the change
  matters, the requests that sent it (a parameter or a body holding an instance of it, found by
  walking the body with the old schema) or whose response held it.

An :class:`~apidiff.core.usage.Impact` is returned for each (consumer, operation) that at least
one such change touches, with the changes in report order and how many of its requests they
touch; untouched usages are counted in :attr:`HttpUsage.usages`, not returned.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import SplitResult, unquote, unquote_plus, urlsplit

from apidiff.core._positions import json_pointer_positions
from apidiff.core._yaml import loads_json
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.errors import UsageError
from apidiff.core.usage import UNKNOWN_CONSUMER, Impact, Usage
from apidiff.formats.openapi.model import Operation, Schema
from apidiff.formats.openapi.places import HttpPlaces, component_of, op_key, schema_refs

if TYPE_CHECKING:
    from apidiff.core.usage import UsageFile
    from apidiff.formats.openapi.model import HttpApi

__all__ = ["HttpUsage", "Skipped", "read"]

T = TypeVar("T")
MAX_VALUE_SEGMENTS = 16  # distinct value-like segments (numbers, UUIDs, hex) kept per path position
MAX_WORD_SEGMENTS = 256  # distinct other segments kept per path position
MAX_PATH_NODES = 100_000  # distinct request paths kept in all
MAX_SHAPE = 2_000  # distinct key paths of one JSON body; more: the body counts as unknown
MAX_SHAPE_DEPTH = 32
MAX_CONSUMER = 200  # characters of a consumer name
MAX_AGENT = 2_000  # characters of a User-Agent read for its product tokens
_CACHE = 65_536  # entries of the per-file caches of parsed request targets

ITEM: None = None  # a shape step: an item of an array (property names are strings)
Shape = frozenset[tuple[str | None, ...]]

# -- aggregates ---------------------------------------------------------------------------------
#
# A request is reduced to a key; requests with equal keys are counted together. The key is
# (consumer, method, path node, features); features are what refines which changes touch it:
#
#   params     frozenset of "query name", "header name" (lower case), "cookie name" sent
#   known      frozenset of the parameter locations whose presence is known ("query", "header", "cookie")
#   status     the response status; 0 when unknown
#   req_media  the request's media type; "" no body; None unknown; "*" a body of unknown type
#   req_shape  the key paths of the request's JSON body; None unknown (not JSON, not recorded)
#   resp_media, resp_shape  the same for the response
#   resp_headers  frozenset of the response's header names (lower case); None unknown

Features = tuple[frozenset[str], frozenset[str], int, str | None, Shape | None, str | None, Shape | None,
                 frozenset[str] | None]
Key = tuple[str, str, int, Features]

_NO_NAMES: frozenset[str] = frozenset()
_QUERY_KNOWN = frozenset({"query"})
_ALL_KNOWN = frozenset({"query", "header", "cookie"})
_HEADERS_KNOWN = frozenset({"header", "cookie"})


@dataclass(frozen=True, slots=True)
class Skipped:
    """Lines of an access log that are not requests in the common or combined log format."""

    file: str
    lines: int  # how many
    first: int  # the line number of the first
    example: str  # the first, shortened to 120 characters


class _Paths:
    """The request paths seen, as a tree of segments with a bounded number of children."""

    def __init__(self) -> None:
        self.children: list[dict[str, int]] = [{}]
        self.values: list[int] = [0]  # value-like children per node
        self.wild: list[int] = [-1]  # the "some value" child
        self.segments: list[tuple[str | None, ...]] = [()]

    def node(self, segments: Iterable[str]) -> int:
        node = 0
        for seg in segments:
            child = self.children[node].get(seg)
            if child is None:
                child = self._add(node, seg)
            node = child
        return node

    def _add(self, node: int, seg: str) -> int:
        value_like = _VALUE.match(seg) is not None
        full = len(self.segments) >= MAX_PATH_NODES
        if not full and value_like and self.values[node] < MAX_VALUE_SEGMENTS:
            self.values[node] += 1
        elif full or value_like or len(self.children[node]) - self.values[node] >= MAX_WORD_SEGMENTS:
            if self.wild[node] < 0:
                self.wild[node] = self._new(node, None)
            return self.wild[node]
        child = self._new(node, seg)
        self.children[node][seg] = child
        return child

    def _new(self, parent: int, seg: str | None) -> int:
        self.children.append({})
        self.values.append(0)
        self.wild.append(-1)
        self.segments.append((*self.segments[parent], seg))
        return len(self.segments) - 1

    def display(self, node: int, *, mask: bool = False) -> str:
        """The path of a node; "some value" segments as ``*``, and with ``mask`` value-like ones too."""
        return "/" + "/".join("*" if s is None or (mask and _VALUE.match(s)) else s for s in self.segments[node])


_VALUE = re.compile(r"^(?:\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                    r"|[0-9a-fA-F]{16,})$")


def _split_path(path: str) -> list[str]:
    return [unquote(s) if "%" in s else s for s in path.split("/") if s]


def _query_names(query: str) -> list[str]:
    out = []
    for part in query.split("&"):
        name = part.split("=", 1)[0]
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if name:
            out.append(name)
    return out


def _media(value: object) -> str:
    """``application/json; charset=utf-8`` → ``application/json``."""
    return str(value).split(";", 1)[0].strip().lower()


def _is_json(media: str | None) -> bool:
    return media is not None and (media == "application/json" or media.endswith("+json") or "/json" in media)


def shape(value: Any) -> Shape | None:
    """The key paths of a JSON value (array items as :data:`ITEM`); None when it has too many."""
    out: set[tuple[str | None, ...]] = set()
    stack: list[tuple[tuple[str | None, ...], Any]] = [((), value)]
    while stack:
        path, v = stack.pop()
        out.add(path)
        if len(out) > MAX_SHAPE:
            return None
        if len(path) >= MAX_SHAPE_DEPTH:
            continue
        if isinstance(v, dict):
            stack.extend(((*path, str(k)), x) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend(((*path, ITEM), x) for x in v)
    return frozenset(out)


# -- consumers ----------------------------------------------------------------------------------

_SECRET_NAME = re.compile(r"^(?:authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|session"
                          r"|credential|signature|auth|api[-_]?key(?![-_]?id)", re.IGNORECASE)
_SECRET_VALUE = re.compile(r"^(?:(?:bearer|basic|digest|negotiate|token|apikey|aws4-hmac-sha256)\s+\S"
                           r"|eyJ[\w-]*\.[\w-]*\.)", re.IGNORECASE)


def secret_name(name: str) -> bool:
    """Whether a header or field of that name holds a credential."""
    return _SECRET_NAME.search(name) is not None


def consumer_name(value: str, *, secret: bool = False) -> str:
    """How a consumer is named in reports: credentials hashed, controls escaped, long names cut."""
    value = value.strip()
    if secret or _SECRET_VALUE.match(value):
        return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    if not value.isprintable():
        value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return value if len(value) <= MAX_CONSUMER else value[: MAX_CONSUMER - 1] + "…"


# product tokens that say which browser engine, platform or HTTP library sent a request, not which
# client: skipped when a more specific token is present (``Mozilla/5.0 (…) Chrome/120 pet-web/1.4``)
GENERIC_PRODUCTS = frozenset(name.lower() for name in (
    "Mozilla", "AppleWebKit", "KHTML", "like", "Gecko", "Chrome", "Chromium", "CriOS", "HeadlessChrome", "Safari",
    "MobileSafari", "Mobile", "Version", "Firefox", "FxiOS", "Edg", "Edge", "EdgA", "EdgiOS", "OPR", "Opera",
    "OPiOS", "SamsungBrowser", "YaBrowser", "UCBrowser", "Vivaldi", "Brave", "Trident", "Presto", "MSIE",
    "Electron", "wv", "CFNetwork", "Darwin", "Dalvik", "okhttp", "python-requests", "python-urllib3",
    "python-httpx", "aiohttp", "Python-urllib", "axios", "node-fetch", "undici", "node", "Go-http-client",
    "curl", "Wget", "Java", "Apache-HttpClient", "Dart", "RestSharp", "PostmanRuntime", "insomnia", "libcurl",
))
# a plain browser: its family, the most specific token first (Edge and Opera also say Chrome)
_BROWSERS = (("Edge", ("edg", "edga", "edgios", "edge")), ("Opera", ("opr", "opera", "opios")),
             ("Samsung Internet", ("samsungbrowser",)), ("Firefox", ("firefox", "fxios")),
             ("Chrome", ("chrome", "crios", "chromium", "headlesschrome")), ("Safari", ("safari", "mobilesafari")),
             ("Internet Explorer", ("trident", "msie")))
_PRODUCT = re.compile(r"^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:/(\S+))?$")
_COMPATIBLE = re.compile(r"compatible;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:/([^;\s)]+))?", re.IGNORECASE)


def agent_name(value: str, *, version: bool = False) -> str:
    """The consumer a ``User-Agent`` names: its most specific product token, without its version
    (unless ``version``): ``Mozilla/5.0 (X11) … Chrome/120.0 Safari/537.36 pet-web/1.4`` and
    ``pet-web/1.4`` are both ``pet-web``; ``PetApp/3.2 CFNetwork/1408 Darwin/22.5`` is ``PetApp``.

    Engines, platforms and HTTP libraries (:data:`GENERIC_PRODUCTS`) count only when nothing more
    specific is there; a crawler's ``(compatible; Googlebot/2.1; …)`` names it; a plain browser is
    ``browser (Chrome)`` (``browser (Chrome/120.0)`` with ``version``); a lone library is its name
    (``curl``, ``okhttp``). Plain words (``web``, no ``/`` and no comment) are kept as they are."""
    outside: list[str] = []
    parts: list[list[str]] = []
    depth = 0
    word: list[str] = []
    for ch in value[:MAX_AGENT]:  # product tokens outside (…), comments inside (they may nest)
        if ch == "(":
            if depth == 0 and word:
                outside.append("".join(word))
                word = []
            depth += 1
            if depth == 1:
                parts.append([])
            continue
        if ch == ")" and depth:
            depth -= 1
            continue
        if depth:
            parts[-1].append(ch)
        elif ch.isspace():
            if word:
                outside.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        outside.append("".join(word))
    comments = ["".join(p) for p in parts]
    products = [(m.group(1), m.group(2)) for m in map(_PRODUCT.match, outside) if m is not None]
    if not comments and all(ver is None for _, ver in products):
        return value  # words, not product tokens: a name given as it is ("web", "partner portal")

    def named(name: str, ver: str | None) -> str:
        return f"{name}/{ver}" if version and ver else name

    for name, ver in products:
        if name.lower() not in GENERIC_PRODUCTS:
            return named(name, ver)
    for comment in comments:
        bot = _COMPATIBLE.search(comment)
        if bot is not None and bot.group(1).lower() not in GENERIC_PRODUCTS:
            return named(bot.group(1), bot.group(2))
    lowered = {name.lower(): ver for name, ver in products}
    if "mozilla" in lowered:
        for family, tokens in _BROWSERS:
            for token in tokens:
                if token in lowered:
                    ver = lowered[token]
                    return f"browser ({family}/{ver})" if version and ver else f"browser ({family})"
        if any("msie" in c.lower() or "trident/" in c.lower() for c in comments):
            return "browser (Internet Explorer)"
        return "browser"
    if products:
        return named(*products[0])
    return value


# -- reading ------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Count:
    requests: int
    file: int  # index in HttpUsage.files
    line: int


_AGENT_KEYS = frozenset({"user-agent", "user_agent", "http_user_agent", "ua", "useragent"})


class _Reader:
    def __init__(self, consumer_key: str | None, consumer_version: bool = False) -> None:
        self.key = consumer_key
        self.key_lower = consumer_key.lower() if consumer_key else None
        self.key_secret = bool(consumer_key) and secret_name(consumer_key or "")
        # the consumer is a User-Agent: named by its product token (with its version: on request)
        self.agent = self.key_lower is None or self.key_lower in _AGENT_KEYS
        self.version = consumer_version
        self.paths = _Paths()
        self.counts: dict[Key, _Count] = {}
        self.files: list[str] = []
        self.skipped: list[Skipped] = []
        self.notes: list[str] = []
        self.requests = 0
        self._interned: dict[Any, Any] = {}
        self._consumers: dict[tuple[str, bool], str] = {}

    def intern(self, value: T) -> T:
        return cast(T, self._interned.setdefault(value, value))

    def consumer(self, value: str | None, default: str, *, secret: bool = False) -> str:
        if value is None or not value.strip() or value.strip() == "-":
            return default
        found = self._consumers.get((value, secret))
        if found is None:
            if len(self._consumers) > _CACHE:
                self._consumers.clear()
            name = value
            if self.agent and not secret and not _SECRET_VALUE.match(value.strip()):
                name = agent_name(value.strip(), version=self.version)
            found = self._consumers[(value, secret)] = consumer_name(name, secret=secret)
        return found

    def add(self, consumer: str, method: str, node: int, features: Features, file: int, line: int) -> None:
        self.requests += 1
        if method == "HEAD" and features[6] is None:  # a response to HEAD has no body
            features = self.features(features[0], features[1], features[2], features[3], features[4], "",
                                     frozenset(), features[7])
        key: Key = (consumer, method, node, features)
        count = self.counts.get(key)
        if count is None:
            self.counts[key] = _Count(1, file, line)
        else:
            count.requests += 1

    def features(self, params: Iterable[str], known: frozenset[str], status: int, req_media: str | None,
                 req_shape: Shape | None, resp_media: str | None, resp_shape: Shape | None,
                 resp_headers: Iterable[str] | None) -> Features:
        i = self.intern
        features: Features = (i(frozenset(params)), known, status, req_media, i(req_shape), resp_media,
                              i(resp_shape), None if resp_headers is None else i(frozenset(resp_headers)))
        return i(features)

    # -- HAR ----------------------------------------------------------------------------------
    def har(self, text: str, name: str, index: int, default: str) -> None:
        for line, entry in _har_entries(text, name):
            if not isinstance(entry, dict):
                raise UsageError("a HAR entry must be an object", file=name, line=line)
            req = entry.get("request")
            if not isinstance(req, dict) or not isinstance(req.get("method"), str) \
                    or not isinstance(req.get("url"), str):
                raise UsageError("a HAR entry needs request.method and request.url", file=name, line=line)
            resp: dict[str, Any] = entry["response"] if isinstance(entry.get("response"), dict) else {}
            url = _urlsplit(req["url"], name, line)
            headers = _pairs(req.get("headers"))
            params = [f"query {n}" for n in _query_names(url.query)]
            params += [f"query {p['name']}" for p in _list(req.get("queryString")) if isinstance(p.get("name"), str)]
            params += [f"header {n}" for n in headers]
            cookies = [str(c["name"]) for c in _list(req.get("cookies")) if isinstance(c.get("name"), str)]
            cookies += _cookie_names(headers.get("cookie"))
            params += [f"cookie {n}" for n in cookies]
            post = req.get("postData")
            if isinstance(post, dict):
                media = _media(post.get("mimeType") or headers.get("content-type") or "") or "*"
                req_media, req_shape = self.body(post.get("text"), media)
            else:
                req_media, req_shape = "", frozenset()
            status = resp.get("status")
            status = status if isinstance(status, int) and 100 <= status <= 599 else 0
            resp_headers = _pairs(resp.get("headers")) if "headers" in resp else None
            content = resp.get("content") if isinstance(resp.get("content"), dict) else None
            resp_media: str | None = None
            resp_shape: Shape | None = None
            if content is not None:
                text_value = content.get("text")
                if isinstance(text_value, str) and content.get("encoding") == "base64":
                    text_value = _unbase64(text_value)
                size = content.get("size")
                empty = text_value is None and (size == 0 or status in (204, 304))
                media = _media(content.get("mimeType") or (resp_headers or {}).get("content-type") or "") or "*"
                resp_media, resp_shape = ("", frozenset()) if empty else self.body(text_value, media)
            value = headers.get(self.key_lower or "user-agent")
            consumer = self.consumer(value, default, secret=self.key_secret)
            node = self.paths.node(_split_path(url.path))
            features = self.features(params, _ALL_KNOWN, status, req_media, req_shape, resp_media, resp_shape,
                                      None if resp_headers is None else resp_headers.keys())
            self.add(consumer, req["method"].upper(), node, features, index, line)

    def body(self, value: Any, media: str) -> tuple[str | None, Shape | None]:
        """(media type, shape) of a body given as JSON text (or, in JSON lines, as a JSON value)."""
        if value is None:
            return media, None  # a body, not recorded
        if isinstance(value, str):
            if not value:
                return "", frozenset()
            if not (_is_json(media) or media == "*" or value.lstrip()[:1] in ("{", "[")):
                return media, None
            try:
                value = loads_json(value)
            except ValueError:
                return media, None
            if media == "*":
                media = "application/json"
        return media, shape(value)

    # -- JSON lines ---------------------------------------------------------------------------
    def jsonl(self, text: str, name: str, index: int, default: str) -> None:
        for number, line in _lines(text):
            if not line.strip():
                continue
            try:
                data = loads_json(line)
            except ValueError as exc:
                raise UsageError(f"not a JSON object: {_json_message(exc)}", file=name, line=number) from None
            if not isinstance(data, dict):
                raise UsageError("each line must be a JSON object", file=name, line=number)
            self.json_request(data, name, index, number, default)

    def json_request(self, data: Mapping[str, Any], name: str, index: int, number: int, default: str) -> None:
        fields = _Fields(data)
        method = fields.text("method", "http_method", "request_method", "verb")
        target = fields.text("url", "uri", "request_uri", "request_url", "target")
        path = fields.text("path", "request_path", "endpoint")
        query_known = target is not None
        request_line = fields.text("request")
        if request_line is not None and (method is None or (target is None and path is None)):
            parts = request_line.split(" ")
            if len(parts) >= 2:
                method, target, query_known = method or parts[0], parts[1], True
        if method is None or not method.strip():
            raise UsageError("the request has no method (method, http_method, request_method, verb)",
                             file=name, line=number)
        if target is None and path is None:
            raise UsageError("the request has no path or URL (path, url, uri, request_uri, request)",
                             file=name, line=number)
        raw = target if target is not None else str(path)
        split = _urlsplit(raw, name, number) if "://" in raw[:12] else None
        path_part, _, query = (split.path, "?", split.query) if split is not None else raw.partition("?")
        query_known = query_known or "?" in raw
        names = _query_names(query.lstrip("?"))
        q = fields.get("query", "query_string", "querystring", "params", "query_params", "args")
        if isinstance(q, Mapping):
            names += [str(k) for k in q]
            query_known = True
        elif isinstance(q, str):
            names += _query_names(q.lstrip("?"))
            query_known = True
        raw_headers = fields.get("headers", "request_headers")
        headers = _pairs(raw_headers)
        params = [f"query {n}" for n in names] + [f"header {n}" for n in headers]
        params += [f"cookie {n}" for n in _cookie_names(headers.get("cookie"))]
        known = _QUERY_KNOWN if query_known else _NO_NAMES
        if raw_headers is not None:
            known = known | _HEADERS_KNOWN
        status_value = fields.get("status", "status_code", "response_status", "code")
        status = _status(status_value)
        req_type = fields.text("request_content_type", "content_type") or headers.get("content-type")
        resp_headers_raw = fields.get("response_headers", "resp_headers")
        resp_headers = _pairs(resp_headers_raw) if resp_headers_raw is not None else None
        resp_type = fields.text("response_content_type") or (resp_headers or {}).get("content-type")
        req_media, req_shape = self._json_body(fields.get("request_body", "req_body", "body"), req_type)
        resp_media, resp_shape = self._json_body(fields.get("response_body", "resp_body"), resp_type)
        if self.key is not None:
            value = fields.text(self.key)
            if value is None:
                value = headers.get(self.key_lower or "")
        else:
            value = fields.text("user_agent", "http_user_agent", "ua") or headers.get("user-agent")
        consumer = self.consumer(value, default, secret=self.key_secret)
        node = self.paths.node(_split_path(path_part))
        features = self.features(params, known, status, req_media, req_shape, resp_media, resp_shape,
                                 None if resp_headers is None else resp_headers.keys())
        self.add(consumer, method.strip().upper(), node, features, index, number)

    def _json_body(self, value: Any, media: str | None) -> tuple[str | None, Shape | None]:
        if value is None:
            return None, None
        kind = _media(media) if media else "*"
        if isinstance(value, str):
            return self.body(value, kind)
        return ("application/json" if kind == "*" else kind), shape(value)

    # -- access logs --------------------------------------------------------------------------
    def access_log(self, text: str, name: str, index: int, default: str) -> None:
        field_no = _LOG_FIELDS.get(self.key_lower or "user-agent")
        if self.key is not None and field_no is None:
            self.notes.append(f"{name}: an access log does not record {self.key}: its requests are counted for "
                              f"{default}")
        # the hot loop of a large log: lines are matched in place (no slicing), and the parsed
        # targets, features and consumers are cached
        match = _CLF.match
        targets: dict[str, tuple[int, frozenset[str]]] = {}
        features_cache: dict[tuple[frozenset[str], str, bool], Features] = {}
        consumers: dict[str | None, str] = {}
        counts = self.counts
        paths = self.paths
        skipped = first = number = pos = seen = 0
        example = ""
        end = len(text)
        find = text.find
        while pos < end:
            nl = find("\n", pos)
            if nl < 0:
                nl = end
            number += 1
            m = match(text, pos, nl)
            parts: list[str] = m.group(5).split(" ") if m is not None else []
            if m is None or len(parts) not in (2, 3) or not parts[0].isalpha() or not parts[1]:
                line = text[pos:nl].strip()
                if line:
                    skipped += 1
                    if not first:
                        first, example = number, line
                pos = nl + 1
                continue
            pos = nl + 1
            target = parts[1]
            parsed = targets.get(target)
            if parsed is None:
                if len(targets) > _CACHE:
                    targets.clear()
                split = _urlsplit(target, name, number) if "://" in target[:12] else None
                path, _, query = (split.path, "?", split.query) if split is not None else target.partition("?")
                names = self.intern(frozenset(f"query {n}" for n in _query_names(query)))
                parsed = targets[target] = (paths.node(_split_path(path)), names)
            method = parts[0].upper()
            fkey = (parsed[1], m.group(6), method == "HEAD")
            features = features_cache.get(fkey)
            if features is None:
                status = 0 if fkey[1] == "-" else int(fkey[1])
                no_body = "" if fkey[2] else None  # a response to HEAD has no body
                features = features_cache[fkey] = self.features(
                    parsed[1], _QUERY_KNOWN, status, None, None, no_body, None if no_body is None else frozenset(),
                    None)
            value = m.group(field_no) if field_no is not None else None
            consumer = consumers.get(value)
            if consumer is None:
                if len(consumers) > _CACHE:
                    consumers.clear()
                raw = value.replace('\\"', '"').replace("\\\\", "\\") if value and "\\" in value else value
                consumer = consumers[value] = self.consumer(raw, default, secret=self.key_secret)
            seen += 1
            key: Key = (consumer, method, parsed[0], features)
            count = counts.get(key)
            if count is None:
                counts[key] = _Count(1, index, number)
            else:
                count.requests += 1
        self.requests += seen
        if skipped:
            shown = example if len(example) <= 120 else example[:119] + "…"
            self.skipped.append(Skipped(name, skipped, first, consumer_name(shown)))


# host ident user [time] "request" status size ["referer" "user-agent"]
_QUOTED = r'"([^"\\]*(?:\\.[^"\\]*)*)"'  # "…", with \" and \\ escapes
_CLF = re.compile(rf'(\S+) (\S+) (\S+) \[([^\]]*)\] {_QUOTED} (\d{{3}}|-) (\S+)(?: {_QUOTED} {_QUOTED})?')
_LOG_FIELDS = {"host": 1, "remote_addr": 1, "remote-addr": 1, "ident": 2, "user": 3, "remote_user": 3,
               "remote-user": 3, "referer": 8, "referrer": 8, "user-agent": 9, "user_agent": 9}


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) for each line, without copying the whole text."""
    pos = 0
    number = 0
    end = len(text)
    find = text.find
    while pos < end:
        nl = find("\n", pos)
        if nl < 0:
            nl = end
        number += 1
        line = text[pos:nl]
        yield number, line[:-1] if line.endswith("\r") else line
        pos = nl + 1


def _json_message(exc: ValueError) -> str:
    return exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _pairs(value: Any) -> dict[str, str]:
    """Headers as {lower-case name: first value}, from an object or a HAR list of {name, value}."""
    out: dict[str, str] = {}
    if isinstance(value, Mapping):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list):
        items = ((h.get("name"), h.get("value")) for h in value if isinstance(h, Mapping))
    else:
        return out
    for k, v in items:
        if isinstance(k, str):
            if isinstance(v, list):
                v = v[0] if v else ""
            out.setdefault(k.lower(), "" if v is None else str(v))
    return out


def _cookie_names(header: str | None) -> list[str]:
    if not header:
        return []
    return [n for n in (part.split("=", 1)[0].strip() for part in header.split(";")) if n]


def _status(value: Any) -> int:
    try:
        status = int(value)
    except (TypeError, ValueError):
        return 0
    return status if 100 <= status <= 599 else 0


def _unbase64(text: str) -> str | None:
    try:
        return base64.b64decode(text, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


class _Fields:
    """The members of a JSON-lines record, found by any of several names (case, ``-`` and ``_``
    ignored); the members of a nested ``request`` object count as the record's, those of a nested
    ``response`` object with the prefix ``response`` (``response.status`` is ``response_status``)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.flat: dict[str, Any] = {}
        for k, v in data.items():
            self.flat.setdefault(_norm(k), v)
        for k, v in data.items():
            if isinstance(v, Mapping) and _norm(k) in ("request", "response"):
                prefix = "response" if _norm(k) == "response" else ""
                for inner, value in v.items():
                    self.flat.setdefault(prefix + _norm(inner), value)

    def get(self, *names: str) -> Any:
        for n in names:
            value = self.flat.get(_norm(n))
            if value is not None:
                return value
        return None

    def text(self, *names: str) -> str | None:
        value = self.get(*names)
        return None if value is None or isinstance(value, (Mapping, list)) else str(value)


def _norm(name: str) -> str:
    """``User-Agent``, ``user_agent`` and ``userAgent`` alike."""
    return name.lower().replace("-", "").replace("_", "")


# -- HAR scanning -------------------------------------------------------------------------------

def _har_entries(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """(line, entry) for each of ``log.entries``; lines found by one scan of the text afterwards."""
    try:
        data = loads_json(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno) from None
    except ValueError as exc:
        raise UsageError(f"not valid JSON: {exc}", file=name) from None
    except RecursionError:
        raise UsageError("JSON document is nested too deeply", file=name) from None
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise UsageError("not a HAR file: no log.entries list", file=name)
    lines = json_pointer_positions(text, (f"/log/entries/{i}" for i in range(len(entries))))
    for i, entry in enumerate(entries):
        yield lines.get(f"/log/entries/{i}", (0, 0))[0], entry


# -- matching requests to operations ------------------------------------------------------------

class _Route:
    __slots__ = ("literal", "methods", "param", "patterns")

    def __init__(self) -> None:
        self.literal: dict[str, _Route] = {}
        self.patterns: list[tuple[re.Pattern[str], _Route]] = []
        self.param: _Route | None = None
        self.methods: dict[str, str] = {}  # method -> operation key


def _template(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _server_path(url: str) -> list[str]:
    """The path of a server URL (``https://{host}/v1`` → ``["v1"]``); none when it is relative."""
    if url.startswith("//"):  # scheme-relative: //host/path
        url = "http:" + url
    rest = url.split("://", 1)[1] if "://" in url else url if url.startswith("/") else ""
    if "://" in url:
        slash = rest.find("/")
        rest = rest[slash:] if slash >= 0 else ""
    return _template(rest.split("?", 1)[0].split("#", 1)[0])


class _Routes:
    """The old API's operations as two trees of path segments: with the servers' base paths, and without."""

    def __init__(self, api: HttpApi) -> None:
        self.prefixed = _Route()
        self.bare = _Route()
        for key, op in api.operations.items():
            if op.webhook:
                continue
            segments = _template(op.path)
            bases = {tuple(_server_path(s)) for s in op.servers} or {()}
            for base in bases:
                self._insert(self.prefixed, [*base, *segments], op.method, key)
            self._insert(self.bare, segments, op.method, key)

    @staticmethod
    def _insert(node: _Route, segments: Sequence[str], method: str, key: str) -> None:
        for seg in segments:
            if "{" not in seg:
                seg = unquote(seg)
                node = node.literal.setdefault(seg, _Route())
            elif re.fullmatch(r"\{[^{}]*\}", seg):
                if node.param is None:
                    node.param = _Route()
                node = node.param
            else:
                pattern = re.compile("".join("(.+?)" if part.startswith("{") else re.escape(part)
                                             for part in re.split(r"(\{[^{}]*\})", seg) if part))
                hit = next((child for p, child in node.patterns if p.pattern == pattern.pattern), None)
                if hit is None:
                    hit = _Route()
                    node.patterns.append((pattern, hit))
                node = hit
        node.methods.setdefault(method, key)

    def match(self, segments: tuple[str | None, ...], method: str) -> str | None:
        for tree in (self.prefixed, self.bare):
            for m in (method, "GET") if method == "HEAD" else (method,):
                key = _walk(tree, segments, 0, m)
                if key is not None:
                    return key
        return None


def _walk(node: _Route, segments: tuple[str | None, ...], i: int, method: str) -> str | None:
    if i == len(segments):
        return node.methods.get(method)
    seg = segments[i]
    if seg is None:  # "some value": a parameter, else a partial template (its literal parts unknown)
        for child in (node.param, *(c for _, c in node.patterns)):
            found = _walk(child, segments, i + 1, method) if child is not None else None
            if found is not None:
                return found
        return None
    child = node.literal.get(seg)
    if child is not None:
        found = _walk(child, segments, i + 1, method)
        if found is not None:
            return found
    for pattern, child in node.patterns:
        if pattern.fullmatch(seg):
            found = _walk(child, segments, i + 1, method)
            if found is not None:
                return found
    if node.param is not None:
        return _walk(node.param, segments, i + 1, method)
    return None


# -- what a change touches ----------------------------------------------------------------------

_ABSENT = frozenset({"property-added-required", "property-became-required", "default-changed",
                     "parameter-added-required", "parameter-became-required"})
_ANY_KEY = "{*}"  # a step: any member of an object (additionalProperties)

Test = Callable[[Features, "_Context"], bool]


@dataclass(frozen=True, slots=True)
class _Target:
    """An element inside a JSON body: in every instance of ``component`` (or at the body's root when
    None), the element ``steps`` down; ``absent``: its parent is there and it is not."""

    component: str | None
    steps: tuple[str | None, ...]
    absent: bool = False


class _Context:
    """The old API and one operation, with caches for walking bodies."""

    def __init__(self, api: HttpApi, op: Operation, trees: dict[Shape, dict[Any, Any]]) -> None:
        self.api, self.op, self.trees = api, op, trees

    def tree(self, shape_: Shape) -> dict[Any, Any]:
        tree = self.trees.get(shape_)
        if tree is None:
            tree = {}
            for path in sorted(shape_, key=len):
                node = tree
                for step in path:
                    node = node.setdefault(step, {})
            self.trees[shape_] = tree
        return tree

    def status_key(self, status: int) -> str | None:
        """The response of the old operation that a status is described by (OpenAPI precedence)."""
        responses = self.op.responses
        exact = str(status)
        if exact in responses:
            return exact
        for key in responses:
            if len(key) == 3 and key[0] == exact[0] and key[1:].upper() == "XX":
                return key
        return "default" if "default" in responses else None

    def holds(self, schema: Schema | None, shape_: Shape | None, target: _Target) -> bool:
        """Whether a body of that shape holds the target element (unknown shape: yes)."""
        if shape_ is None:
            return True
        if not shape_:
            return False
        tree = self.tree(shape_)
        if target.component is None:
            return _has(tree, target.steps, target.absent)
        if schema is None:
            return False
        seen: set[tuple[str, int]] = set()
        stack: list[tuple[Schema, dict[Any, Any]]] = [(schema, tree)]
        schemas = self.api.schemas
        while stack:
            s, node = stack.pop()
            cut = False
            while s.ref is not None:
                if s.ref == target.component and _has(node, target.steps, target.absent):
                    return True
                mark = (s.ref, id(node))
                nxt = schemas.get(s.ref)
                if mark in seen or nxt is None:
                    cut = True
                    break
                seen.add(mark)
                s = nxt
            if cut:
                continue
            additional = s.additional if isinstance(s.additional, Schema) else None
            for step, child in node.items():
                sub = s.items if step is ITEM else s.properties.get(step, additional)
                if sub is not None:
                    stack.append((sub, child))
            stack.extend((b, node) for b in (*s.one_of, *s.any_of, *s.all_of))
        return False


def _has(node: dict[Any, Any], steps: tuple[str | None, ...], absent: bool) -> bool:
    nodes = [node]
    for i, step in enumerate(steps):
        if absent and i == len(steps) - 1 and step not in (ITEM, _ANY_KEY):
            return any(step not in n for n in nodes)
        if step == _ANY_KEY:
            nodes = [c for n in nodes for k, c in n.items() if k is not ITEM]
        else:
            nodes = [n[step] for n in nodes if step in n]
        if not nodes:
            return False
    return True


def _pick_media(content: Mapping[str, Any], media: str | None) -> Any:
    """The media type object of ``content`` that a body of type ``media`` is described by."""
    if not content:
        return None
    if media and media in content:
        return content[media]
    if media and media not in ("*", ""):
        wild = media.split("/", 1)[0] + "/*"
        for name in (wild, "*/*"):
            if name in content:
                return content[name]
    for name, value in content.items():
        if "json" in name:
            return value
    return next(iter(content.values()))


def _steps(api: HttpApi, schema: Schema | None, rest: str) -> tuple[tuple[str | None, ...], bool]:
    """The steps of a subject's tail (``.owner.name``, ``[].tag``, ``{*}``, `` oneOf Cat.x``) read
    against the old schema; False when a part could not be read (the steps stop before it)."""
    steps: list[str | None] = []
    candidates = _flat(api, schema)
    while rest:
        if rest.startswith("[]"):
            steps.append(ITEM)
            candidates = _flat(api, *(c.items for c in candidates))
            rest = rest[2:]
        elif rest.startswith("{*}"):
            steps.append(_ANY_KEY)
            candidates = _flat(api, *(c.additional for c in candidates if isinstance(c.additional, Schema)))
            rest = rest[3:]
        elif rest.startswith(" not"):
            rest = rest[4:]
        elif rest.startswith("."):
            names = sorted({n for c in candidates for n in c.properties}, key=len, reverse=True)
            body = rest[1:]
            name = next((n for n in names if body.startswith(n) and body[len(n):len(n) + 1] in _STEP_STARTS), None)
            if name is None:  # not in the old schema (added): up to the next step
                name = re.split(r"[.\[{ ]", body, maxsplit=1)[0]
            steps.append(name)
            candidates = _flat(api, *(c.properties.get(name) for c in candidates))
            rest = body[len(name):]
        else:
            m = re.match(r" (oneOf|anyOf|allOf) ", rest)
            if m is None:
                return tuple(steps), False
            labels = sorted({_label(b) for c in candidates for b in (*c.one_of, *c.any_of, *c.all_of)},
                            key=len, reverse=True)
            tail = rest[m.end():]
            label = next((x for x in labels if tail.startswith(x) and tail[len(x):len(x) + 1] in _STEP_STARTS), None)
            if label is None:
                return tuple(steps), False
            rest = tail[len(label):]
    return tuple(steps), True


_STEP_STARTS = ("", ".", "[", "{", " ")


def _label(s: Schema) -> str:
    return s.ref or s.title or s.type_label()


def _flat(api: HttpApi, *schemas: Schema | None) -> list[Schema]:
    """The schemas, dereferenced, with their composition branches (what a property can come from)."""
    out: list[Schema] = []
    seen: set[int] = set()
    stack = [s for s in schemas if s is not None]
    while stack:
        s = stack.pop()
        hops = 0
        while s.ref is not None and hops < 64:
            nxt = api.schemas.get(s.ref)
            if nxt is None:
                break
            s, hops = nxt, hops + 1
        if s.ref is not None or id(s) in seen:
            continue
        seen.add(id(s))
        out.append(s)
        stack.extend((*s.one_of, *s.any_of, *s.all_of))
    return out


class _Assessor:
    """Turns each change into tests on a request's features, per operation of the old API."""

    def __init__(self, old: HttpApi, new: HttpApi) -> None:
        self.old, self.new = old, new
        self.places = HttpPlaces(old, new, Mode.BACKWARD)

    def tests(self, change: Change) -> list[tuple[str, Test]]:
        out: list[tuple[str, Test]] = []
        for key, positions in self.places.all_places(change):
            op = self.old.operations[key]
            found = op_key(change.subject)
            if found is not None:
                out.append((key, self.in_operation(change, op, found[1])))
                continue
            if positions == ("operation",):
                out.append((key, _every))
                continue
            component = component_of(change.subject, self.places.schemas)
            assert component is not None
            out.append((key, self.in_component(change, op, component, positions)))
        return out

    # -- changes named by an operation's subject ----------------------------------------------
    def in_operation(self, change: Change, op: Operation, rest: str) -> Test:
        rid = change.id
        absent = rid in _ABSENT
        if not rest:
            return _every
        m = re.match(r"^(path|query|header|cookie) parameter (\S+)", rest)
        if m is not None:
            return _param(m.group(1), m.group(2), absent)
        if rest.startswith("request body"):
            return self.request_body(change, op, rest[len("request body"):].lstrip(" "), absent)
        m = re.match(r"^response (\S+)(?: (.*))?$", rest)
        if m is not None:
            if rid == "response-status-added":
                return _every
            return self.response(change, op, m.group(1), m.group(2) or "")
        return _every

    def _media_names(self, op: Operation, content: Callable[[Operation], Iterable[str]]) -> list[str]:
        names = set(content(op))
        other = self.new.operations.get(op.key)
        if other is not None:
            names |= set(content(other))
        return sorted(names, key=len, reverse=True)

    def request_body(self, change: Change, op: Operation, rest: str, absent: bool) -> Test:
        rid = change.id
        if rid in ("request-body-added-required", "request-body-became-required"):
            return lambda f, ctx: f[3] is None or f[3] == ""
        if not rest:
            return _sent_body
        names = self._media_names(op, lambda o: o.body.content if o.body is not None else ())
        media = next((n for n in names if rest.startswith(n)), None)
        if media is None:
            return _sent_body
        tail = rest[len(media):]
        if not tail and rid.startswith("media-type-"):
            return lambda f, ctx: f[3] is None or f[3] == "*" or (f[3] != "" and f[3] == media)
        schema = op.body.content[media].schema if op.body is not None and media in op.body.content else None
        steps, exact = _steps(self.old, schema, tail)
        target = _Target(None, steps, absent and exact)

        def test(f: Features, ctx: _Context) -> bool:
            if f[3] is None:
                return True
            return f[3] != "" and ctx.holds(None, f[4], target)
        return test

    def response(self, change: Change, op: Operation, status: str, rest: str) -> Test:
        rid = change.id
        if not rest:
            return _status_test(status, None)
        m = re.match(r"^header (\S+)$", rest)
        if m is not None:
            name = m.group(1).lower()
            return _status_test(status, lambda f, ctx: f[7] is None or name in f[7])
        response = op.responses.get(status)
        names = self._media_names(op, lambda o: o.responses[status].content if status in o.responses else ())
        media = next((n for n in names if rest.startswith(n)), None)
        if media is None:
            return _status_test(status, None)
        tail = rest[len(media):]
        if not tail and rid.startswith("media-type-"):
            return _status_test(status, lambda f, ctx: f[5] is None or f[5] == "*" or f[5] == media)
        schema = response.content[media].schema if response is not None and media in response.content else None
        steps, _ = _steps(self.old, schema, tail)
        target = _Target(None, steps)
        return _status_test(status, lambda f, ctx: ctx.holds(None, f[6], target))

    # -- changes in a named schema ------------------------------------------------------------
    def in_component(self, change: Change, op: Operation, component: str, positions: tuple[str, ...]) -> Test:
        rest = change.subject[len(component):]
        steps, exact = _steps(self.old, self.old.schemas.get(component) or self.new.schemas.get(component), rest)
        absent = change.id in _ABSENT and exact
        tests: list[Test] = []
        if "request" in positions:
            for p in op.parameters.values():
                if component in schema_refs(self.old, p.schema):
                    tests.append(_param(p.location_in, p.name, False))
            if op.body is not None and any(component in schema_refs(self.old, m.schema)
                                           for m in op.body.content.values()):
                tests.append(self._body_instances(op, _Target(component, steps, absent)))
        if "response" in positions:
            statuses = {s: r for s, r in op.responses.items()
                        if any(component in schema_refs(self.old, m.schema) for m in r.content.values())
                        or any(component in schema_refs(self.old, h.schema) for h in r.headers.values())}
            if statuses:
                tests.append(self._response_instances(op, statuses, _Target(component, steps)))
        if not tests:
            return _every
        return lambda f, ctx: any(t(f, ctx) for t in tests)

    @staticmethod
    def _body_instances(op: Operation, target: _Target) -> Test:
        content = op.body.content if op.body is not None else {}

        def test(f: Features, ctx: _Context) -> bool:
            if f[3] is None:
                return True
            if f[3] == "":
                return False
            media = _pick_media(content, f[3])
            return ctx.holds(media.schema if media is not None else None, f[4], target)
        return test

    @staticmethod
    def _response_instances(op: Operation, statuses: Mapping[str, Any], target: _Target) -> Test:
        def test(f: Features, ctx: _Context) -> bool:
            if f[2]:
                key = ctx.status_key(f[2])
                if key is None or key not in statuses:
                    return False
                candidates = [statuses[key]]
            else:
                candidates = list(statuses.values())
            for response in candidates:
                if any(component_uses_header(ctx, h.schema, target) for h in response.headers.values()):
                    return True
                media = _pick_media(response.content, f[5])
                if media is not None and ctx.holds(media.schema, f[6], target):
                    return True
            return False
        return test


def component_uses_header(ctx: _Context, schema: Schema | None, target: _Target) -> bool:
    """A response header described by the component: it is read whenever the response is."""
    return target.component is not None and target.component in schema_refs(ctx.api, schema)


def _every(f: Features, ctx: _Context) -> bool:
    return True


def _sent_body(f: Features, ctx: _Context) -> bool:
    return f[3] != ""


def _param(where: str, name: str, absent: bool) -> Test:
    if where == "path":
        return _every if not absent else (lambda f, ctx: False)
    lower = name.lower()

    def test(f: Features, ctx: _Context) -> bool:
        if where not in f[1]:
            return True  # not recorded
        sent = any(_same_param(where, p, name, lower) for p in f[0])
        return sent != absent
    return test


def _same_param(where: str, feature: str, name: str, lower: str) -> bool:
    kind, _, sent = feature.partition(" ")
    if kind != where:
        return False
    if where == "header":
        return sent == lower
    return sent == name or (where == "query" and sent.startswith(name + "["))


def _status_test(status: str, then: Test | None) -> Test:
    def test(f: Features, ctx: _Context) -> bool:
        if f[2] and ctx.status_key(f[2]) != status:
            return False
        return then is None or then(f, ctx)
    return test


# -- the usage ----------------------------------------------------------------------------------

class HttpUsage:
    """The requests read from HTTP traffic files, aggregated; :meth:`assess` matches them to an API.

    :attr:`usages` is one :class:`Usage` per (consumer, operation) once :meth:`assess` (or
    :meth:`match`) has matched the requests to an API's operations (``operation`` is the old API's
    ``"GET /pets/{petId}"``); before, one per (consumer, method, path as requested)."""

    def __init__(self, reader: _Reader) -> None:
        self._reader = reader
        self.files = tuple(reader.files)
        self.skipped: tuple[Skipped, ...] = tuple(reader.skipped)
        self.requests = reader.requests  # requests read
        self.unmatched: dict[str, int] = {}  # "GET /v1/admin/*" -> requests, once matched (ids masked)
        self._matched: dict[tuple[str, str], Usage] | None = None  # (consumer, operation key) -> usage

    @property
    def usages(self) -> list[Usage]:
        if self._matched is not None:
            return sorted(self._matched.values(), key=lambda u: (u.consumer, u.operation))
        r = self._reader
        merged: dict[tuple[str, str, int], list[int]] = {}
        for (consumer, method, node, _), count in r.counts.items():
            item = merged.get((consumer, method, node))
            if item is None:
                merged[(consumer, method, node)] = [count.requests, count.file, count.line]
            else:
                item[0] += count.requests
                if (count.file, count.line) < (item[1], item[2]):
                    item[1], item[2] = count.file, count.line
        return [Usage(kind="http", consumer=c, operation=f"{m} {r.paths.display(n)}", file=self.files[v[1]],
                      line=v[2], requests=v[0]) for (c, m, n), v in merged.items()]

    @property
    def aggregates(self) -> int:
        """How many distinct (consumer, method, path, features) the requests were counted under."""
        return len(self._reader.counts)

    @property
    def unmatched_requests(self) -> int:
        return sum(self.unmatched.values())

    @property
    def notes(self) -> tuple[str, ...]:
        """One line each: lines skipped, requests that match no operation, consumer keys not recorded."""
        out = list(self._reader.notes)
        for s in self.skipped:
            out.append(f"{s.file}: {s.lines} line{'s' if s.lines != 1 else ''} skipped: not a request in the common "
                       f"or combined log format (first at line {s.first}: {s.example})")
        if self.unmatched:
            top = sorted(self.unmatched.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(f"{route} ({n})" for route, n in top[:3])
            more = f" and {len(top) - 3} more" if len(top) > 3 else ""
            total = self.unmatched_requests
            out.append(f"{total} request{'s' if total != 1 else ''} match{'es' if total == 1 else ''} no operation of "
                       f"the old API: {shown}{more}")
        return tuple(out)

    def match(self, old: HttpApi) -> list[Usage]:
        """The usages per (consumer, operation of ``old``); requests that match none are counted in
        :attr:`unmatched`."""
        self._group(old)
        return self.usages

    def _group(self, old: HttpApi) -> dict[tuple[str, str], list[tuple[Features, _Count]]]:
        routes = _Routes(old)
        r = self._reader
        cache: dict[tuple[int, str], str | None] = {}
        groups: dict[tuple[str, str], list[tuple[Features, _Count]]] = {}
        unmatched: dict[str, int] = {}
        for (consumer, method, node, features), count in r.counts.items():
            key = cache.get((node, method), "")
            if key == "":
                key = cache[(node, method)] = routes.match(r.paths.segments[node], method)
            if key is None:
                route = f"{method} {r.paths.display(node, mask=True)}"
                unmatched[route] = unmatched.get(route, 0) + count.requests
                continue
            groups.setdefault((consumer, key), []).append((features, count))
        matched = {}
        for (consumer, key), items in groups.items():
            op = old.operations[key]
            first = min(items, key=lambda fc: (fc[1].file, fc[1].line))[1]
            matched[(consumer, key)] = Usage(kind="http", consumer=consumer, operation=f"{op.method} {op.path}",
                                             file=self.files[first.file], line=first.line,
                                             requests=sum(c.requests for _, c in items))
        self._matched = matched
        self.unmatched = unmatched
        return groups

    def assess(self, changes: Sequence[Change], old: HttpApi, new: HttpApi) -> list[Impact]:
        """One :class:`Impact` per (consumer, operation) that a breaking or dangerous change touches."""
        groups = self._group(old)
        assessor = _Assessor(old, new)
        by_op: dict[str, list[tuple[int, Test]]] = {}
        for index, change in enumerate(changes):
            if change.severity is Severity.SAFE:
                continue
            for key, test in assessor.tests(change):
                by_op.setdefault(key, []).append((index, test))
        usages = self._matched or {}
        trees: dict[Shape, dict[Any, Any]] = {}
        impacts = []
        for (consumer, key), items in groups.items():
            tests = by_op.get(key)
            if not tests:
                continue
            ctx = _Context(old, old.operations[key], trees)
            verdicts: dict[Features, frozenset[int]] = {}
            touched: set[int] = set()
            affected = 0
            for features, count in items:
                hit = verdicts.get(features)
                if hit is None:
                    hit = verdicts[features] = frozenset(i for i, t in tests if t(features, ctx))
                if hit:
                    touched |= hit
                    affected += count.requests
            if touched:
                impacts.append(Impact(usage=usages[(consumer, key)], changes=tuple(changes[i] for i in sorted(touched)),
                                      requests=affected))
        return impacts


def read(files: Sequence[UsageFile], *, consumer_key: str | None = None,
         consumer_version: bool = False) -> HttpUsage:
    """Parse and aggregate the requests of HAR, JSON-lines and access-log files.

    A consumer named by its ``User-Agent`` (no ``consumer_key``, or ``user-agent``) is its product
    token (:func:`agent_name`); ``consumer_version`` keeps its versions apart (``pet-web/1.4`` and
    ``pet-web/1.5`` are two consumers)."""
    reader = _Reader(consumer_key.strip() if consumer_key and consumer_key.strip() else None, consumer_version)
    for f in files:
        index = len(reader.files)
        reader.files.append(f.text.name)
        default = f.consumer or UNKNOWN_CONSUMER
        if f.kind == "har":
            reader.har(f.text.text, f.text.name, index, default)
        elif f.kind == "jsonl":
            reader.jsonl(f.text.text, f.text.name, index, default)
        elif f.kind == "access-log":
            reader.access_log(f.text.text, f.text.name, index, default)
        else:
            raise UsageError(f"not HTTP traffic ({f.kind})", file=f.text.name)
    return HttpUsage(reader)


def _urlsplit(url: str, name: str, line: int | None) -> SplitResult:
    """``urlsplit``, with a URL it cannot split (``http://[::1``: an unclosed IPv6 address) a located error."""
    try:
        return urlsplit(url)
    except ValueError as exc:
        raise UsageError(f"invalid URL {url[:80]!r}: {exc}", file=name, line=line) from None
