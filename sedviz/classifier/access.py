"""Who may change which saved model, and how much room a class has: owners, teacher, quotas.

A model kept from the app records the session that made it (``"owner"`` in its
card, a random per-session token). That session may overwrite and delete it;
other sessions may only use it. The teacher (unlocked with a secret) may
change every model and set the class default. Quotas bound the models one
session and the whole class may keep, in number and in megabytes, so a class
cannot fill the disk.

The registry (:mod:`sedviz.classifier.registry`) applies these rules inside its
file lock; the functions here are pure (cards and sizes in, a refusal out).
Quotas come from the environment (:meth:`Quota.from_env`) or the app's secrets.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sedviz.errors import SedvizError

#: Environment variable of each :class:`Quota` field.
QUOTA_ENV = {
    "session_models": "SEDVIZ_QUOTA_SESSION_MODELS",
    "session_mb": "SEDVIZ_QUOTA_SESSION_MB",
    "total_models": "SEDVIZ_QUOTA_TOTAL_MODELS",
    "total_mb": "SEDVIZ_QUOTA_TOTAL_MB",
}


class AccessError(SedvizError, ValueError):
    """This session may not change that model (message meant for the user)."""


class QuotaError(AccessError):
    """Keeping the model would pass a quota (message says which and what to do)."""


@dataclass(frozen=True)
class Editor:
    """Who changes the registry from the app: a session's owner token, or the teacher."""

    owner: str
    teacher: bool = False

    def owns(self, card: Mapping[str, Any]) -> bool:
        """True if this editor may overwrite or delete the model of *card*."""
        return self.teacher or (bool(self.owner) and card.get("owner") == self.owner)


@dataclass(frozen=True)
class Quota:
    """Room for kept models: per session and for the whole registry, in models and MB."""

    session_models: int = 5
    session_mb: float = 25.0
    total_models: int = 150
    total_mb: float = 1000.0

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: float | int | str
    ) -> Quota:
        """Return the defaults, replaced by :data:`QUOTA_ENV` variables, then by *overrides*.

        Raises :class:`AccessError` when a value is not a non-negative number.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = overrides.get(f.name, env.get(QUOTA_ENV[f.name]))
            if raw is None or raw == "":
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError):
                number = -1.0
            if not number >= 0:
                raise AccessError(f"quota {f.name} must be a number >= 0, not {raw!r}")
            values[f.name] = int(number) if f.type in (int, "int") else number
        return cls(**values)


@dataclass(frozen=True)
class Usage:
    """Models kept and their size on disk (MB)."""

    models: int = 0
    mb: float = 0.0


def refusal_to_change(card: Mapping[str, Any], editor: Editor, verb: str) -> str | None:
    """Return why *editor* may not *verb* (``"overwrite"``/``"delete"``) this model, or None."""
    if editor.owns(card):
        return None
    if not card.get("owner"):
        return (
            f"model {card.get('name')!r} was not kept from this app; only the teacher can {verb} it"
        )
    return (
        f"model {card.get('name')!r} belongs to another session; you can use it, "
        f"but only its owner or the teacher can {verb} it"
    )


def refusal_for_room(
    quota: Quota, editor: Editor, mine: Usage, everyone: Usage, new_mb: float
) -> str | None:
    """Return why one more model of *new_mb* MB does not fit, or None when it does.

    *mine* and *everyone* exclude a model being overwritten. The teacher is
    bound by the total quota only.
    """
    if not editor.teacher:
        if mine.models + 1 > quota.session_models:
            return (
                f"you already keep {_models(mine.models)}, the most one session may keep "
                f"({quota.session_models}); delete one of yours first"
            )
        if mine.mb + new_mb > quota.session_mb:
            return (
                f"your models would take {mine.mb + new_mb:.1f} MB, more than the "
                f"{quota.session_mb:g} MB one session may keep; delete one of yours first"
            )
    if everyone.models + 1 > quota.total_models:
        return (
            f"the class already keeps {_models(everyone.models)}, the most this server "
            f"allows ({quota.total_models}); ask the teacher to delete some"
        )
    if everyone.mb + new_mb > quota.total_mb:
        return (
            f"the class's models would take {everyone.mb + new_mb:.0f} MB, more than the "
            f"{quota.total_mb:g} MB this server allows; ask the teacher to delete some"
        )
    return None


def _models(n: int) -> str:
    return f"{n} model" if n == 1 else f"{n} models"
