"""Exceptions of the archive layer; each message is one line meant for the user."""

from __future__ import annotations

from sedviz.errors import SedvizError


class ArchiveError(SedvizError):
    """Base class of everything :mod:`sedviz.archive` raises on purpose."""


class ArchiveInputError(ArchiveError, ValueError):
    """The request itself is unusable (bad name, coordinates, radius, list)."""


class ArchiveUnavailableError(ArchiveError):
    """No source could answer: the archive failed and nothing local matched."""


class TransientFault(ArchiveError):
    """A fault worth retrying: timeout, reset, 5xx, maintenance page, garbled answer."""


class PermanentFault(ArchiveError):
    """A fault that retrying will not fix (the service rejected the query)."""


class ArchiveCancelledError(ArchiveError):
    """The user cancelled a running query; nothing was changed."""
