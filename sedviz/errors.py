"""Exceptions with messages meant for the user (app banner, CLI stderr line)."""

from __future__ import annotations


class SedvizError(Exception):
    """Base class: the message is shown to the user as it is, without a traceback."""


class StarTableError(SedvizError, ValueError):
    """A star table is missing a column, has a wrong type, or cannot be read."""
