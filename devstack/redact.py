"""Secrets out of the dev stack's access logs (the local gateway, the static sites).

Links sent before the token moved to the URL fragment, old clients and mistakes can still put a
token in a path or a query string. Every logged line goes through `scrub`: in each request
target (a path, or a full URL) a token-like path segment and the value of any query parameter
whose name says it is secret (token, password, code, key, signature...) or whose value looks
like a token become `…redacted`; a fragment is dropped. Ids (UUIDs) and short words stay
readable, so the log still tells which route was called.
"""
from __future__ import annotations

import re

REDACTED = "…redacted"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# secrets.token_urlsafe, JWTs, hex digests, percent-encoded blobs: long runs without spaces
_TOKENISH = re.compile(r"^[A-Za-z0-9_\-.~%+=]{20,}$")
_SECRET_NAME = re.compile(r"token|secret|passw|pwd|code|key|sig|auth|jwt|session|credential", re.IGNORECASE)
# A request target in a log line: an absolute URL or a path, up to a space or a quote.
_TARGET = re.compile(r"(?:https?://[^\s/\"'<>]+)?/[^\s\"'<>]*")


def _tokenish(value: str) -> bool:
    return bool(_TOKENISH.match(value)) and not _UUID.match(value)


def redact_target(target: str) -> str:
    """One request target (path?query#fragment, or a full URL) with its secrets replaced."""
    head, sep, query = target.partition("?")
    head = head.split("#", 1)[0]
    query = query.split("#", 1)[0]
    scheme, slashes, rest = head.partition("://")
    if slashes:
        host, _, path = rest.partition("/")
        prefix = f"{scheme}://{host}/"
    else:
        prefix, path = "", head
    segments = [REDACTED if _tokenish(s) else s for s in path.split("/")]
    redacted = prefix + "/".join(segments)
    if not sep:
        return redacted
    pairs = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if value and (_SECRET_NAME.search(name) or _tokenish(value)):
            value = REDACTED
        elif not eq and _tokenish(name):
            name = REDACTED
        pairs.append(f"{name}{eq}{value}")
    return f"{redacted}?{'&'.join(pairs)}"


def scrub(line: str) -> str:
    """A log line with every request target in it redacted."""
    return _TARGET.sub(lambda m: redact_target(m.group(0)), line)
