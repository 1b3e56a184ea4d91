"""What went wrong, in plain words: classify the adapter's exceptions, retry the transient ones.

:func:`call_with_retries` wraps every call into :mod:`sedviz.archive.services`.
Transient faults (time-out, connection reset, HTTP 5xx, rate limit, a maintenance
page, a truncated answer) are retried ``config.retries`` times with exponential
back-off; permanent ones (the query was rejected, no network at all) are not.
Either way the caller gets :class:`ArchiveUnavailableError` with one plain line,
and answers from the cache or the embedded catalogue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sedviz.archive.config import ArchiveConfig
from sedviz.archive.errors import (
    ArchiveCancelledError,
    ArchiveUnavailableError,
    PermanentFault,
    TransientFault,
)
from sedviz.archive.services import JobFailed, QueryCancelled

T = TypeVar("T")

_DNS_FAILURE_TEXT = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "failed to resolve",
    "getaddrinfo failed",
    "nameresolutionerror",
)
_PAGE_TEXT = (
    "<html", "<!doctype html", "mismatched tag", "not well-formed", "maintenance",
    "does not appear to be a votable",
)  # fmt: skip
_TRUNCATED_TEXT = ("no element found", "unclosed token", "truncated", "unexpected end")


def _status(exc: BaseException) -> int:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if isinstance(status, int):
        return status
    text = str(exc)
    for code in (429, 500, 502, 503, 504):
        if str(code) in text:
            return code
    if "too many requests" in text.lower():
        return 429
    return 0


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:100]


def classify(exc: BaseException) -> TransientFault | PermanentFault | None:
    """Map an exception from the adapter to a fault with a plain message (None: unknown)."""
    import requests

    text = str(exc).lower()
    if isinstance(exc, TransientFault | PermanentFault):
        return exc
    if isinstance(exc, TimeoutError | requests.Timeout):
        return TransientFault("the archive did not answer in time (time-out)")
    if isinstance(exc, requests.HTTPError) or _status(exc):
        status = _status(exc)
        if status == 429:
            return TransientFault("the archive is rate-limiting us (HTTP 429: too many requests)")
        if status >= 500:
            return TransientFault(f"the archive failed (HTTP {status} server error)")
        if any(part in text for part in _PAGE_TEXT):
            return TransientFault("the archive answered with a web page (maintenance?)")
        return PermanentFault(f"the archive rejected the query ({_short(exc)})")
    if isinstance(exc, ConnectionResetError) or "reset" in text:
        return TransientFault("the connection to the archive was reset")
    if isinstance(exc, requests.ConnectionError | ConnectionError | OSError):
        if any(part in text for part in _DNS_FAILURE_TEXT):
            # No DNS means no network (classroom machines): retrying only delays the answer.
            return PermanentFault("cannot reach the archive (no network: host name unknown)")
        return TransientFault(f"cannot reach the archive ({_short(exc)})")
    if any(part in text for part in _TRUNCATED_TEXT):
        return TransientFault("the archive's answer was cut off (truncated VOTable)")
    if any(part in text for part in _PAGE_TEXT):
        return TransientFault("the archive answered with a web page, not data (maintenance?)")
    if isinstance(exc, JobFailed):
        return PermanentFault(str(exc))
    if type(exc).__name__ in ("ExpatError", "VOTableSpecError", "ParseError"):
        return TransientFault(f"the archive's answer is garbled ({_short(exc)})")
    return None


def call_with_retries(
    call: Callable[[], T], config: ArchiveConfig, label: str,
    *, sleep: Callable[[float], None] = time.sleep,
) -> T:  # fmt: skip
    """Run *call* with bounded retries; raise :class:`ArchiveUnavailableError` when it fails.

    *label* names the service in the message (``Gaia``, ``SIMBAD``, ``Sesame``).

    Raises
    ------
    ArchiveUnavailableError
        The last fault's message, after every attempt failed or on a permanent fault.
    ArchiveCancelledError
        The user cancelled the job (never retried).
    """
    last: TransientFault | None = None
    for attempt in range(config.retries + 1):
        if attempt:
            sleep(config.backoff_s * 2 ** (attempt - 1))
        try:
            return call()
        except QueryCancelled:
            raise ArchiveCancelledError("the query was cancelled; nothing was changed") from None
        except Exception as exc:
            fault = classify(exc)
            if isinstance(fault, PermanentFault):
                raise ArchiveUnavailableError(f"{label}: {fault}") from exc
            if fault is None:  # unknown failure (e.g. a library bug): no retry, no traceback
                raise ArchiveUnavailableError(
                    f"{label}: unexpected error ({type(exc).__name__}: {_short(exc)})"
                ) from exc
            last = fault
    raise ArchiveUnavailableError(f"{label}: {last} ({config.retries + 1} attempt(s))")
