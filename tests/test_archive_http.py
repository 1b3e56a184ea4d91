"""The real seam, ``fetch_bytes``, against a throw-away HTTP server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from sedviz.archive import ArchiveConfig, ArchiveUnavailableError
from sedviz.archive.fetch import fetch_gaia, positions_votable
from sedviz.archive.http import build_tap_request, fetch_bytes, fetch_with_retries

DATA = Path(__file__).parent / "data" / "archive"
SEEN: list[dict[str, str]] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _form(self) -> dict[str, str]:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("multipart/"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + body
            )
            return {
                part.get_param("name", header="content-disposition"): part.get_payload(
                    decode=True
                ).decode()
                for part in message.iter_parts()
            }
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}

    def do_POST(self) -> None:
        form = self._form()
        SEEN.append(form)
        if self.path.startswith("/slow"):
            time.sleep(1.0)
        status, body = {
            "/tap/sync": (200, (DATA / "gaia_cone.vot").read_bytes()),
            "/down/sync": (500, b"<html>Internal Server Error</html>"),
        }.get(self.path, (200, b""))
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_real_seam_posts_the_query(server: str, tmp_path: Path) -> None:
    config = ArchiveConfig(gaia_tap_url=f"{server}/tap/sync", cache_dir=tmp_path, backoff_s=0.0)
    answer = fetch_gaia("SELECT 1", config)
    assert len(answer.table) == 12 and not answer.truncated
    assert SEEN[-1] == {
        "REQUEST": "doQuery",
        "LANG": "ADQL",
        "FORMAT": "votable",
        "QUERY": "SELECT 1",
    }


def test_real_seam_uploads_positions(server: str, tmp_path: Path) -> None:
    config = ArchiveConfig(gaia_tap_url=f"{server}/tap/sync", cache_dir=tmp_path, backoff_s=0.0)
    fetch_gaia("SELECT 2", config, upload=positions_votable([280.0], [-60.0]))
    assert SEEN[-1]["UPLOAD"] == "positions,param:positions"
    assert "<VOTABLE" in SEEN[-1]["positions"] and "280" in SEEN[-1]["positions"]


def test_real_seam_http_500_and_timeout(server: str, tmp_path: Path) -> None:
    config = ArchiveConfig(cache_dir=tmp_path, backoff_s=0.0, retries=1, timeout_s=0.2)
    down = build_tap_request("gaia", f"{server}/down/sync", "SELECT 1")
    with pytest.raises(ArchiveUnavailableError, match=r"HTTP 500 .*2 attempt"):
        fetch_with_retries(down, lambda body: body, config)
    slow = build_tap_request("gaia", f"{server}/slow/sync", "SELECT 1")
    with pytest.raises(ArchiveUnavailableError, match="timeout"):
        fetch_with_retries(slow, lambda body: body, config)
    assert fetch_bytes(build_tap_request("x", f"{server}/empty", "SELECT 1"), 5.0) == b""
