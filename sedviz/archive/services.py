"""The one place that calls the remote services, through astroquery's public API only.

Three functions, each a thin call that returns what the service answered, as an
:class:`astropy.table.Table` (or numbers), and lets the library's exceptions through
untouched (:mod:`sedviz.archive.faults` classifies them):

* :func:`gaia_query` - an ADQL query on the Gaia archive: ``Gaia.launch_job`` for
  small answers, ``Gaia.launch_job_async`` for large ones (with progress and cancel),
  an optional table upload (``upload_resource``/``upload_table_name``).
* :func:`simbad_objects` - ``Simbad.query_objects`` for a list of names or identifiers,
  with extra output fields (``ids``, ``sp_type``).
* :func:`sesame_position` - ``SkyCoord.from_name`` (CDS Sesame: SIMBAD, NED, VizieR).

This module is the seam the offline tests replace (``monkeypatch.setattr`` on these
three names); nothing else in sedviz imports astroquery.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from astropy.table import Table

#: Called with the job phase (``QUEUED``, ``EXECUTING``, ``COMPLETED``...) and seconds elapsed.
Progress = Callable[[str, float], None]
#: Returns True when the user asked to stop.
Cancel = Callable[[], bool]


class QueryCancelled(Exception):
    """The user cancelled an asynchronous job (it was removed from the archive)."""


class JobFailed(Exception):
    """The archive ran the job and reported an error (the query was rejected)."""


_gaia: Any = None


def _gaia_client() -> Any:
    global _gaia
    if _gaia is None:
        # Importing astroquery.gaia creates its default client, which fetches and prints
        # the archive's status messages; keep that out of the CLI's and app's output.
        with contextlib.redirect_stdout(io.StringIO()):
            from astroquery.gaia import GaiaClass

        # show_server_messages=False: no extra request (and no printing) on creation.
        _gaia = GaiaClass(show_server_messages=False)
    return _gaia


def gaia_query(
    adql: str, *, upload: Table | None = None, upload_name: str = "", timeout_s: float = 60.0,
    asynchronous: bool = False, progress: Progress | None = None, cancel: Cancel | None = None,
    poll_s: float = 2.0,
) -> Table:  # fmt: skip
    """Run *adql* on the Gaia archive and return the answer table.

    Parameters
    ----------
    adql
        Query text (built from numbers and integers by :mod:`sedviz.archive.adql`).
    upload, upload_name
        A table sent with the query, visible as ``TAP_UPLOAD.<upload_name>``.
    timeout_s
        Longest wait for the whole answer, seconds (raises :class:`TimeoutError`).
    asynchronous
        Use an asynchronous job (``launch_job_async``; no 2,000-row cap, progress, cancel).
    progress, cancel
        Asynchronous jobs only: called at each poll of the job's phase (every 0.25 s at
        first, then less often, at most every *poll_s* seconds).
    """
    gaia = _gaia_client()
    kwargs: dict[str, Any] = {}
    if upload is not None:
        kwargs = {"upload_resource": upload, "upload_table_name": upload_name}
    if not asynchronous:
        # A worker thread, so that timeout_s holds (TapPlus has no time-out of its own);
        # on a time-out the thread is left to finish in the background.
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            future = pool.submit(gaia.launch_job, adql, output_format="votable", **kwargs)
            return future.result(timeout=timeout_s).get_results()
        except FutureTimeout:
            raise TimeoutError(f"no answer within {timeout_s:g} s") from None
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
    job = gaia.launch_job_async(
        adql, output_format="votable", background=True, autorun=True, **kwargs
    )
    try:
        return _wait(job, timeout_s, progress, cancel, poll_s)
    except BaseException:
        # Cancelled, timed out, or interrupted (e.g. the app's Cancel button reruns the
        # page): the job would run on for nothing, so remove it from the archive.
        _remove_job(gaia, job)
        raise


def _wait(job: Any, timeout_s: float, progress: Progress | None, cancel: Cancel | None,
          poll_s: float) -> Table:  # fmt: skip
    start = time.monotonic()
    wait_s = min(0.25, poll_s)  # small answers finish in well under a second
    while True:
        phase = str(job.get_phase(update=True)).strip().upper()
        elapsed = time.monotonic() - start
        if progress is not None:
            progress(phase, elapsed)
        if phase == "COMPLETED":
            return job.get_results()
        if phase in ("ERROR", "ABORTED"):
            raise JobFailed(f"the archive's job ended in phase {phase}")
        if cancel is not None and cancel():
            raise QueryCancelled("query cancelled")
        if elapsed > timeout_s:
            raise TimeoutError(f"the job did not finish within {timeout_s:g} s")
        time.sleep(wait_s)
        wait_s = min(wait_s * 2, poll_s)


def _remove_job(gaia: Any, job: Any) -> None:
    with contextlib.suppress(Exception):
        gaia.remove_jobs([str(job.jobid)])


def simbad_objects(
    names: Sequence[str], *, fields: Sequence[str] = (), timeout_s: float = 60.0
) -> Table:
    """``Simbad.query_objects(names)`` with extra *fields*: one row per name, in order.

    Unknown names give a row with an empty ``main_id``; ``user_specified_id`` is the
    name as given.
    """
    from astroquery.simbad import SimbadClass

    simbad = SimbadClass(timeout=int(timeout_s))
    if fields:
        simbad.add_votable_fields(*fields)
    return simbad.query_objects(list(names))


def sesame_position(name: str) -> tuple[float, float] | None:
    """ICRS ``(ra_deg, dec_deg)`` of *name* from CDS Sesame, or None if no resolver knows it."""
    from astropy.coordinates import SkyCoord
    from astropy.coordinates.name_resolve import NameResolveError

    try:
        coord = SkyCoord.from_name(name, parse=False)
    except NameResolveError as exc:
        if "Unable to find coordinates" in str(exc):
            return None
        raise ConnectionError(str(exc)) from exc
    return float(coord.ra.deg), float(coord.dec.deg)
