"""The one place that talks to the network, and the retry policy around it.

:func:`fetch_bytes` performs a single HTTP request and is the **only seam**
offline tests (and fault-injection suites) replace: patch
``sedviz.archive.http.fetch_bytes`` with a function taking
``(request, timeout_s)`` and returning bytes or raising. Requests are plain
data (:class:`HttpRequest`) built by ``build_*_request`` functions, so their
text can be checked without a network.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import quote

from sedviz.archive.config import ArchiveConfig
from sedviz.archive.errors import ArchiveUnavailableError, PermanentFault, TransientFault

T = TypeVar("T")


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request: ``label`` names the query kind (and its recorded fixture)."""

    label: str
    method: str
    url: str
    data: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)


def build_tap_request(
    label: str, url: str, adql: str, *, upload: tuple[str, bytes] | None = None
) -> HttpRequest:
    """A synchronous TAP query returning a VOTable; ``upload`` is ``(table_name, votable_bytes)``."""
    data = {"REQUEST": "doQuery", "LANG": "ADQL", "FORMAT": "votable", "QUERY": adql}
    files: dict[str, tuple[str, bytes]] = {}
    if upload is not None:
        table_name, payload = upload
        data["UPLOAD"] = f"{table_name},param:{table_name}"
        files[table_name] = (f"{table_name}.xml", payload)
    return HttpRequest(label=label, method="POST", url=url, data=data, files=files)


def build_sesame_request(name: str, config: ArchiveConfig) -> HttpRequest:
    """A CDS Sesame lookup; the (already checked) name travels URL-encoded, never in ADQL."""
    return HttpRequest(label="sesame", method="GET", url=f"{config.sesame_url}?{quote(name)}")


def fetch_bytes(request: HttpRequest, timeout_s: float) -> bytes:
    """Perform *request* and return the response body (the network seam).

    Raises ``requests`` exceptions (timeouts, connection errors, HTTP errors
    via ``raise_for_status``); :func:`fetch_with_retries` classifies them.
    """
    from astroquery.query import BaseQuery  # late: keeps cache hits fast

    files = {key: (fname, payload) for key, (fname, payload) in request.files.items()}
    response = BaseQuery()._request(
        request.method,
        request.url,
        data=dict(request.data) or None,
        files=files or None,
        timeout=timeout_s,
        cache=False,
    )
    response.raise_for_status()
    return bytes(response.content)


def classify_exception(exc: Exception) -> Exception:
    """Map a network exception to :class:`TransientFault` or :class:`PermanentFault`."""
    import requests

    if isinstance(exc, TransientFault | PermanentFault):
        return exc
    if isinstance(exc, requests.Timeout):
        return TransientFault("the archive did not answer in time (timeout)")
    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        if status >= 500 or status in (408, 429):
            return TransientFault(f"the archive answered HTTP {status} (server error)")
        return PermanentFault(f"the archive rejected the query (HTTP {status})")
    if isinstance(exc, requests.ConnectionError | ConnectionError):
        if _is_name_resolution_failure(exc):
            # No DNS means no network (classroom machines): retrying only delays the
            # offline answer by the whole backoff.
            return PermanentFault(
                "cannot reach the archive (no network: host name cannot be resolved)"
            )
        return TransientFault(f"cannot reach the archive ({_short(exc)})")
    if isinstance(exc, requests.RequestException | OSError):
        return TransientFault(f"network error ({_short(exc)})")
    return exc


_DNS_FAILURE_TEXT = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "failed to resolve",
    "getaddrinfo failed",
)


def _is_name_resolution_failure(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "nameresolutionerror" in text or any(part in text for part in _DNS_FAILURE_TEXT)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "reset" in text.lower():
        return "connection reset"
    return text[:100]


def fetch_with_retries(
    request: HttpRequest,
    parse: Callable[[bytes], T],
    config: ArchiveConfig,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Fetch and parse with bounded retries and exponential backoff.

    Transient faults (timeout, reset, 5xx, maintenance page, garbled answer)
    are retried ``config.retries`` times, waiting ``backoff_s * 2**k``.

    Raises
    ------
    ArchiveUnavailableError
        With the last fault's message, when every attempt failed or the
        fault was permanent.
    """
    last: Exception | None = None
    for attempt in range(config.retries + 1):
        if attempt:
            sleep(config.backoff_s * 2 ** (attempt - 1))
        try:
            return parse(fetch_bytes(request, config.timeout_s))
        except Exception as exc:
            fault = classify_exception(exc)
            if isinstance(fault, PermanentFault):
                raise ArchiveUnavailableError(str(fault)) from exc
            if not isinstance(fault, TransientFault):
                # Unknown failure (e.g. a library bug): no retry, but no traceback either.
                raise ArchiveUnavailableError(
                    f"unexpected error talking to the archive ({type(exc).__name__}: {_short(exc)})"
                ) from exc
            last = fault
    tries = config.retries + 1
    raise ArchiveUnavailableError(f"{last} [{request.label}, {tries} attempt(s)]")
