"""Turn archive answers (bytes) into DataFrames; no network here.

A body that is a web page (maintenance notice), an error VOTable, truncated
or garbled XML raises :class:`TransientFault` or :class:`PermanentFault`
with a one-line message, so the retry loop and the fallbacks can act on it.
"""

from __future__ import annotations

import io
import json
import math
import re
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pandas as pd

from sedviz.archive.errors import PermanentFault, TransientFault

_HTML_RE = re.compile(rb"^\s*(<!doctype\s+html|<html)", re.IGNORECASE)


def _check_not_html(body: bytes) -> None:
    if not body.strip():
        raise TransientFault("the archive sent an empty answer")
    if _HTML_RE.match(body[:512]):
        raise TransientFault("the archive answered with a web page, not data (maintenance?)")


def parse_votable(body: bytes) -> tuple[pd.DataFrame, bool]:
    """Parse a TAP VOTable answer; return ``(table, overflow)``.

    ``overflow`` is True when the service reported ``QUERY_STATUS=OVERFLOW``
    (it stopped at its own row cap). Masked values become NaN.
    """
    _check_not_html(body)
    if body.lstrip()[:1] == b"{":
        return parse_gaia_json(body), False
    from astropy.io.votable import parse as parse_vo
    from astropy.io.votable.exceptions import VOTableSpecError, VOWarning

    try:
        with warnings.catch_warnings():
            # Archives write slightly non-standard VOTables; the data is still fine.
            warnings.simplefilter("ignore", VOWarning)
            votable = parse_vo(io.BytesIO(body), verify="ignore")
    except (ET.ParseError, VOTableSpecError, ValueError, IndexError, KeyError) as exc:
        raise TransientFault(
            f"the archive's answer is not a readable VOTable ({_one(exc)})"
        ) from None
    except Exception as exc:  # expat errors are not all ValueError subclasses
        if type(exc).__name__ == "ExpatError":
            raise TransientFault(
                f"the archive's answer is truncated or garbled ({_one(exc)})"
            ) from None
        raise
    status, message = _query_status(votable)
    if status == "ERROR":
        raise PermanentFault(f"the archive rejected the query: {message[:160]}")
    if not votable.resources or not list(votable.iter_tables()):
        raise TransientFault("the archive's answer holds no table")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VOWarning)
        table = votable.get_first_table().to_table(use_names_over_ids=True)
    return _to_frame(table), status == "OVERFLOW"


def _query_status(votable: Any) -> tuple[str, str]:
    status, message = "OK", ""
    for resource in votable.resources:
        for info in resource.infos:
            if info.name == "QUERY_STATUS":
                status = str(info.value).upper()
                message = " ".join(str(info.content or "").split())
    for info in getattr(votable, "infos", []):
        if info.name == "QUERY_STATUS" and str(info.value).upper() == "ERROR":
            status, message = "ERROR", " ".join(str(info.content or "").split())
    return status, message


def _to_frame(table: Any) -> pd.DataFrame:
    frame: dict[str, Any] = {}
    for name in table.colnames:
        column = table[name]
        mask = getattr(column, "mask", None)
        data = np.ma.getdata(column)
        if mask is None or not np.any(mask):
            frame[name] = data.astype(str) if data.dtype.kind in "SUO" else data
        elif data.dtype.kind in "iu":
            frame[name] = pd.array(
                [None if m else int(v) for v, m in zip(data, mask, strict=True)], dtype="Int64"
            )
        elif data.dtype.kind == "f":
            frame[name] = np.where(mask, np.nan, data.astype("float64"))
        else:
            frame[name] = [None if m else str(v) for v, m in zip(data, mask, strict=True)]
    return pd.DataFrame(frame)


def parse_gaia_json(body: bytes) -> pd.DataFrame:
    """Parse the Gaia archive's JSON answer (``{"metadata": [...], "data": [...]}``)."""
    try:
        doc = json.loads(body)
        names = [str(m["name"]) for m in doc["metadata"]]
        rows = doc["data"]
    except (ValueError, KeyError, TypeError) as exc:
        raise TransientFault(f"the archive's JSON answer is garbled ({_one(exc)})") from None
    return pd.DataFrame.from_records(rows, columns=names)


def parse_sesame(body: bytes) -> tuple[float, float] | None:
    """Return ``(ra_deg, dec_deg)`` from a Sesame XML answer, or None if not found."""
    _check_not_html(body)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise TransientFault(f"the name resolver's answer is garbled ({_one(exc)})") from None
    for resolver in root.iter("Resolver"):
        ra, dec = resolver.findtext("jradeg"), resolver.findtext("jdedeg")
        if ra is None or dec is None:
            continue
        try:
            ra_deg, dec_deg = float(ra), float(dec)
        except ValueError:
            continue
        if math.isfinite(ra_deg) and math.isfinite(dec_deg):
            return ra_deg, dec_deg
    return None


def _one(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120] or type(exc).__name__
