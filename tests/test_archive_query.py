"""Archive queries through the one network seam, fed recorded responses.

Every test here replaces ``sedviz.archive.http.fetch_bytes`` (the only
function that performs HTTP) with :class:`FakeArchive`, which answers by
request label (``gaia``, ``simbad``, ``sesame``) from files in
``tests/data/archive/`` and records every request.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
import requests

from sedviz import columns as C
from sedviz.archive import (
    ArchiveConfig,
    ArchiveInputError,
    ArchiveUnavailableError,
    clear_cache,
    http,
    parse_source_list,
    query_cone,
    query_source_list,
)
from sedviz.archive.fetch import ANSWER_COLUMNS
from sedviz.archive.http import HttpRequest
from sedviz.catalog.tables import load_catalog, validate_star_table

DATA = Path(__file__).parent / "data" / "archive"
CONE = {"ra": 280.0, "dec": -60.0, "radius_deg": 0.03}  # the recorded cone (12 stars)
PLEIADES = {"ra": 56.75, "dec": 24.1167, "radius_deg": 0.5}


def recorded(name: str) -> bytes:
    return (DATA / name).read_bytes()


def http_error(status: int) -> requests.HTTPError:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} Server Error", response=response)


class FakeArchive:
    """Stands in for :func:`sedviz.archive.http.fetch_bytes`.

    ``answers[label]`` is a list consumed in order; its last item repeats.
    An item is bytes (returned) or an exception (raised).
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[bytes | Exception]] = {}
        self.calls: list[HttpRequest] = []

    def add(self, label: str, *items: bytes | Exception) -> FakeArchive:
        self.answers.setdefault(label, []).extend(items)
        return self

    def labels(self) -> list[str]:
        return [call.label for call in self.calls]

    def __call__(self, request: HttpRequest, timeout_s: float) -> bytes:
        self.calls.append(request)
        queue = self.answers.get(request.label)
        if not queue:
            raise AssertionError(f"unexpected {request.label} request: {request.url}")
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeArchive:
    archive = FakeArchive()
    monkeypatch.setattr(http, "fetch_bytes", archive)
    return archive


@pytest.fixture
def config(tmp_path: Path) -> ArchiveConfig:
    return ArchiveConfig(cache_dir=tmp_path / "cache", backoff_s=0.0, retries=2)


def test_cone_from_archive(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    result = query_cone(**CONE, config=config)
    assert result.source == "archive" and not result.truncated
    assert result.fetched_at is not None
    table = result.table
    assert list(table.columns) == list(ANSWER_COLUMNS)
    validate_star_table(table)
    assert len(table) == 12 and table[C.G_MAG].is_monotonic_increasing
    assert table[C.SOURCE_ID].dtype == "int64"
    assert table[C.J_MAG].notna().sum() == 2 and table[C.W4_MAG].notna().sum() == 1
    assert set(table[C.PARALLAX_SOURCE]) <= {"gaia_dr3", ""}
    gaia_sql = fake.calls[0].data["QUERY"]
    assert (
        "CIRCLE('ICRS', 280.0, -60.0, 0.03)" in gaia_sql
        and f"TOP {config.row_limit + 1}" in gaia_sql
    )
    assert "Gaia DR3 6636090407832545152" in fake.calls[1].data["QUERY"]
    assert "12 star(s) from the Gaia archive" in result.notice


def test_simbad_types_are_parsed(fake: FakeArchive, config: ArchiveConfig) -> None:
    pytest.importorskip("sedviz.catalog.mk")
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    table = query_cone(**CONE, config=config).table
    typed = table[table[C.SP_TYPE] != ""].set_index(C.SOURCE_ID)
    assert len(typed) == 2
    assert set(typed[C.SP_TYPE_SOURCE]) == {"simbad"}
    first = typed.loc[6636090407832545152]
    assert (first[C.SP_TYPE], first[C.SP_CLASS], first[C.SP_SUBCLASS], first[C.LUM_CLASS]) == (
        "G2V", "G", 2.0, "V",
    )  # fmt: skip
    assert typed.loc[6636066867112904704, C.LUM_CLASS] == "III"


def test_simbad_failure_keeps_gaia_answer(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", http_error(503))
    result = query_cone(**CONE, config=config)
    assert result.source == "archive" and len(result.table) == 12
    assert "SIMBAD spectral types unavailable" in result.notice
    assert (result.table[C.SP_TYPE] == "").all()


def test_row_limit_cut_is_reported(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    small = dataclasses.replace(config, row_limit=10)
    result = query_cone(**CONE, config=small)
    assert result.truncated and len(result.table) == 10
    assert "TOP 11" in fake.calls[0].data["QUERY"]
    assert "cut at 10 rows" in result.notice


def test_overflow_status_is_reported(fake: FakeArchive, config: ArchiveConfig) -> None:
    body = recorded("gaia_cone.vot").replace(b'value="OK"', b'value="OVERFLOW"')
    fake.add("gaia", body).add("simbad", recorded("simbad_sptype.vot"))
    assert query_cone(**CONE, config=config).truncated


def test_repeat_is_answered_from_cache(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    first = query_cone(**CONE, config=config)
    second = query_cone(**CONE, config=config)
    assert fake.labels() == ["gaia", "simbad"]
    assert second.source == "cache" and second.fetched_at == first.fetched_at
    pd.testing.assert_frame_equal(first.table, second.table)
    assert "fetched" in second.notice
    assert len(list(config.cache_dir.glob("*.parquet"))) == 1
    assert clear_cache(config) == 1
    assert query_cone(**CONE, config=config).source == "archive"


def test_refresh_and_stale_cache_ask_again(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    query_cone(**CONE, config=config)
    assert query_cone(**CONE, refresh=True, config=config).source == "archive"
    stale = dataclasses.replace(config, cache_max_age_days=0.0)
    assert query_cone(**CONE, config=stale).source == "archive"
    assert fake.labels().count("gaia") == 3


def test_damaged_cache_entry_is_a_miss(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    query_cone(**CONE, config=config)
    (entry,) = config.cache_dir.glob("*.parquet")
    entry.write_bytes(b"not parquet")
    assert query_cone(**CONE, config=config).source == "archive"


def _fault_cases() -> list[tuple[str, Exception | bytes]]:
    full = recorded("gaia_cone.vot")
    return [
        ("timeout", requests.Timeout("read timed out")),
        ("http 500", http_error(500)),
        ("maintenance page", recorded("maintenance.html")),
        ("connection reset", requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer"))),
        ("truncated votable", full[: len(full) // 2]),
        ("garbled votable", b"<VOTABLE>\x00\x01<<garbage"),
        ("empty body", b""),
        ("wrong columns", recorded("astroquery_gaia_select_star.vot")),
    ]  # fmt: skip


FAULT_MESSAGES = {
    "timeout": "timeout",
    "http 500": "HTTP 500",
    "maintenance page": "web page",
    "connection reset": "connection reset",
    "truncated votable": "VOTable",
    "garbled votable": "VOTable",
    "empty body": "empty",
    "wrong columns": "lacks column",
}


@pytest.mark.parametrize(("case", "fault"), _fault_cases(), ids=[c for c, _ in _fault_cases()])
def test_fault_falls_back_to_embedded(
    fake: FakeArchive, config: ArchiveConfig, case: str, fault: Exception | bytes
) -> None:
    fake.add("gaia", fault)
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] * (config.retries + 1)
    assert result.source == "embedded" and len(result.table) > 0
    assert FAULT_MESSAGES[case] in result.notice
    assert "answered offline" in result.notice
    assert list(result.table.columns[: len(ANSWER_COLUMNS)]) != []
    assert set(ANSWER_COLUMNS) <= set(result.table.columns)
    assert result.table[C.J_MAG].isna().all()  # never invented
    validate_star_table(result.table)


@pytest.mark.parametrize(("case", "fault"), _fault_cases(), ids=[c for c, _ in _fault_cases()])
def test_fault_falls_back_to_cache(
    fake: FakeArchive, config: ArchiveConfig, case: str, fault: Exception | bytes
) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    query_cone(**CONE, config=config)
    fake.answers["gaia"] = [fault]
    result = query_cone(**CONE, refresh=True, config=config)
    assert result.source == "cache" and len(result.table) == 12
    assert "The archive failed" in result.notice and FAULT_MESSAGES[case] in result.notice


def test_unexpected_error_is_not_a_traceback(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", RuntimeError("boom"))
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] and result.source == "embedded"
    assert "unexpected error talking to the archive (RuntimeError: boom)" in result.notice


def test_no_dns_is_not_retried(fake: FakeArchive, config: ArchiveConfig) -> None:
    message = "HTTPSConnectionPool(host='gea.esac.esa.int', port=443): Max retries exceeded (Caused by NameResolutionError(\"Failed to resolve 'gea.esac.esa.int' ([Errno -3] Temporary failure in name resolution)\"))"
    fake.add("gaia", requests.ConnectionError(message))
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] and result.source == "embedded"
    assert "no network: host name cannot be resolved" in result.notice


def test_transient_fault_then_success(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", requests.Timeout("slow"), http_error(502), recorded("gaia_cone.vot"))
    fake.add("simbad", recorded("simbad_sptype.vot"))
    assert query_cone(**CONE, config=config).source == "archive"
    assert fake.labels() == ["gaia", "gaia", "gaia", "simbad"]


def test_rejected_query_is_not_retried(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("tap_error.vot"))
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] and result.source == "embedded"
    assert "rejected the query" in result.notice
    fake.answers["gaia"] = [http_error(400)]
    query_cone(**PLEIADES, refresh=True, config=dataclasses.replace(config, row_limit=5))
    assert fake.labels() == ["gaia", "gaia"]


def test_backoff_is_bounded_and_exponential(
    config: ArchiveConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[float] = []
    monkeypatch.setattr(http, "fetch_bytes", FakeArchive().add("x", requests.Timeout("t")))
    request = HttpRequest(label="x", method="GET", url="https://example.invalid/")
    slow = dataclasses.replace(config, retries=3, backoff_s=0.5)
    with pytest.raises(ArchiveUnavailableError, match="4 attempt"):
        http.fetch_with_retries(request, lambda b: b, slow, sleep=calls.append)
    assert calls == [0.5, 1.0, 2.0]


def test_offline_uses_embedded_catalogue(fake: FakeArchive, config: ArchiveConfig) -> None:
    result = query_cone(name="Pleiades", radius_deg=1.0, offline=True, config=config)
    assert fake.calls == []
    assert result.source == "embedded" and result.fetched_at is None
    assert 17702 in set(result.table[C.HIP])  # Alcyone
    assert "Offline mode" in result.notice and "embedded catalogue" in result.notice
    by_hip = query_cone(name="HIP 17702", radius_deg=0.01, offline=True, config=config)
    assert list(by_hip.table[C.HIP]) == [17702]


def test_offline_prefers_cache(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    query_cone(**CONE, config=config)
    assert query_cone(**CONE, offline=True, config=config).source == "cache"


def test_offline_unknown_name_is_clear(fake: FakeArchive, config: ArchiveConfig) -> None:
    with pytest.raises(ArchiveUnavailableError, match="without the network"):
        query_cone(name="Zeta Nowhere", radius_deg=0.1, offline=True, config=config)


def test_embedded_row_limit(fake: FakeArchive, config: ArchiveConfig) -> None:
    small = dataclasses.replace(config, row_limit=5)
    result = query_cone(name="Pleiades", radius_deg=2.0, offline=True, config=small)
    assert result.truncated and len(result.table) == 5
    assert result.table[C.G_MAG].is_monotonic_increasing


def test_name_resolved_by_sesame(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("sesame", recorded("sesame_pleiades.xml"))
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    result = query_cone(name="Pleiades", radius_deg=0.5, config=config)
    assert result.source == "archive"
    assert fake.calls[0].url.endswith("?Pleiades")
    assert "CIRCLE('ICRS', 56.75, 24.1167, 0.5)" in fake.calls[1].data["QUERY"]


def test_unknown_name_online(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("sesame", recorded("sesame_not_found.xml"))
    with pytest.raises(ArchiveInputError, match="not known"):
        query_cone(name="Nonexistent Object 42", radius_deg=0.5, config=config)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "1; DROP TABLE x", "radius_deg": 0.1},
        {"name": "' OR 1=1", "radius_deg": 0.1},
        {"name": "A" * 10_000, "radius_deg": 0.1},
        {"ra": "nan", "dec": 0, "radius_deg": 0.1},
        {"ra": 10, "dec": "1; DROP TABLE x", "radius_deg": 0.1},
        {"ra": 10, "dec": 0, "radius_deg": -1},
        {"ra": 10, "dec": 0, "radius_deg": 1e6},
        {"ra": 10, "dec": 0, "radius_deg": float("nan")},
        {"ra": 10, "radius_deg": 0.1},
        {"name": "Vega", "ra": 10, "dec": 0, "radius_deg": 0.1},
    ],
)
def test_hostile_requests_send_nothing(
    fake: FakeArchive, config: ArchiveConfig, kwargs: dict
) -> None:
    with pytest.raises(ArchiveInputError):
        query_cone(**kwargs, config=config)
    assert fake.calls == []


def test_source_id_list_in_batches(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    sources = parse_source_list(b"source_id\n1\n2\n3\n", config)
    result = query_source_list(sources, config=dataclasses.replace(config, batch_size=2))
    gaia = [c.data["QUERY"] for c in fake.calls if c.label == "gaia"]
    assert len(gaia) == 2 and "IN (1, 2)" in gaia[0] and "IN (3)" in gaia[1]
    assert result.source == "archive" and len(result.table) == 12  # duplicates dropped


def test_hip_and_position_lists(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    query_source_list(parse_source_list(b"hip\n17702\n", config), config=config)
    assert "hip.original_ext_source_id IN (17702)" in fake.calls[0].data["QUERY"]
    query_source_list(parse_source_list(b"ra,dec\n280.0,-60.0\n", config), config=config)
    upload = [c for c in fake.calls if c.label == "gaia"][-1]
    assert upload.data["UPLOAD"] == "positions,param:positions"
    assert b"280" in upload.files["positions"][1]


def test_name_list_uses_gaia_alias(fake: FakeArchive, config: ArchiveConfig) -> None:
    fake.add("sesame", recorded("sesame_star.xml"), recorded("sesame_not_found.xml"))
    fake.add("gaia", recorded("gaia_cone.vot")).add("simbad", recorded("simbad_sptype.vot"))
    sources = parse_source_list(b"name\nTest Star 1\nNonexistent Object 42\n", config)
    result = query_source_list(sources, config=config)
    assert (
        "IN (6636090407832545152)" in [c for c in fake.calls if c.label == "gaia"][0].data["QUERY"]
    )
    assert "no Gaia DR3 star for: Nonexistent Object 42" in result.notice


def test_lists_offline(fake: FakeArchive, config: ArchiveConfig) -> None:
    catalog = load_catalog()
    hips = query_source_list(
        parse_source_list(b"hip\n17702\n1\n", config), offline=True, config=config
    )
    assert sorted(hips.table[C.HIP]) == [1, 17702] and hips.source == "embedded"
    alcyone = catalog[catalog[C.HIP] == 17702].iloc[0]
    ids = parse_source_list(f"source_id\n{alcyone[C.SOURCE_ID]}\n".encode(), config)
    assert list(query_source_list(ids, offline=True, config=config).table[C.HIP]) == [17702]
    pos = parse_source_list(f"ra,dec\n{alcyone[C.RA]},{alcyone[C.DEC]}\n0,0\n".encode(), config)
    assert list(query_source_list(pos, offline=True, config=config).table[C.HIP]) == [17702]
    # IC 2602's built-in centre lies 21" from its brightest star, theta Car (HIP 52419).
    names = parse_source_list(b"name\nHIP 17702\nIC 2602\n", config)
    found = query_source_list(names, offline=True, config=config).table
    assert sorted(found[C.HIP]) == [17702, 52419]
    assert fake.calls == []


def test_missing_embedded_catalogue_is_clear(
    fake: FakeArchive, config: ArchiveConfig, tmp_path: Path
) -> None:
    broken = dataclasses.replace(config, catalog_path=tmp_path / "missing.parquet")
    fake.add("gaia", requests.Timeout("t"))
    with pytest.raises(ArchiveUnavailableError, match="embedded catalogue cannot be read"):
        query_cone(**PLEIADES, config=broken)
