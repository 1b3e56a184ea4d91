"""The classroom load test runs end to end (2 sessions, a few seconds) and reports its keys.

Its figures are recorded in docs/classroom.md from full runs; this only keeps the
script working: it starts the app on loopback, warms it up, drives sessions over
Streamlit's websocket protocol and writes the report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the load-test script against a served app

ROOT = Path(__file__).resolve().parents[1]


def test_load_test_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    cmd = [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--sessions", "2",
           "--duration-s", "6", "--max-requests", "12", "--json", str(out)]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["errors"] == 0, report["error_samples"]
    assert report["requests"] >= 2
    assert set(report["warm_up_s"]) == {
        f"warm-up {p}" for p in ("hr_diagram", "sed", "explain", "stars")
    }
    assert report["overall"]["p95_s"] >= report["overall"]["p50_s"] > 0
    # the server really loaded the catalogue, models and figures (a bare Streamlit is ~100 MB),
    # and the peak is a peak
    assert report["server_peak_rss_mb"] >= report["server_final_rss_mb"] >= 200
    assert report["server_cpu_cores"] > 0  # the server worked for the sessions
    assert report["server_cpu_s_per_interaction"] > 0 and report["setup"] == "one process"
    _models_untouched()


def _models_untouched() -> None:
    """The load test keeps its models in its private HOME, never in the repository."""
    done = subprocess.run(["git", "status", "--porcelain", "--ignored", "--", "models"],
                          cwd=ROOT, capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode != 0 or done.stdout == ""


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed"
)
def test_load_test_drives_two_processes_behind_nginx(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    cmd = [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--sessions", "2",
           "--duration-s", "6", "--max-requests", "8", "--workers", "2", "--json", str(out)]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["errors"] == 0, report["error_samples"]
    assert report["setup"] == "2 processes behind nginx" and report["requests"] >= 2
    assert "warm-up hr_diagram #2" in report["warm_up_s"]  # each process warmed
    _models_untouched()


def test_app_dir_without_an_app_is_refused(tmp_path: Path) -> None:
    cmd = [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--app-dir", str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "holds no app.py" in done.stderr
