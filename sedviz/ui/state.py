"""Session state shared by the pages, with small typed accessors, and its link in the URL.

Pages (and the Retrain page) never touch ``st.session_state`` keys directly:
they call these functions. What a copied link must reopen (selected star, star
set, colouring, target) is mirrored in ``st.query_params`` by
:func:`write_query_params`, called by ``app.py`` on every run, and read back
once per session by :func:`read_query_params`. The page itself is in the URL
path (``/hr_diagram``), set by ``st.navigation``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import streamlit as st

from sedviz import columns as C
from sedviz.archive import DEFAULT_ROW_LIMIT, SourceList
from sedviz.classifier.targets import TARGETS
from sedviz.views.hr import COLOURINGS, HR_AXES

_PREFIX = "sedviz."
_STAR_SET = _PREFIX + "star_set"
_SELECTED = _PREFIX + "selected_star"
_SUBSET = _PREFIX + "subset_ids"
_SUBSET_LABEL = _PREFIX + "subset_label"
_SUBSET_REGION = _PREFIX + "subset_region"
_COLOURING = _PREFIX + "colouring"
_TARGET = _PREFIX + "target"
_PRESENTATION = _PREFIX + "presentation"
_AXES = _PREFIX + "hr_axes"
_GOOD_ONLY = _PREFIX + "hr_good_only"
_NAMES = _PREFIX + "hr_names"
_HR_MARK = _PREFIX + "hr_mark"
_HR_CLICKED = _PREFIX + "hr_clicked"
_MODELS = _PREFIX + "models"
_URL_READ = _PREFIX + "url_read"
_NOTICES = _PREFIX + "notices"


@dataclass(frozen=True)
class StarSet:
    """Which stars the app works on: a hashable request, the cache key of its table.

    ``kind`` is ``"catalog"`` (the embedded catalogue), ``"cone"`` (``name`` or
    ``ra``/``dec`` text and ``radius_deg``) or ``"list"`` (an uploaded source
    list, parsed: ``sources``). ``refresh`` asks the archive
    again instead of the cache. ``row_limit`` is the most stars asked for (the
    brightest kept). ``description`` is for the user.
    """

    kind: str = "catalog"
    name: str | None = None
    ra: str | None = None
    dec: str | None = None
    radius_deg: float | None = None
    sources: SourceList | None = None
    refresh: bool = False
    description: str = "the embedded catalogue"
    row_limit: int = DEFAULT_ROW_LIMIT

    @property
    def shareable(self) -> bool:
        """True when a link can carry this set (uploaded lists cannot)."""
        return self.kind != "list"

    def without_refresh(self) -> StarSet:
        """The same request, answered from the cache next time."""
        return replace(self, refresh=False)


CATALOG_SET = StarSet()


# --- star set ------------------------------------------------------------------
def get_star_set() -> StarSet:
    """Return the current star set (the embedded catalogue until the user picks another)."""
    value = st.session_state.get(_STAR_SET)
    return value if isinstance(value, StarSet) else CATALOG_SET


def set_star_set(star_set: StarSet) -> None:
    """Make *star_set* current; clears the subset and the selected star (other stars)."""
    if star_set != get_star_set():
        st.session_state[_STAR_SET] = star_set
        clear_subset()
        set_selected_star_id(None)


# --- selected star ---------------------------------------------------------------
def get_selected_star_id() -> int | None:
    """Return the Gaia DR3 ``source_id`` of the selected star, or None."""
    value = st.session_state.get(_SELECTED)
    return int(value) if value is not None else None


def set_selected_star_id(source_id: int | None) -> None:
    """Select the star with this ``source_id`` (None: no star)."""
    st.session_state[_SELECTED] = None if source_id is None else int(source_id)


# --- subset ------------------------------------------------------------------------
def get_subset_ids() -> tuple[int, ...] | None:
    """Return the ``source_id`` of the current subset (box/lasso), or None for the whole set."""
    value = st.session_state.get(_SUBSET)
    return tuple(value) if value is not None else None


def get_subset_label() -> str:
    """Return how the subset was made, e.g. ``"box on the HR diagram"`` (``""`` without one)."""
    return str(st.session_state.get(_SUBSET_LABEL, ""))


def set_subset_ids(
    ids: Sequence[int], label: str = "selection on the HR diagram", region: str = ""
) -> None:
    """Make *ids* (``source_id`` values) the current subset; an empty sequence is kept as empty.

    *region* is the box or lasso that made it, as link text
    (:func:`sedviz.views.share.encode_region`; ``""``: none, the link cannot carry it).
    """
    st.session_state[_SUBSET] = tuple(int(i) for i in ids)
    st.session_state[_SUBSET_LABEL] = label
    st.session_state[_SUBSET_REGION] = region


def get_subset_region() -> str:
    """Return the link text of the box or lasso that made the subset (``""``: none)."""
    return str(st.session_state.get(_SUBSET_REGION, "") or "")


def clear_subset() -> None:
    """Go back to the whole star set."""
    st.session_state[_SUBSET] = None
    st.session_state[_SUBSET_LABEL] = ""
    st.session_state[_SUBSET_REGION] = ""


# --- colouring, target, presentation -----------------------------------------------
def _get_choice(key: str, choices: Collection[str], default: str) -> str:
    """Return the session's value at *key* if it is one of *choices*, else *default*."""
    value = st.session_state.get(key, default)
    return value if value in choices else default


def _set_choice(key: str, value: str, choices: Collection[str]) -> None:
    """Store *value* at *key* if it is one of *choices* (anything else is ignored)."""
    if value in choices:
        st.session_state[key] = value


def get_colouring() -> str:
    """Return the HR colouring, a key of :data:`sedviz.views.hr.COLOURINGS` (default ``predicted``)."""
    return _get_choice(_COLOURING, COLOURINGS, "predicted")


def set_colouring(colouring: str) -> None:
    """Set the HR colouring (ignored unless a key of :data:`sedviz.views.hr.COLOURINGS`)."""
    _set_choice(_COLOURING, colouring, COLOURINGS)


def get_target() -> str:
    """Return the classifier target shown: ``sp_class`` (default) or ``lum_class``."""
    return _get_choice(_TARGET, TARGETS, C.SP_CLASS)


def set_target(target: str) -> None:
    """Set the target shown (ignored unless one of :data:`sedviz.classifier.targets.TARGETS`)."""
    _set_choice(_TARGET, target, TARGETS)


def get_axes() -> str:
    """Return the HR axes, a key of :data:`sedviz.views.hr.HR_AXES` (default ``cmd``)."""
    return _get_choice(_AXES, HR_AXES, "cmd")


def set_axes(axes: str) -> None:
    """Set the HR axes (ignored unless a key of :data:`sedviz.views.hr.HR_AXES`)."""
    _set_choice(_AXES, axes, HR_AXES)


def get_good_only() -> bool:
    """Return True when the HR diagram shows only stars with a good parallax."""
    return bool(st.session_state.get(_GOOD_ONLY, False))


def set_good_only(on: bool) -> None:
    """Show only stars with a good parallax on the HR diagram (or all)."""
    st.session_state[_GOOD_ONLY] = bool(on)


def get_show_names() -> bool:
    """Return True when the HR diagram labels the brightest named stars."""
    return bool(st.session_state.get(_NAMES, False))


def set_show_names(on: bool) -> None:
    """Label (or not) the brightest named stars on the HR diagram."""
    st.session_state[_NAMES] = bool(on)


def note_chart_click() -> None:
    """Record that the HR chart itself selected the star (the browser already shows it)."""
    st.session_state[_HR_CLICKED] = True


def take_hr_mark(selected_row: int | None) -> int | None:
    """Return the row the HR figure marks as selected on this run.

    After a click on the chart the browser already draws the star as selected:
    the figure keeps the mark it was sent with, so it stays the same figure and
    is not drawn again. Any other run marks *selected_row*.
    """
    if st.session_state.pop(_HR_CLICKED, False):
        value = st.session_state.get(_HR_MARK)
        return int(value) if value is not None else None
    st.session_state[_HR_MARK] = selected_row
    return selected_row


def is_presentation_mode() -> bool:
    """Return True in presentation mode (large fonts, fewer controls)."""
    return bool(st.session_state.get(_PRESENTATION, False))


def set_presentation_mode(on: bool) -> None:
    """Switch presentation mode on or off."""
    st.session_state[_PRESENTATION] = bool(on)


# --- models --------------------------------------------------------------------------
def get_model_name(target: str) -> str:
    """Return the model this session uses for *target*: its choice, else the registry's active one."""
    chosen = st.session_state.get(_MODELS, {}).get(target)
    if chosen:
        return str(chosen)
    from sedviz.classifier.registry import ModelError, default_model_name, get_active_model_name

    try:
        return get_active_model_name(target)
    except ModelError:
        return default_model_name(target)


def set_model_name(target: str, name: str | None) -> None:
    """Use model *name* for *target* in this session (None: back to the registry's active one).

    The Retrain page calls this after training; it does not change the registry.
    """
    models = dict(st.session_state.get(_MODELS, {}))
    if name:
        models[target] = name
    else:
        models.pop(target, None)
    st.session_state[_MODELS] = models


# --- notices carried across a rerun ------------------------------------------------------
def push_notice(text: str, level: str = "warning") -> None:
    """Keep a message to show on the next run (e.g. after a callback); *level* ``warning``/``error``."""
    st.session_state.setdefault(_NOTICES, []).append((level, str(text)))


def pop_notices() -> list[tuple[str, str]]:
    """Return and forget the kept messages as ``(level, text)`` pairs."""
    return list(st.session_state.pop(_NOTICES, []))


# --- the URL -------------------------------------------------------------------------------
def read_query_params() -> None:
    """Once per session: take selected star, star set, colouring and target from the URL.

    Bad values are ignored with a notice; nothing here raises.
    """
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    params = st.query_params
    star = params.get("star", "")
    if star:
        if star.isdigit() and len(star) <= 19:
            set_selected_star_id(int(star))
        else:
            push_notice(f"The link names a star {star[:30]!r} that is not a Gaia DR3 id; ignored.")
    set_colouring(params.get("colour", ""))
    set_target(params.get("target", ""))
    if params.get("present") == "1":
        set_presentation_mode(True)
    star_set = _star_set_from_params(params.to_dict())
    if star_set is not None:
        st.session_state[_STAR_SET] = star_set


def _star_set_from_params(params: dict[str, str]) -> StarSet | None:
    if params.get("set") != "cone":
        return None
    try:
        radius = float(params.get("r", ""))
    except ValueError:
        push_notice("The link's cone radius is not a number; showing the embedded catalogue.")
        return None
    name = params.get("name") or None
    ra, dec = params.get("ra") or None, params.get("dec") or None
    where = name or f"{ra}, {dec}"
    return StarSet(
        kind="cone",
        name=name,
        ra=ra,
        dec=dec,
        radius_deg=radius,
        description=f"cone of {radius:g} deg around {where}",
    )


def build_query_params() -> dict[str, str]:
    """Return the query parameters that describe the current view."""
    out: dict[str, str] = {"colour": get_colouring(), "target": get_target()}
    star = get_selected_star_id()
    if star is not None:
        out["star"] = str(star)
    if is_presentation_mode():
        out["present"] = "1"
    star_set = get_star_set()
    if star_set.kind == "cone":
        out["set"] = "cone"
        out["r"] = f"{star_set.radius_deg:g}"
        if star_set.name:
            out["name"] = star_set.name
        else:
            out["ra"], out["dec"] = str(star_set.ra), str(star_set.dec)
    return out


def write_query_params(extra: Mapping[str, str] | None = None) -> None:
    """Mirror the current view (and *extra* parameters) into ``st.query_params``, if changed."""
    wanted = build_query_params() | dict(extra or {})
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
