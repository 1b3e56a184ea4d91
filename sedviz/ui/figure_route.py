"""Large figures fetched by the browser by address, not sent in every Streamlit message.

``st.plotly_chart`` puts the whole figure in the script's message on every run:
the HR diagram of the whole catalogue is 5 MB of JSON, built into the message,
hashed for the element's identity and hashed again for Streamlit's message cache
on every click of every student, also when it did not change (a quarter of the
server's CPU under a class, docs/classroom.md). The HR chart of ``serve.py``
(:func:`sedviz.ui.widgets.hr_chart`, ``sedviz/ui/hr_chart.js``) sends only
addresses instead: each figure (and each subset overlay) is published here once,
under a digest of its content, and the browser fetches it once and keeps it (a day,
``Cache-Control: immutable``: an address never names other content).

The addresses are served by the ``serve.py`` application (Starlette routes of
Streamlit's ``st.App``, :func:`routes`), in the same process as the scripts
that publish: ``streamlit run app.py`` has no such routes, and the app then
draws the HR chart with ``st.plotly_chart`` as before (:func:`is_served`).
Several processes behind a proxy (``make serve-class``) each publish their own
figures; the proxy's sticky sessions send a browser's fetch to the process that
drew its page.

Nothing here reads user input but the digest in the address, which is looked up
in a dictionary: an unknown one is answered 404. There is no login: anyone who can
reach the server and knows an address (96 random-looking bits) can fetch that figure,
as anyone who can reach it can open the app. The routes are at ``/sedviz/`` of the
server: Streamlit's ``server.baseUrlPath`` does not move them.
"""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Final

import orjson
import plotly
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sedviz.ui.frozen import FrozenFigure

#: Where the routes live (no Streamlit route starts with it).
PREFIX: Final = "/sedviz"
#: plotly.js of the installed plotly package: the version in the address, so a browser
#: may keep it (a day, immutable) and fetches a new one after an upgrade.
PLOTLY_JS_URL: Final = f"{PREFIX}/plotly-{plotly.__version__}.min.js"
PLOTLY_JS_PATH: Final = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
#: Bodies kept for the browsers (figures and subsets, their gzipped copies counted):
#: the least recently published go first. The HR figure cache holds 12 figures.
MAX_FIGURES: Final = 32
MAX_BYTES: Final = 200 * 2**20
#: Answers never change under one address (it is a digest of the content).
_CACHE_CONTROL: Final = "private, max-age=86400, immutable"
#: gzip level of the answers: level 5 is ~3.4x smaller for these figures, at a few
#: tens of ms per figure, once.
_GZIP_LEVEL: Final = 5


class _Published:
    """The published JSON bodies by digest (thread-safe: scripts publish, the server reads)."""

    def __init__(self) -> None:
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._gzipped: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.served = False

    def put(self, digest: str, body: bytes) -> None:
        with self._lock:
            self._bodies[digest] = body
            self._bodies.move_to_end(digest)
            self._trim()

    def touch(self, digest: str) -> bool:
        """Mark *digest* as just published; return whether it is kept."""
        with self._lock:
            if digest not in self._bodies:
                return False
            self._bodies.move_to_end(digest)
            return True

    def _trim(self) -> None:
        total = sum(map(len, self._bodies.values())) + sum(map(len, self._gzipped.values()))
        while len(self._bodies) > 1 and (len(self._bodies) > MAX_FIGURES or total > MAX_BYTES):
            old, dropped = self._bodies.popitem(last=False)
            total -= len(dropped) + len(self._gzipped.pop(old, b""))

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            return self._bodies.get(digest)

    def gzipped(self, digest: str) -> bytes | None:
        with self._lock:
            return self._gzipped.get(digest)

    def keep_gzipped(self, digest: str, body: bytes) -> None:
        with self._lock:
            if digest in self._bodies:
                self._gzipped[digest] = body
                self._trim()

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._gzipped.clear()


_PUBLISHED: Final = _Published()


def url_of(digest: str) -> str:
    """Return the address of the published body *digest*."""
    return f"{PREFIX}/figure/{digest}.json"


def publish_figure(fig: FrozenFigure) -> str:
    """Keep the JSON of the shared figure *fig* for the browsers; return its address.

    The JSON and its digest are computed once per figure (:meth:`FrozenFigure.json_bytes`).
    """
    digest = fig.json_digest()
    if not _PUBLISHED.touch(digest):
        _PUBLISHED.put(digest, fig.json_bytes())
    return url_of(digest)


def publish_value(value: Any, digest: str) -> str:
    """Publish *value* as JSON under *digest*, serialising it only if not already kept.

    *digest* must be a digest of all of *value* (e.g. a subset's, which covers its
    positions, colours and rows): the browser keeps what an address gave it.
    """
    if not _PUBLISHED.touch(digest):
        _PUBLISHED.put(digest, orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY))
    return url_of(digest)


def is_served() -> bool:
    """Whether this process serves the routes (``serve.py``), so browsers can fetch figures."""
    return _PUBLISHED.served


def forget_all() -> None:
    """Drop every published body (tests)."""
    _PUBLISHED.clear()


async def _figure(request: Request) -> Response:
    digest = str(request.path_params["digest"])
    body = _PUBLISHED.get(digest)
    if body is None:
        return JSONResponse(
            {"error": "This figure is no longer kept by the server: reload the page."},
            status_code=404,
            headers={"Cache-Control": "no-store"},
        )
    return await _answer(request, digest, body, "application/json")


#: plotly.js as read from the package ("body") and gzipped ("gzip"), once per process.
_PLOTLY_JS: dict[str, bytes] = {}


async def _plotly_js(request: Request) -> Response:
    if "body" not in _PLOTLY_JS:
        _PLOTLY_JS["body"] = await asyncio.to_thread(PLOTLY_JS_PATH.read_bytes)
    body = _PLOTLY_JS["body"]
    if not _accepts_gzip(request):
        return _response(body, "text/javascript", gzipped=False)
    if "gzip" not in _PLOTLY_JS:
        _PLOTLY_JS["gzip"] = await _gzip_once(PLOTLY_JS_URL, body)
    return _response(_PLOTLY_JS["gzip"], "text/javascript", gzipped=True)


async def _answer(request: Request, digest: str, body: bytes, media_type: str) -> Response:
    if not _accepts_gzip(request):
        return _response(body, media_type, gzipped=False)
    packed = _PUBLISHED.gzipped(digest)
    if packed is None:
        packed = await _gzip_once(digest, body)
        _PUBLISHED.keep_gzipped(digest, packed)
    return _response(packed, media_type, gzipped=True)


#: Compressions under way, by key: a class opening the page at once compresses once.
_COMPRESSING: dict[str, asyncio.Future[bytes]] = {}


async def _gzip_once(key: str, body: bytes) -> bytes:
    """gzip *body* in a worker thread; concurrent calls for one *key* share the work."""
    running = _COMPRESSING.get(key)
    if running is None:
        running = asyncio.ensure_future(asyncio.to_thread(gzip.compress, body, _GZIP_LEVEL))
        _COMPRESSING[key] = running
        running.add_done_callback(lambda _: _COMPRESSING.pop(key, None))
    return await asyncio.shield(running)


def _accepts_gzip(request: Request) -> bool:
    """Whether the request's Accept-Encoding allows gzip (``gzip;q=0`` refuses it)."""
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=")
        try:
            return not params.strip() or float(quality) > 0
        except ValueError:
            return False
    return False


def _response(body: bytes, media_type: str, *, gzipped: bool) -> Response:
    headers = {"Cache-Control": _CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=media_type, headers=headers)


def routes() -> list[BaseRoute]:
    """The routes to serve with the app (``st.App(..., routes=routes())``).

    Calling it marks this process as serving them (:func:`is_served`).
    """
    _PUBLISHED.served = True
    return [
        Route(PREFIX + "/figure/{digest:str}.json", _figure, methods=["GET"]),
        Route(PLOTLY_JS_URL, _plotly_js, methods=["GET"]),
    ]
