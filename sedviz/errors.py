"""Exceptions with messages meant for the user (app banner, CLI stderr line)."""

from __future__ import annotations

import re


class SedvizError(Exception):
    """Base class: the message is shown to the user as it is, without a traceback."""


class StarTableError(SedvizError, ValueError):
    """A star table is missing a column, has a wrong type, or cannot be read."""


def describe_read_error(exc: Exception) -> str:
    """Return, in plain words with the fix, why a file could not be read as a table.

    Library messages name codecs and byte offsets ("'utf-8' codec can't decode
    byte 0x89 in position 0"); a student needs to know what to do instead.
    """
    if isinstance(exc, UnicodeDecodeError):
        return (
            "the file is not plain text (a spreadsheet, an image or a zip?): "
            "save it as CSV, comma-separated text"
        )
    text = " ".join(str(exc).split())
    if "No columns to parse" in text or "empty" in text.lower():
        return "the file is empty: it needs a header line (e.g. source_id) and one star per line"
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, saw = match.groups()
        return (
            f"line {line} has {saw} columns where the header has {expected}: check the "
            "commas on that line (a name with a comma needs quotes)"
        )
    return f"the file could not be read as a table ({text[:120]})"


def format_size_mb(n_bytes: float) -> str:
    """Return a size in megabytes for messages, e.g. ``"2.4 MB"`` (``"0.1 MB"`` at least)."""
    return f"{max(n_bytes / 1e6, 0.1):.1f} MB"
