"""Classroom load test: N concurrent sessions against a sedviz server, on loopback only.

Starts ``streamlit run serve.py`` (``app.py`` for older checkouts) on 127.0.0.1 (a free port), or with
``--workers N`` (N >= 2) the class set-up of ``make serve-class``: N processes
behind nginx (:mod:`deploy.serve_class`); or drives a server already running
on this machine (``--url http://127.0.0.1:8501``). Then it opens N
sessions that speak Streamlit's own websocket protocol (the protobuf messages
the browser sends): each opens the HR diagram, then for the given duration
clicks random stars on it, changes the colouring, and visits the SED, Explain
and Stars pages, with a short think time between actions. Every interaction is
timed from the message sent to the end of the script run it starts, plus the
fetch of any figure that run asked for and the session has not fetched yet (the HR
chart of ``serve.py`` fetches its figures by address, sedviz.ui.figure_route): the
server-side latency a student waits for, without the browser's drawing time.

Bounded: it stops after ``--duration-s`` or ``--max-requests``, whichever comes
first, and only ever connects to 127.0.0.1.

Reports p50/p95 latency per action and overall, errors (exceptions shown in
the page, dropped connections, time-outs), the server's peak memory (RSS, all
its processes) and its CPU: cores kept busy on average and CPU-seconds per
interaction (user + system time of every server process over the students'
part, divided by their interactions). With ``--url`` the CPU and memory are
measured only for the processes given with ``--server-pids``.

Run: ``python scripts/load_test.py --sessions 30 --duration-s 180 [--workers 2]``.
Before and after a change, with the same client: ``git worktree add /tmp/old REV`` and
``--app-dir /tmp/old`` (one process), then the same command without it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil
import pyarrow.parquet as pq
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from deploy.serve_class import COOKIE
from sedviz.catalog.tables import CATALOG_PATH
from tests.browser.conftest import entry_script

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PAGES = ("hr_diagram", "sed", "explain", "stars")
COLOUR_LABEL = "Colour by"
INTERACTION_TIMEOUT_S = 60.0
#: The teacher's first visit builds the shared caches (minutes on a busy machine).
WARM_UP_TIMEOUT_S = 600.0
#: Seconds a student looks at the result before the next click (uniform).
THINK_TIME_S = (2.0, 6.0)
#: Rows of the embedded catalogue (a click picks one at random).
N_CATALOGUE_ROWS = pq.ParquetFile(CATALOG_PATH).metadata.num_rows


@dataclass
class Stats:
    """Everything measured, shared by all sessions (one event loop: no locks needed)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    bytes_received: int = 0
    warm_up: dict[str, float] = field(default_factory=dict)
    #: Server CPU seconds and wall seconds of the students' part (after the warm-up).
    server_cpu_s: float = 0.0
    students_wall_s: float = 0.0

    def record(self, action: str, seconds: float) -> None:
        self.latencies.setdefault(action, []).append(seconds)


@dataclass
class PageWidgets:
    """Widget ids found in the last run of the HR page."""

    chart_id: str | None = None
    #: The state widget of sedviz's own chart component (serve.py), if the chart is one;
    #: ``chart_id`` is then its events widget. The browser sends both with every event.
    component_id: str | None = None
    #: The run drew the selected star's SED beside the chart (a click took effect).
    star_shown: bool = False
    colour_id: str | None = None
    colour_options: list[str] = field(default_factory=list)


class Session:
    """One simulated student: a websocket and the widgets it has seen."""

    def __init__(
        self,
        ws: websockets.ClientConnection,
        stats: Stats,
        rng: random.Random,
        url: str,
        cookie: str,
    ) -> None:
        self.ws, self.stats, self.rng, self.cookie = ws, stats, rng, cookie
        # The server's http:// address, for the figure fetches (*url* may be ws://).
        self.http = "http" + url.removeprefix("ws") if url.startswith("ws") else url
        self.widgets = PageWidgets()
        # Like the browser: the HR chart component's figures and plotly.js, fetched once
        # each by their address (sedviz.ui.figure_route); the addresses a run asked for.
        self.fetched: set[str] = set()
        self.to_fetch: list[str] = []
        self.page = ""
        # Like the browser: large elements already received are sent back as
        # hashes, and the server then sends a short reference instead.
        self.cached: dict[str, object] = {}

    async def run_script(
        self,
        action: str,
        page: str,
        states: list[tuple[str, str, str]],
        timeout_s: float = INTERACTION_TIMEOUT_S,
    ) -> None:
        """Send one rerun request, wait for its script run to finish and fetch what it asked for.

        *states* are ``(widget id, WidgetState field, value)``.
        """
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        for widget_id, kind, value in states:
            ws_state = msg.rerun_script.widget_states.widgets.add()
            ws_state.id = widget_id
            setattr(ws_state, kind, value)
        self.stats.requests += 1
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await asyncio.wait_for(self._until_finished(page), timeout_s)
        await asyncio.wait_for(self._fetch_figures(), timeout_s)
        self.stats.record(action, time.perf_counter() - start)
        self.page = page

    async def _until_finished(self, page: str) -> None:
        if page == "hr_diagram":
            self.widgets = PageWidgets()
        while True:
            raw = await self.ws.recv()
            self.stats.bytes_received += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash" and fwd.ref_hash in self.cached:
                fwd = self.cached[fwd.ref_hash]  # type: ignore[assignment]
                kind = fwd.WhichOneof("type")
            elif fwd.metadata.cacheable and fwd.hash:
                self.cached[fwd.hash] = fwd
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._note_element(fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished in (
                ForwardMsg.FINISHED_SUCCESSFULLY,
                ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
            ):
                return
            elif (
                kind == "script_finished"
                and fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
            ):
                self.stats.errors.append("script compile error")
                return

    async def _fetch_figures(self) -> None:
        """GET each address the HR chart asked for and this session has not fetched yet."""
        todo = [u for u in dict.fromkeys(self.to_fetch) if u not in self.fetched]
        self.to_fetch = []
        for address in todo:
            try:
                got = await asyncio.to_thread(_http_get, self.http + address, self.cookie)
            except OSError as exc:  # urllib's HTTPError (e.g. 404) and URLError are OSErrors
                self.stats.errors.append(f"GET {address}: {exc}")
                continue
            self.stats.bytes_received += got
            self.fetched.add(address)

    def _note_element(self, element: object) -> None:
        kind = element.WhichOneof("type")  # type: ignore[attr-defined]
        if kind == "exception":
            exc = element.exception  # type: ignore[attr-defined]
            self.stats.errors.append(f"{exc.type}: {exc.message[:120]}")
        elif kind == "plotly_chart" and "hr.chart" in element.plotly_chart.id:  # type: ignore[attr-defined]
            self.widgets.chart_id = element.plotly_chart.id  # type: ignore[attr-defined]
        elif kind == "plotly_chart" and "hr.sed" in element.plotly_chart.id:  # type: ignore[attr-defined]
            self.widgets.star_shown = True
        elif kind == "bidi_component" and "hr.chart" in element.bidi_component.id:  # type: ignore[attr-defined]
            component = element.bidi_component  # type: ignore[attr-defined]
            self.widgets.chart_id = trigger_widget_id(component.id)
            self.widgets.component_id = component.id
            data = json.loads(component.json or component.mixed.json or "{}")
            self.to_fetch += [data[k] for k in ("plotly", "figure", "subset") if data.get(k)]
        elif kind == "selectbox" and element.selectbox.label == COLOUR_LABEL:  # type: ignore[attr-defined]
            self.widgets.colour_id = element.selectbox.id  # type: ignore[attr-defined]
            self.widgets.colour_options = list(element.selectbox.options)  # type: ignore[attr-defined]

    async def click_star(self) -> None:
        row = self.rng.randrange(N_CATALOGUE_ROWS)
        point = {"curve_number": 0, "point_number": row, "point_index": row,
                 "x": 1.0, "y": 1.0, "customdata": [row]}  # fmt: skip
        value = json.dumps({"selection": {"points": [point], "point_indices": [row],
                                          "box": [], "lasso": []}})  # fmt: skip
        states = [(self.widgets.chart_id or "", "string_value", value)]
        if self.widgets.component_id:  # what sedviz/ui/hr_chart.js sends for a click
            click = {"rows": [row], "box": [], "lasso": []}
            states = [
                (self.widgets.component_id, "json_value", "{}"),
                (states[0][0], "json_trigger_value", json.dumps([{"event": "select", "value": click}])),
            ]  # fmt: skip
        await self.run_script("click star", "hr_diagram", states)
        if not self.widgets.star_shown:  # the event did not reach the page: a broken client
            self.stats.errors.append(f"click star: row {row} was not selected")

    async def change_colouring(self) -> None:
        option = self.rng.choice(self.widgets.colour_options)
        await self.run_script(
            "change colouring",
            "hr_diagram",
            [(self.widgets.colour_id or "", "string_value", option)],
        )

    async def step(self) -> None:
        """One interaction, chosen like a student would."""
        on_hr = self.page == "hr_diagram" and self.widgets.chart_id
        roll = self.rng.random()
        if on_hr and roll < 0.5:
            await self.click_star()
        elif on_hr and roll < 0.75 and self.widgets.colour_id:
            await self.change_colouring()
        else:
            page = self.rng.choice(PAGES if self.page == "hr_diagram" else ("hr_diagram",))
            await self.run_script(f"open {page}", page, [])


async def student(index: int, url: str, stats: Stats, deadline: float, max_requests: int) -> None:
    rng = random.Random(index)
    await asyncio.sleep(rng.uniform(0, 10))  # students do not all arrive in the same second
    try:
        # The worker cookie a browser gets from nginx (make serve-class), sent with the
        # websocket and the figure fetches alike: both reach the same process.
        cookie = f"{COOKIE}=student-{index}"
        async with websockets.connect(
            f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60,
            additional_headers={"Cookie": cookie},
        ) as ws:  # fmt: skip
            session = Session(ws, stats, rng, url, cookie)
            await session.run_script("open hr_diagram", "hr_diagram", [])
            while time.monotonic() < deadline and stats.requests < max_requests:
                await asyncio.sleep(rng.uniform(*THINK_TIME_S))
                await session.step()
    except (TimeoutError, websockets.WebSocketException, OSError) as exc:
        stats.errors.append(f"session {index}: {type(exc).__name__}: {exc}")


def trigger_widget_id(component_id: str) -> str:
    """The widget id under which the browser sends a component's events (``setTriggerValue``).

    Streamlit's wire format for custom components v2 (1.67): the component's element
    id, prefixed as an internal key and suffixed ``__events``; the browser tests
    check the same clicks end to end.
    """
    return f"$$STREAMLIT_INTERNAL_KEY_{component_id}__events"


def _http_get(url: str, cookie: str) -> int:
    """GET *url* as a browser would (gzip accepted, its cookie); return the bytes received."""
    headers = {"Accept-Encoding": "gzip"} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=INTERACTION_TIMEOUT_S) as answer:
        return len(answer.read())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str], app_dir: Path = ROOT) -> subprocess.Popen[bytes]:
    """Start the checkout *app_dir* as ``make run`` does (its own ``sedviz`` is imported).

    ``serve.py`` if it has one (caches warmed before the health check answers), else ``app.py``.
    """
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry_script(app_dir)), "--server.port",
           str(port), "--server.address", HOST, "--server.headless", "true"]  # fmt: skip
    env = {**os.environ, **env}
    proc = subprocess.Popen(
        cmd, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300  # serve.py warms the caches before it answers
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the app did not start within 120 s")


def sample_memory(pids: list[int], stop: threading.Event, peaks: list[int]) -> None:
    """Record the server's resident memory every 0.5 s (all its processes, children included)."""
    procs = [psutil.Process(pid) for pid in pids]
    while not stop.wait(0.5):
        try:
            rss = sum(
                p.memory_info().rss + sum(c.memory_info().rss for c in p.children(True))
                for p in procs
            )
        except psutil.Error:
            return
        peaks.append(rss)


def server_cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds used so far by the server processes and their children."""
    total = 0.0
    for pid in pids:
        proc = psutil.Process(pid)
        for p in (proc, *proc.children(True)):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def summarise(stats: Stats, memory: list[int], wall_s: float, sessions: int) -> dict[str, object]:
    every = [x for xs in stats.latencies.values() for x in xs]

    def pct(xs: list[float]) -> dict[str, float]:
        return {"n": len(xs), "p50_s": float(np.percentile(xs, 50)), "p95_s": float(np.percentile(xs, 95)),
                "max_s": float(max(xs))}  # fmt: skip

    return {
        "sessions": sessions,
        "wall_s": round(wall_s, 1),
        "requests": stats.requests,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:10],
        "overall": pct(every) if every else {},
        "by_action": {k: pct(v) for k, v in sorted(stats.latencies.items())},
        "server_peak_rss_mb": round(max(memory) / 2**20) if memory else None,
        "server_final_rss_mb": round(memory[-1] / 2**20) if memory else None,
        "mb_received": round(stats.bytes_received / 2**20, 1),
        "warm_up_s": stats.warm_up,
        # Average cores the server kept busy while the students worked (user + system).
        "server_cpu_cores": round(stats.server_cpu_s / max(stats.students_wall_s, 1e-9), 2),
        "server_cpu_s": round(stats.server_cpu_s, 1),
        # What one click costs the server: the figure to compare across set-ups.
        "server_cpu_s_per_interaction": round(stats.server_cpu_s / max(stats.requests, 1), 3),
        "machine_load_average": [round(x, 2) for x in os.getloadavg()],
    }


def print_report(report: dict[str, object]) -> None:
    print(f"\n{report['sessions']} sessions, {report['requests']} interactions in {report['wall_s']} s, "
          f"{report['errors']} errors, server peak RSS {report['server_peak_rss_mb']} MB, "
          f"server CPU {report['server_cpu_cores']} cores on average, "
          f"{report['server_cpu_s_per_interaction']} CPU-s per interaction; "
          f"{report['setup']}; machine load {report['machine_load_average']}")  # fmt: skip
    print(f"{'action':<22}{'n':>6}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    rows = {**report["by_action"], "ALL": report["overall"]}  # type: ignore[dict-item]
    for action, row in rows.items():
        print(
            f"{action:<22}{row['n']:>6}{row['p50_s']:>9.2f}{row['p95_s']:>9.2f}{row['max_s']:>9.2f}"
        )
    if report["warm_up_s"]:
        print("warm-up before the class (not in the figures above):", report["warm_up_s"])
    for err in report["error_samples"]:  # type: ignore[attr-defined]
        print("error:", err)


async def warm_up(url: str) -> dict[str, float]:
    """Open every page once, as the teacher does before the class arrives; return the times.

    The first visit builds the shared caches (catalogue, predictions, HR
    figure, SHAP store): several seconds, paid once per server, not per
    student. It is timed and reported on its own, not mixed into the
    students' latencies.
    """
    stats = Stats()
    async with websockets.connect(
        f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60
    ) as ws:
        session = Session(ws, stats, random.Random(-1), url, "")
        for page in PAGES:
            await session.run_script(f"warm-up {page}", page, [], WARM_UP_TIMEOUT_S)
    if stats.errors:
        raise SystemExit(f"warm-up failed: {stats.errors[0]}")
    return {action: round(xs[0], 2) for action, xs in stats.latencies.items()}


async def run(args: argparse.Namespace, url: str, warm_urls: list[str]) -> Stats:
    stats = Stats()
    if args.warm_up:  # every process: each has its own caches
        for i, warm_url in enumerate(warm_urls):
            times = await warm_up(warm_url)
            stats.warm_up.update({f"{k} #{i + 1}" if i else k: v for k, v in times.items()})
    pids = args.server_pids
    cpu_start, wall_start = server_cpu_s(pids), time.monotonic()
    deadline = wall_start + args.duration_s
    await asyncio.gather(
        *(student(i, url, stats, deadline, args.max_requests) for i in range(args.sessions))
    )
    stats.server_cpu_s = server_cpu_s(pids) - cpu_start
    stats.students_wall_s = time.monotonic() - wall_start
    return stats


def _loopback_url(url: str) -> tuple[str, int]:
    """Return host and port of *url*; refuse anything that is not this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "ws") or parts.hostname not in LOOPBACK or not parts.port:
        raise SystemExit(f"error: --url must be http://127.0.0.1:PORT (this machine), not {url!r}")
    return parts.hostname, parts.port


def _free_ports(n: int) -> int:
    """Return a port p such that p .. p+n are free on loopback (for --workers)."""
    for _ in range(50):
        base = random.randrange(20_000, 60_000)
        try:
            for port in range(base, base + n + 1):
                with socket.socket() as sock:
                    sock.bind((HOST, port))
        except OSError:
            continue
        return base
    raise SystemExit("error: no free range of ports for the workers")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration-s", type=float, default=180.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--no-warm-up", dest="warm_up", action="store_false",
        help="let the students meet a cold server (no page opened before they arrive)",
    )  # fmt: skip
    setup = parser.add_mutually_exclusive_group()
    setup.add_argument("--workers", type=int, default=1,
                       help="app processes; 2 or more: behind nginx as make serve-class")  # fmt: skip
    setup.add_argument("--url", help="drive a server already running here (http://127.0.0.1:PORT)")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT,
        help="serve the app of this checkout (e.g. a git worktree of an older commit, to "
        "compare CPU per interaction with the same client); default: this repository",
    )  # fmt: skip
    parser.add_argument("--server-pids", default="",
                        help="with --url: comma-separated process ids to measure CPU and memory")  # fmt: skip
    return parser.parse_args(argv)


@contextlib.contextmanager
def serve(args: argparse.Namespace, home: Path) -> Iterator[tuple[str, list[str], list[int]]]:
    """Start (or find) the server; yield its websocket URL, the URLs to warm and the pids."""
    env = {"HOME": str(home), "SEDVIZ_CACHE_DIR": str(home / "cache"),
           "SEDVIZ_MODELS_DIR": str(home / "models")}  # never the repository's models/  # fmt: skip
    if args.url:
        host, port = _loopback_url(args.url)
        pids = [int(p) for p in args.server_pids.split(",") if p.strip()]
        yield f"ws://{host}:{port}", [f"ws://{host}:{port}"], pids
    elif args.workers >= 2:
        sys.path.insert(0, str(ROOT / "deploy"))
        from serve_class import ClassServer

        base = _free_ports(args.workers)
        server = ClassServer(args.workers, base, host=HOST, env=env)
        try:
            server.start()
        except RuntimeError as exc:
            raise SystemExit(f"error: {exc}") from exc
        try:
            warm = [f"ws://{HOST}:{p}" for p in server.worker_ports]
            yield f"ws://{HOST}:{base}", warm, server.pids
        finally:
            server.stop()
    else:
        port = _free_port()
        proc = start_server(port, env, args.app_dir.resolve())
        try:
            yield f"ws://{HOST}:{port}", [f"ws://{HOST}:{port}"], [proc.pid]
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    args = parse_args()
    if not (args.app_dir / "app.py").is_file():
        raise SystemExit(
            f"error: --app-dir {args.app_dir} holds no app.py (give a sedviz checkout)"
        )
    with tempfile.TemporaryDirectory() as home, serve(args, Path(home)) as (url, warm, pids):
        stop, memory = threading.Event(), []
        sampler = threading.Thread(target=sample_memory, args=(pids, stop, memory), daemon=True)
        sampler.start()
        args.server_pids = pids
        start = time.monotonic()
        try:
            stats = asyncio.run(run(args, url, warm))
        finally:
            stop.set()
    report = summarise(stats, memory, time.monotonic() - start, args.sessions)
    report["setup"] = (
        f"server at {args.url}" if args.url
        else f"{args.workers} processes behind nginx" if args.workers >= 2
        else "one process"
    ) + ("" if args.app_dir.resolve() == ROOT else f" of {args.app_dir}")  # fmt: skip
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
