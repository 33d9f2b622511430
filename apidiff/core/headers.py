"""HTTP response header values for a deprecation, exactly as the RFCs spell them.

- ``Deprecation`` (RFC 9745 §2.1): a Structured Field Date (RFC 9651 §3.3.7), ``@`` followed by
  the integer number of seconds since the Unix epoch: ``Deprecation: @1767225600``. The date is
  when the resource was or will be deprecated; apidiff uses midnight UTC of the deprecation day.
- ``Sunset`` (RFC 8594 §3): an HTTP-date in the preferred IMF-fixdate form (RFC 9110 §5.6.7):
  ``Sunset: Mon, 01 Mar 2027 00:00:00 GMT``. RFC 9745 §4 says the Sunset must not come before
  the Deprecation date; :func:`response_headers` refuses such a pair.
- ``Link`` (RFC 8288 §3): ``<URI-Reference>; rel="…"`` with the relation types ``deprecation``
  (RFC 9745 §3), ``sunset`` (RFC 8594 §3) and ``successor-version`` (RFC 5829 §3.4).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from email.utils import format_datetime

RELATIONS = ("deprecation", "sunset", "successor-version")
_FORBIDDEN_IN_URI = frozenset('<>"{}|\\^` \t\r\n')  # not allowed in a URI-Reference (RFC 3986 §2, appendix C)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def deprecation_header(d: date) -> str:
    """The ``Deprecation`` field value for ``d``: ``@`` and the epoch seconds of its midnight UTC."""
    return f"@{int(_midnight(d).timestamp())}"


def sunset_header(d: date) -> str:
    """The ``Sunset`` field value for ``d``: an IMF-fixdate at midnight UTC."""
    return format_datetime(_midnight(d), usegmt=True)


def link_header(url: str, rel: str, *, template: bool = False) -> str:
    """One ``Link`` field value: ``<url>; rel="rel"``.

    ``url`` must be a URI reference: characters such as spaces, ``<``, ``>`` or ``"`` are refused.
    With ``template``, ``url`` may be a URI template (``/pets/{id}``, RFC 6570) that the server
    expands for each request before sending the field; without it, braces are refused too.
    """
    if rel not in RELATIONS:
        raise ValueError(f"unknown link relation {rel!r}; expected one of {', '.join(RELATIONS)}")
    forbidden = _FORBIDDEN_IN_URI - {"{", "}"} if template else _FORBIDDEN_IN_URI
    if not url or any(ch in forbidden or ord(ch) < 0x20 or ord(ch) > 0x7E for ch in url):
        raise ValueError(f"not a URI reference: {url!r} (percent-encode it, expand any template)")
    return f'<{url}>; rel="{rel}"'


def response_headers(deprecation: date, sunset: date, *, docs_url: str | None = None,
                     successor: str | None = None) -> tuple[tuple[str, str], ...]:
    """The header fields to serve while a deprecated element is still served, in this order:
    ``Deprecation``, ``Sunset``, then ``Link`` to the docs (``deprecation`` and ``sunset``) and to
    the replacement (``successor-version``, which may be a URI template), each when known."""
    if sunset < deprecation:
        raise ValueError(f"the sunset ({sunset.isoformat()}) comes before the deprecation ({deprecation.isoformat()})"
                         " (RFC 9745 §4)")
    fields = [("Deprecation", deprecation_header(deprecation)), ("Sunset", sunset_header(sunset))]
    if docs_url:
        fields += [("Link", link_header(docs_url, "deprecation")), ("Link", link_header(docs_url, "sunset"))]
    if successor:
        fields.append(("Link", link_header(successor, "successor-version", template=True)))
    return tuple(fields)
