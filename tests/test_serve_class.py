"""The class server's generated nginx config is valid (``nginx -t``) and says what it must.

Starting the processes is exercised by ``scripts/load_test.py --workers 2``
(figures in docs/classroom.md), not here: it takes two app start-ups.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("serve_class", ROOT / "deploy" / "serve_class.py")
assert _spec is not None and _spec.loader is not None
serve_class = importlib.util.module_from_spec(_spec)
sys.modules["serve_class"] = serve_class
_spec.loader.exec_module(serve_class)


def test_config_is_sticky_proxies_websockets_and_lists_every_worker(tmp_path: Path) -> None:
    text = serve_class.build_nginx_config([9102, 9103, 9104], 9101, tmp_path, "127.0.0.1")
    assert "listen 127.0.0.1:9101;" in text
    for port in (9102, 9103, 9104):
        assert f"server 127.0.0.1:{port} " in text
    assert "hash $sedviz_route consistent;" in text and "$cookie_sedviz_worker" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "proxy_read_timeout 1d;" in text
    assert str(tmp_path / "nginx.pid") in text  # nothing outside its own folder


def test_nginx_accepts_the_generated_config(tmp_path: Path) -> None:
    nginx = serve_class.find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx; .ci/run installs it)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(serve_class.build_nginx_config([9102, 9103], 9101, tmp_path, "127.0.0.1"))
    done = serve_class.check_nginx_config(nginx, conf, tmp_path)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("args", [["--workers", "0"], ["--port", "80"]])
def test_bad_arguments_exit_2_with_one_line(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve_class.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and err.count("\n") == 1
