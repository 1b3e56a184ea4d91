"""``serve.py`` (what ``make run`` serves): the caches are warm before the first visitor.

Streamlit's ``st.App`` runs the lifespan start-up hook before the server takes a
request, so the health check answers only once warming is over.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port, entry_script, wait_for_health

pytestmark = pytest.mark.slow  # starts a server and warms the whole catalogue's caches

ROOT = Path(__file__).resolve().parents[1]


def test_make_run_serves_serve_py() -> None:
    assert entry_script(ROOT).name == "serve.py"
    assert "streamlit run serve.py" in (ROOT / "Makefile").read_text()


def test_serve_py_warms_the_caches_before_the_first_visitor(tmp_path: Path) -> None:
    port = _free_port()
    env = {"HOME": str(tmp_path), "SEDVIZ_CACHE_DIR": str(tmp_path / "cache"),
           "SEDVIZ_WARM_CACHES": "1", "PATH": "/usr/bin:/bin"}  # fmt: skip
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_health(url, timeout_s=300)
            text = log.read_text()
            # The first answer of the server comes after warming (not before it).
            assert "before the first visitor" in text
            assert "sedviz: ready (" in text, text
            # Quiet: no "outside a session" warnings from the warming, and the cached
            # functions found Streamlit's runtime (its cache storage, not a stand-in).
            assert "missing ScriptRunContext" not in text, text
            assert "No runtime found" not in text, text
            with urllib.request.urlopen(f"{url}/", timeout=10) as page:
                assert page.status == 200
        finally:
            proc.terminate()
            proc.wait(timeout=30)
