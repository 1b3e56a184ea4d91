"""Retrain page, saved models: whose they are, which one this session uses, the teacher's tools.

Each session gets a random owner token (kept in its session state, never sent
to the browser); models it keeps record that token in their card
(:mod:`sedviz.classifier.access`), and only that session or the teacher can
overwrite or delete them. The teacher unlocks teacher mode with the secret
``teacher_password`` (``.streamlit/secrets.toml``) or ``$SEDVIZ_TEACHER_PASSWORD``,
and can then delete any kept model and set the class default, which every
session that has not chosen a model uses. Quotas come from ``$SEDVIZ_QUOTA_*``
or the ``[sedviz]`` table of the secrets (``session_models``, ``session_mb``,
``total_models``, ``total_mb``).
"""

from __future__ import annotations

import hmac
import json
import os
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from sedviz.classifier.access import Editor, Quota
from sedviz.classifier.registry import (
    delete_model,
    get_active_model_name,
    list_model_names,
    load_card,
    set_active_model,
)
from sedviz.errors import SedvizError
from sedviz.ui import cache
from sedviz.ui import state as S

_OWNER = "sedviz.models.owner"
_TEACHER = "sedviz.models.teacher"
_OUTCOME = "sedviz.models.outcome"
PASSWORD_ENV = "SEDVIZ_TEACHER_PASSWORD"


def _secrets() -> Mapping[str, Any]:
    try:
        return dict(st.secrets)
    except FileNotFoundError:  # no secrets.toml: that is fine
        return {}


def teacher_password() -> str:
    """The teacher's secret: ``$SEDVIZ_TEACHER_PASSWORD``, else ``teacher_password`` in the secrets."""
    secrets = _secrets()
    section = secrets.get("sedviz", {})
    value = os.environ.get(PASSWORD_ENV) or secrets.get("teacher_password")
    if not value and isinstance(section, Mapping):
        value = section.get("teacher_password")
    return str(value or "")


def quota() -> Quota:
    """The quotas: defaults, ``$SEDVIZ_QUOTA_*``, then the ``[sedviz]`` table of the secrets."""
    section = _secrets().get("sedviz", {})
    keys = ("session_models", "session_mb", "total_models", "total_mb")
    overrides = {k: section[k] for k in keys if isinstance(section, Mapping) and k in section}
    return Quota.from_env(**overrides)


def owner_token() -> str:
    """This session's owner token (made on first use)."""
    token = st.session_state.get(_OWNER)
    if not isinstance(token, str) or not token:
        token = st.session_state[_OWNER] = uuid.uuid4().hex
    return token


def is_teacher() -> bool:
    """True once this session has unlocked teacher mode (and a password is still set)."""
    return bool(st.session_state.get(_TEACHER)) and bool(teacher_password())


def editor() -> Editor:
    """Who this session is, for the registry."""
    return Editor(owner_token(), teacher=is_teacher())


def _say(ok: bool, text: str) -> None:
    st.session_state[_OUTCOME] = (ok, text)


def show_outcome() -> None:
    """Show what the last button of this section did (success or the reason it did not)."""
    outcome = st.session_state.pop(_OUTCOME, None)
    if isinstance(outcome, tuple):
        ok, text = outcome
        (st.success if ok else st.warning)(text)


def _unlock() -> None:
    typed = str(st.session_state.get("models.password", ""))
    st.session_state["models.password"] = ""
    secret = teacher_password()
    if secret and hmac.compare_digest(typed.encode(), secret.encode()):
        st.session_state[_TEACHER] = True
        _say(True, "Teacher mode on: you can delete any kept model and set the class default.")
    else:
        _say(False, "That is not the teacher password; nothing changed.")


def _lock() -> None:
    st.session_state[_TEACHER] = False


def teacher_box(target: str) -> None:
    """Unlock (or lock) teacher mode; says how to enable it when no password is set."""
    with st.expander("Teacher mode" + (" · on" if is_teacher() else ""), icon=":material/school:"):
        if not teacher_password():
            st.caption(
                "Not set up on this server: set `teacher_password` in `.streamlit/secrets.toml` "
                f"or the environment variable `{PASSWORD_ENV}`, then restart the app."
            )
        elif is_teacher():
            st.caption("You can delete any kept model and choose the class default below.")
            cols = st.columns(2)
            cols[0].button("Class default back to the shipped model", key="models.reset",
                           on_click=_make_default, args=(None, target),
                           icon=":material/restart_alt:")  # fmt: skip
            cols[1].button("Leave teacher mode", key="models.lock", on_click=_lock)
        else:
            st.text_input("Teacher password", type="password", key="models.password")
            st.button("Unlock", key="models.unlock", on_click=_unlock, icon=":material/lock_open:")


def _use(name: str | None, target: str) -> None:
    S.set_model_name(target, name)
    _say(True, f"This session now uses {name or 'the class default'} (HR colours, Explain).")


def _delete(name: str, target: str) -> None:
    try:
        delete_model(name, editor=editor())
    except SedvizError as exc:
        _say(False, f"Not deleted: {exc}.")
        return
    if S.get_model_name(target) == name:
        S.set_model_name(target, None)
    cache.models_frame.clear()
    cache.model.clear()
    _say(True, f"Deleted model {name}.")


def _make_default(name: str | None, target: str) -> None:
    try:
        set_active_model(target, name, editor=editor())
    except SedvizError as exc:
        _say(False, f"Class default not changed: {exc}.")
        return
    cache.models_frame.clear()
    _say(
        True,
        f"Class default is now {name or 'the shipped model'}, for every session "
        "that has not chosen one.",
    )


def models_table(frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """The saved models as shown: whose, in use here, class default (ticks read fresh)."""
    in_use, default = S.get_model_name(target), get_active_model_name(target)
    token = owner_token()
    return pd.DataFrame(
        {
            "model": frame["name"],
            "in use here": frame["name"] == in_use,
            "class default": frame["name"] == default,
            "yours": frame["owner"] == token,
            "accuracy": frame["accuracy"],
            "balanced accuracy": frame["balanced_accuracy"],
            "size MB": frame["size_mb"],
            "created (UTC)": frame["created_utc"],
        }
    )


def saved_models(target: str) -> None:
    """The saved models of *target*: ticks, cards, and the buttons this session may use."""
    frame = cache.models_frame()
    frame = frame[frame["target"] == target]
    chosen = S.get_model_name(target)
    if chosen != get_active_model_name(target) and chosen not in list_model_names():
        S.set_model_name(target, None)  # deleted by its owner or the teacher meanwhile
        st.warning(f"Model {chosen} was deleted; this session uses the class default again.")
    st.dataframe(models_table(frame, target), hide_index=True, key="retrain.models")
    ed, default = editor(), get_active_model_name(target)
    for row in frame.itertuples(index=False):
        _model_card(row, target, ed, default)


def _model_card(row: Any, target: str, ed: Editor, default: str) -> None:
    name = str(row.name)
    marks = [m for m, on in (("in use here", name == S.get_model_name(target)),
                             ("class default", name == default),
                             ("yours", row.owner == ed.owner)) if on]  # fmt: skip
    with st.expander(name + "".join(f" · {m}" for m in marks)):
        try:
            card = load_card(name)
        except SedvizError as exc:
            st.error(str(exc))
            return
        subset = card.get("subset", {})
        st.markdown(f"**Subset:** {subset.get('description', 'whole training split')}  \n"
                    f"**Id hash:** `{subset.get('id_hash', '-')}` · **created** {card.get('created_utc', '')}")  # fmt: skip
        st.code(json.dumps(card_summary(card), indent=1, default=str), language="json")
        cols = st.columns(3)
        cols[0].button("Use in this session", key=f"retrain.use.{name}", on_click=_use,
                       args=(name, target), disabled=name == S.get_model_name(target),
                       icon=":material/check_circle:")  # fmt: skip
        mine = ed.owns({"name": name, "owner": row.owner})
        protected = bool(row.shipped) or name == default or not mine
        why = ("shipped models and the class default cannot be deleted" if mine
               else "only the session that kept it, or the teacher, can delete it")  # fmt: skip
        cols[1].button("Delete", key=f"retrain.delete.{name}", disabled=protected,
                       on_click=_delete, args=(name, target), icon=":material/delete:",
                       help=why)  # fmt: skip
        if ed.teacher:
            cols[2].button("Make class default", key=f"retrain.default.{name}",
                           disabled=name == default, on_click=_make_default,
                           args=(name, target), icon=":material/star:")  # fmt: skip


def card_summary(card: dict[str, object]) -> dict[str, object]:
    """The parts of a model card a student reads (no owner token)."""
    keys = ("target", "metrics_are_on", "retrain", "comparison", "params", "versions")
    out = {k: card[k] for k in keys if k in card}
    metrics = card.get("metrics")
    if isinstance(metrics, dict):
        out["metrics"] = {
            k: metrics.get(k) for k in ("n", "accuracy", "balanced_accuracy", "macro_f1")
        }
    return out
