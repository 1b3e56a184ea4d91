"""Figures serialised once and shared: the render cost of a cached Plotly figure, paid once.

``st.plotly_chart`` turns a figure into JSON on every run: ``Figure.to_dict()``
(a deep copy), typed-array encoding of every NumPy array, then ``json.dumps``.
For the HR diagram of the whole catalogue (3.6 MB of JSON) that was repeated on
every click of every student. :class:`FrozenFigure` does the expensive part once
(at cache time) and hands Streamlit a JSON-ready dict afterwards.

Long plain lists (per-star arrays sent as JSON lists, see
:func:`sedviz.plots.hr.browser_spec`) are kept as pre-serialised JSON
(``orjson.Fragment``), which Plotly's orjson encoder copies as is: one bytes
object instead of ~100,000 Python objects per array. Nested lists (the HR
figure's ``customdata`` rows) would otherwise add 104,533 objects per cached
figure for Python's garbage collector to walk (with four cached HR figures:
419,022 objects, a full collection 109 ms instead of 47 ms), and encoding them on
every run took 38 ms instead of 7.5 ms (``scripts/bench_hr_figure.py``). So ``to_dict()`` is for ``plotly.io.to_json`` (orjson engine,
pinned in ``requirements.txt``), not for ``json.dumps``.

Every pre-serialised piece, and every string with a character outside ASCII or
one of ``< > /``, is stored already escaped (``\\u2212``, ``\\u003c``...), as
plotly's encoder would escape it. The figure's JSON is then pure ASCII without
those three characters: without this, a single ``−`` or ``●`` anywhere made the
4.6 MB text of the HR figure a two-byte-per-character string, and plotly's
``_safe`` replaced ``<``, ``>`` and ``/`` through all of it, on every run: 60-90 ms
of the ~100 ms ``to_json`` took per run under the classroom load
(docs/classroom.md).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

import orjson
import plotly.graph_objects as go
import plotly.io as pio

#: Lists at least this long are stored as pre-serialised JSON.
FRAGMENT_MIN_LENGTH: Final = 1000


class FrozenFigure(go.Figure):
    """A read-only figure whose ``to_dict()`` is computed once.

    Build it from a finished figure; never modify it afterwards (the cached
    dict would no longer match). Streamlit only calls ``to_dict()`` on it.
    *spec*, when given, is that dict (JSON types), e.g. from
    :func:`sedviz.plots.hr.browser_spec`.
    """

    def __init__(self, figure: go.Figure, spec: dict[str, Any] | None = None) -> None:
        # One to_dict() (a deep copy, then every list walked for typed arrays) for the JSON
        # and the copy below: it was a third of freezing an SED figure (issue #18.12).
        # to_json drops trace uids from it, which figures (not FigureWidgets) never have.
        figure_dict = figure.to_dict()
        frozen = json.loads(pio.to_json(figure_dict, validate=False)) if spec is None else spec
        frozen = {**frozen, "data": [_compact(trace) for trace in frozen.get("data", [])]}
        layout = _compact(frozen.get("layout") or {})
        frozen["layout"] = layout
        if "template" in layout and layout["template"] is None:
            # No template is the same as none for plotly.js, and plotly.io.to_html
            # (the HTML export) reads layout.template as a dict.
            frozen["layout"] = {key: value for key, value in layout.items() if key != "template"}
        # The figure was validated when it was built: copying it without
        # validating again saves most of the cost (the template alone is ~10 ms).
        super().__init__(figure_dict, _validate=False)
        self._frozen_dict = frozen

    def to_dict(self) -> dict[str, Any]:
        """The figure for ``plotly.io.to_json``: JSON types, long lists pre-serialised."""
        return self._frozen_dict

    def json_bytes(self) -> bytes:
        """The figure's JSON as Plotly's encoder writes it, encoded once (for a browser to fetch)."""
        cached = self.__dict__.get("_json_bytes")
        if cached is None:
            cached = pio.to_json(self._frozen_dict, validate=False, engine="orjson").encode()
            self.__dict__["_json_bytes"] = cached
        return cached

    def json_digest(self) -> str:
        """A digest of :meth:`json_bytes`, computed once: the figure's address part."""
        cached = self.__dict__.get("_json_digest")
        if cached is None:
            cached = digest_of(self.json_bytes())
            self.__dict__["_json_digest"] = cached
        return cached

    def derive(self, spec: dict[str, Any]) -> FrozenFigure:
        """Return a frozen figure that sends *spec* instead, sharing everything else with this one.

        For a per-user overlay on a shared figure (``sedviz.plots.hr_choice``):
        no copy of the figure, no validation. *spec* must be JSON types as
        :meth:`to_dict` returns them.
        """
        out = object.__new__(FrozenFigure)
        out.__dict__.update(self.__dict__)
        out.__dict__.pop("_json_bytes", None)
        out.__dict__.pop("_json_digest", None)
        out._frozen_dict = spec
        return out


def digest_of(body: bytes) -> str:
    """Return 24 hex digits of the BLAKE2b digest of *body*: a published figure's address part."""
    return hashlib.blake2b(body, digest_size=12).hexdigest()


#: What plotly's orjson encoder escapes in the text (``plotly.io._json._swap_orjson``).
_UNSAFE: Final = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"))


def _escaped_json(value: Any) -> orjson.Fragment:
    """*value* as JSON text that is ASCII and holds no ``<``, ``>`` or ``/``."""
    text = orjson.dumps(value)
    if text.isascii() and not any(c in text for c in (b"<", b">", b"/")):
        return orjson.Fragment(text)
    out = json.dumps(value, separators=(",", ":"))  # ensure_ascii: \uXXXX escapes
    for unsafe, safe in _UNSAFE:  # only inside JSON strings: the syntax has none of them
        out = out.replace(unsafe, safe)
    return orjson.Fragment(out.encode())


def _compact(value: Any) -> Any:
    if isinstance(value, list) and len(value) >= FRAGMENT_MIN_LENGTH:
        return _escaped_json(value)
    if isinstance(value, str) and (not value.isascii() or any(c in value for c in "<>/")):
        return _escaped_json(value)
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_compact(item) for item in value]
    return value


def freeze(figure: go.Figure, spec: dict[str, Any] | None = None) -> FrozenFigure:
    """Return *figure* serialised once (as *spec*, if given), for ``st.cache_resource``."""
    return FrozenFigure(figure, spec)
