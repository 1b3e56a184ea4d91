"""The adapter's own logic (sync time-out, async polling, progress, cancel, job removal).

The astroquery Gaia client is replaced by a stand-in with the same public methods
(``launch_job``, ``launch_job_async``, ``remove_jobs``; a job with ``get_phase`` and
``get_results``), so no network is needed.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from astropy.table import Table

from sedviz.archive import services
from tests.archive_fakes import gaia_two_stars


class Job:
    def __init__(self, phases: list[str]) -> None:
        self.phases = phases
        self.jobid = "1712337806100O"

    def get_phase(self, *, update: bool = False) -> str:
        return self.phases.pop(0) if len(self.phases) > 1 else self.phases[0]

    def get_results(self) -> Table:
        return gaia_two_stars()


class Gaia:
    def __init__(self, phases: list[str], sync_delay_s: float = 0.0) -> None:
        self.phases = phases
        self.sync_delay_s = sync_delay_s
        self.removed: list[list[str]] = []
        self.launched: list[dict[str, Any]] = []

    def launch_job(self, query: str, **kwargs: Any) -> Job:
        self.launched.append({"query": query, **kwargs})
        threading.Event().wait(self.sync_delay_s)
        return Job(["COMPLETED"])

    def launch_job_async(self, query: str, **kwargs: Any) -> Job:
        self.launched.append({"query": query, **kwargs})
        return Job(list(self.phases))

    def remove_jobs(self, jobs: list[str]) -> None:
        self.removed.append(jobs)


@pytest.fixture
def gaia(monkeypatch: pytest.MonkeyPatch) -> Gaia:
    client = Gaia(["QUEUED", "EXECUTING", "COMPLETED"])
    monkeypatch.setattr(services, "_gaia", client)
    return client


def test_sync_query_with_upload(gaia: Gaia) -> None:
    upload = Table({"source_id": [1, 2]})
    answer = services.gaia_query("SELECT 1", upload=upload, upload_name="sedviz_ids")
    assert len(answer) == 2
    assert gaia.launched[0]["upload_resource"] is upload
    assert gaia.launched[0]["upload_table_name"] == "sedviz_ids"


def test_sync_time_out(gaia: Gaia) -> None:
    gaia.sync_delay_s = 2.0
    with pytest.raises(TimeoutError, match="no answer within 0.1 s"):
        services.gaia_query("SELECT 1", timeout_s=0.1)


def test_async_reports_progress(gaia: Gaia) -> None:
    seen: list[str] = []
    answer = services.gaia_query(
        "SELECT 1", asynchronous=True, poll_s=0.0, progress=lambda p, t: seen.append(p)
    )
    assert seen == ["QUEUED", "EXECUTING", "COMPLETED"] and len(answer) == 2
    assert gaia.launched[0]["background"] is True and gaia.removed == []


def test_async_cancel_removes_the_job(gaia: Gaia) -> None:
    with pytest.raises(services.QueryCancelled):
        services.gaia_query("SELECT 1", asynchronous=True, poll_s=0.0, cancel=lambda: True)
    assert gaia.removed == [["1712337806100O"]]


def test_async_interrupted_removes_the_job(gaia: Gaia) -> None:
    class Interrupted(BaseException):  # what a Streamlit rerun raises inside the callback
        pass

    def progress(phase: str, elapsed_s: float) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        services.gaia_query("SELECT 1", asynchronous=True, poll_s=0.0, progress=progress)
    assert gaia.removed == [["1712337806100O"]]


def test_async_error_and_time_out(gaia: Gaia) -> None:
    gaia.phases = ["EXECUTING", "ERROR"]
    with pytest.raises(services.JobFailed, match="phase ERROR"):
        services.gaia_query("SELECT 1", asynchronous=True, poll_s=0.0)
    gaia.phases = ["EXECUTING"]
    with pytest.raises(TimeoutError, match="did not finish within 0.05 s"):
        services.gaia_query("SELECT 1", asynchronous=True, poll_s=0.01, timeout_s=0.05)
    assert len(gaia.removed) == 2
