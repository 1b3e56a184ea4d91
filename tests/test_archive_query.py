"""Archive queries through the adapter seam, fed real recorded answers.

Every test replaces the three functions of :mod:`sedviz.archive.services` (the only
code that calls the services) with :class:`tests.archive_fakes.FakeServices`, which
answers from astroquery's own recorded Gaia and SIMBAD responses.
"""

from __future__ import annotations

import dataclasses
import io
import xml.parsers.expat
from pathlib import Path

import pytest
import requests
from astropy.table import Table

from sedviz import columns as C
from sedviz.archive import (
    ArchiveCancelledError,
    ArchiveConfig,
    ArchiveInputError,
    ArchiveUnavailableError,
    parse_source_list,
    query_cone,
    query_source_list,
)
from sedviz.archive.fetch import ANSWER_COLUMNS
from sedviz.catalog.tables import load_catalog, validate_star_table
from tests.archive_fakes import DATA, FakeServices, gaia_cone_answer, gaia_two_stars

CONE = {"ra": 280.0, "dec": -60.0, "radius_deg": 0.05}  # the recorded cone (50 stars)
PLEIADES = {"ra": 56.75, "dec": 24.1167, "radius_deg": 0.5}


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeServices:
    return FakeServices().install(monkeypatch)


@pytest.fixture
def config(tmp_path: Path) -> ArchiveConfig:
    return ArchiveConfig(cache_dir=tmp_path / "cache", backoff_s=0.0, retries=2, row_limit=100)


def test_cone_from_archive(fake: FakeServices, config: ArchiveConfig) -> None:
    fake.sp_types = {int(gaia_cone_answer()["source_id"][0]): "K0III"}
    result = query_cone(**CONE, config=config)
    assert result.source == "archive" and not result.truncated and result.fetched_at is not None
    table = result.table
    assert list(table.columns) == list(ANSWER_COLUMNS)
    validate_star_table(table)
    assert len(table) == 50 and table[C.G_MAG].is_monotonic_increasing
    assert table[C.SOURCE_ID].dtype == "int64"
    assert table[C.RA].between(279.9, 280.1).all() and table[C.DEC].between(-60.1, -59.9).all()
    assert set(table[C.PARALLAX_SOURCE]) <= {"gaia_dr3", ""}
    gaia = fake.calls[0][1]
    assert "CIRCLE('ICRS', 280.0, -60.0, 0.05)" in gaia["adql"] and "TOP 101" in gaia["adql"]
    assert gaia["asynchronous"] is False and gaia["upload"] is None
    typed = table[table[C.SP_TYPE] != ""]
    assert list(typed[C.SP_CLASS]) == ["K"] and list(typed[C.SP_TYPE_SOURCE]) == ["simbad"]
    simbad = fake.calls[1][1]
    assert simbad["fields"] == ("sp_type",) and len(simbad["names"]) == 50
    assert all(n.startswith("Gaia DR3 ") for n in simbad["names"])
    assert "50 star(s) from the Gaia archive" in result.notice


def test_real_votable_with_capital_source_id(
    monkeypatch: pytest.MonkeyPatch, config: ArchiveConfig
) -> None:
    """The real Gaia VOTable names its id field ``SOURCE_ID``; the answer still maps."""
    fake = FakeServices(gaia=gaia_two_stars()).install(monkeypatch)
    result = query_cone(**CONE, config=config)
    assert fake.labels()[0] == "gaia"
    assert sorted(result.table[C.SOURCE_ID]) == [4583627001381815936, 5348723816842275584]
    assert result.table[C.J_MAG].isna().all()  # the recorded query had no 2MASS join


def test_row_limit_cut_keeps_the_brightest(fake: FakeServices, config: ArchiveConfig) -> None:
    small = dataclasses.replace(config, row_limit=10)
    result = query_cone(**CONE, config=small)
    assert result.truncated and len(result.table) == 10
    brightest = sorted(gaia_cone_answer()["phot_g_mean_mag"])[:10]
    assert list(result.table[C.G_MAG]) == pytest.approx(brightest)
    assert "The answer was cut at 10 rows" in result.notice and "brightest kept" in result.notice


def test_large_limits_use_async_jobs_with_progress(
    fake: FakeServices, config: ArchiveConfig
) -> None:
    seen: list[tuple[str, float]] = []
    big = dataclasses.replace(
        config, row_limit=100_000, progress=lambda phase, t: seen.append((phase, t))
    )
    result = query_cone(**CONE, config=big)
    gaia = fake.calls[0][1]
    assert gaia["asynchronous"] is True and "TOP 100001" in gaia["adql"]
    assert seen == [("EXECUTING", 0.5)] and len(result.table) == 50


def test_cancel_stops_the_job(fake: FakeServices, config: ArchiveConfig) -> None:
    big = dataclasses.replace(config, row_limit=50_000, cancel=lambda: True)
    with pytest.raises(ArchiveCancelledError, match="cancelled"):
        query_cone(**CONE, config=big)
    assert fake.labels() == ["gaia"]  # never retried


def test_row_limit_is_refused_beyond_100000(config: ArchiveConfig) -> None:
    with pytest.raises(ValueError, match="between 1 and 100,000"):
        dataclasses.replace(config, row_limit=100_001)


def test_repeat_is_answered_from_cache(fake: FakeServices, config: ArchiveConfig) -> None:
    first = query_cone(**CONE, config=config)
    again = query_cone(**CONE, config=config)
    assert again.source == "cache" and fake.labels() == ["gaia", "simbad"]
    assert again.table.equals(first.table)
    other_limit = dataclasses.replace(config, row_limit=20)
    assert query_cone(**CONE, config=other_limit).source == "archive"  # the key has the limit


def _truncated_votable() -> Exception:
    body = (DATA / "astroquery_gaia_select_star.vot").read_bytes()
    try:
        Table.read(io.BytesIO(body[: len(body) // 2]), format="votable")
    except Exception as exc:  # the real parser's own exception
        return exc
    raise AssertionError("a cut VOTable parsed")


def _maintenance_page() -> Exception:
    try:
        Table.read(io.BytesIO((DATA / "maintenance.html").read_bytes()), format="votable")
    except Exception as exc:
        return exc
    raise AssertionError("an HTML page parsed as a VOTable")


def _http_error(status: int) -> requests.HTTPError:
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} Error", response=response)


FAULTS = {
    "time-out": (lambda: requests.Timeout("read timed out"), "time-out"),
    "http 500": (lambda: _http_error(500), "HTTP 500"),
    "maintenance page": (_maintenance_page, "web page"),
    "connection reset": (
        lambda: requests.ConnectionError(ConnectionResetError(104, "Connection reset by peer")),
        "connection to the archive was reset",
    ),
    "truncated votable": (_truncated_votable, "cut off"),
    "rate limit": (lambda: _http_error(429), "HTTP 429"),
    "job timeout": (lambda: TimeoutError("the job did not finish within 900 s"), "time-out"),
}


@pytest.mark.parametrize("case", list(FAULTS))
def test_fault_falls_back_to_embedded(fake: FakeServices, config: ArchiveConfig, case: str) -> None:
    make, words = FAULTS[case]
    fake.faults["gaia"] = [make() for _ in range(config.retries + 1)]
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] * (config.retries + 1)
    assert result.source == "embedded" and len(result.table) > 0
    assert words in result.notice and "answered offline" in result.notice
    assert set(ANSWER_COLUMNS) <= set(result.table.columns)
    assert result.table[C.J_MAG].isna().all()  # never invented
    validate_star_table(result.table)


@pytest.mark.parametrize("case", list(FAULTS))
def test_fault_falls_back_to_cache(fake: FakeServices, config: ArchiveConfig, case: str) -> None:
    make, words = FAULTS[case]
    query_cone(**CONE, config=config)
    fake.faults["gaia"] = [make() for _ in range(config.retries + 1)]
    result = query_cone(**CONE, refresh=True, config=config)
    assert result.source == "cache" and len(result.table) == 50
    assert "The archive failed" in result.notice and words in result.notice


def test_transient_fault_then_success(fake: FakeServices, config: ArchiveConfig) -> None:
    fake.faults["gaia"] = [_http_error(503)]
    assert query_cone(**CONE, config=config).source == "archive"
    assert fake.labels()[:2] == ["gaia", "gaia"]


def test_no_dns_and_rejected_queries_are_not_retried(
    fake: FakeServices, config: ArchiveConfig
) -> None:
    dns = requests.ConnectionError("Failed to resolve 'gea.esac.esa.int' (NameResolutionError)")
    fake.faults["gaia"] = [dns]
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] and "no network" in result.notice
    fake.calls.clear()
    fake.faults["gaia"] = [_http_error(400)]
    assert "rejected" in query_cone(**PLEIADES, refresh=True, config=config).notice
    assert fake.labels() == ["gaia"]


def test_unexpected_error_is_not_a_traceback(fake: FakeServices, config: ArchiveConfig) -> None:
    fake.faults["gaia"] = [RuntimeError("boom")]
    result = query_cone(**PLEIADES, config=config)
    assert fake.labels() == ["gaia"] and result.source == "embedded"
    assert "unexpected error (RuntimeError: boom)" in result.notice


def test_simbad_failure_keeps_gaia_answer(fake: FakeServices, config: ArchiveConfig) -> None:
    fake.faults["simbad"] = [_http_error(500)] * 3
    result = query_cone(**CONE, config=config)
    assert result.source == "archive" and len(result.table) == 50
    assert "SIMBAD spectral types unavailable" in result.notice


def test_name_resolved_by_simbad(fake: FakeServices, config: ArchiveConfig) -> None:
    fake.positions = {"Test cone": (280.0, -60.0)}
    result = query_cone(name="Test cone", radius_deg=0.05, config=config)
    assert result.source == "archive" and len(result.table) == 50
    assert fake.calls[0] == ("simbad", {"names": ["Test cone"], "fields": ("ids",)})
    assert "CIRCLE('ICRS', 280.0, -60.0, 0.05)" in fake.calls[1][1]["adql"]


def test_unknown_name_online(fake: FakeServices, config: ArchiveConfig) -> None:
    with pytest.raises(
        ArchiveInputError, match="'Zeta Nowhere' is not known to SIMBAD, NED or VizieR"
    ):
        query_cone(name="Zeta Nowhere", radius_deg=0.1, config=config)
    assert fake.labels() == ["simbad", "sesame"]


def test_name_with_apostrophe_is_a_name(fake: FakeServices, config: ArchiveConfig) -> None:
    with pytest.raises(
        ArchiveUnavailableError, match='cannot resolve "Orion\'s belt" without the network'
    ):
        query_cone(where="Orion's belt", radius_deg=1.0, offline=True, config=config)
    assert fake.calls == []


@pytest.mark.parametrize(
    "where", ["84.05 -1.2", "84.05, -1.20", "5:36:12 -1:12:07", "05h36m12s -01d12m"]
)
def test_positions_the_way_astronomers_type_them(
    fake: FakeServices, config: ArchiveConfig, where: str
) -> None:
    result = query_cone(where=where, radius_deg=0.2, offline=True, config=config)
    assert result.source == "embedded" and fake.calls == []
    assert "cone r=0.2 deg around RA 84.05000, Dec -1.20" in result.description


def test_galactic_position(config: ArchiveConfig) -> None:
    result = query_cone(where="G 209.0 -19.4", radius_deg=0.3, offline=True, config=config)
    assert "RA 83.79971, Dec -5.38787" in result.description
    same = query_cone(
        ra=209.0, dec=-19.4, frame="galactic", radius_deg=0.3, offline=True, config=config
    )
    assert same.description == result.description


def test_radius_out_of_range_is_refused(config: ArchiveConfig) -> None:
    with pytest.raises(ArchiveInputError, match="larger than the limit of 2 deg"):
        query_cone(where="84.05 -1.2", radius_deg=1e9, offline=True, config=config)


def test_names_list_finds_gaia_ids(fake: FakeServices, config: ArchiveConfig) -> None:
    """Names -> SIMBAD ``ids`` -> Gaia DR3 id -> the Gaia upload query, through real layouts."""
    gaia_ids = [int(v) for v in gaia_cone_answer()["source_id"][:2]]
    fake.simbad_ids = {
        "Star A": f"HIP 1|Gaia DR2 1|Gaia DR3 {gaia_ids[0]}|TYC 1-2-1",
        "Star B": f"Gaia DR3 {gaia_ids[1]}",
        "No Gaia": "HIP 7",
    }
    sources = parse_source_list(b"name\nStar A\nNo Gaia\nStar B\nNobody\n", config)
    result = query_source_list(sources, config=config)
    assert sorted(result.table[C.SOURCE_ID]) == sorted(gaia_ids)
    simbad, gaia = fake.calls[0][1], fake.calls[1][1]
    assert simbad["names"] == ["Star A", "No Gaia", "Star B", "Nobody"]
    assert list(gaia["upload"]["source_id"]) == gaia_ids and gaia["upload_name"] == "sedviz_ids"
    assert "Star" not in gaia["adql"]  # names never reach ADQL text
    missing = result.not_found
    assert list(missing["row"]) == [2, 4]
    assert list(missing["reason"]) == [
        "SIMBAD lists no Gaia DR3 counterpart",
        "not known to SIMBAD",
    ]
    assert "2 listed row(s) not found" in result.notice


def test_id_list_reports_what_it_did_not_find(fake: FakeServices, config: ArchiveConfig) -> None:
    ids = [int(v) for v in gaia_cone_answer()["source_id"][:3]]
    text = "source_id\n" + "\n".join(map(str, ids)) + "\n12345\nnot-a-number\n"
    result = query_source_list(parse_source_list(text, config), config=config)
    assert sorted(result.table[C.SOURCE_ID]) == sorted(ids)
    assert result.not_found.to_dict("list") == {
        "row": [4, 5],
        "value": ["12345", "not-a-number"],
        "reason": ["no such source_id in Gaia DR3", "not a valid Gaia DR3 source_id"],
    }
    again = query_source_list(parse_source_list(text, config), config=config)
    assert again.source == "cache" and again.not_found.equals(result.not_found)


def test_position_list_uploads_a_table(fake: FakeServices, config: ArchiveConfig) -> None:
    real = gaia_cone_answer()
    text = f"ra,dec\n{real['ra'][0]},{real['dec'][0]}\n10.0,10.0\n"
    result = query_source_list(parse_source_list(text, config), config=config)
    gaia = fake.calls[0][1]
    assert gaia["upload_name"] == "sedviz_positions" and list(gaia["upload"]["input_row"]) == [1, 2]
    assert list(result.table[C.SOURCE_ID]) == [int(real["source_id"][0])]
    assert list(result.not_found["row"]) == [2]


def test_offline_uses_embedded_catalogue(fake: FakeServices, config: ArchiveConfig) -> None:
    result = query_cone(name="Pleiades", radius_deg=1.0, offline=True, config=config)
    assert fake.calls == []
    assert result.source == "embedded" and result.fetched_at is None
    assert 17702 in set(result.table[C.HIP])  # Alcyone
    assert "Offline mode" in result.notice
    by_hip = query_cone(name="HIP 17702", radius_deg=0.01, offline=True, config=config)
    assert list(by_hip.table[C.HIP]) == [17702]


def test_offline_unknown_name_is_clear(fake: FakeServices, config: ArchiveConfig) -> None:
    with pytest.raises(ArchiveUnavailableError, match="without the network"):
        query_cone(name="Zeta Nowhere", radius_deg=0.1, offline=True, config=config)


@pytest.mark.slow  # builds the offline name index (~9 s): not for the edit-test loop
def test_lists_offline(fake: FakeServices, config: ArchiveConfig) -> None:
    catalog = load_catalog()
    alcyone = catalog[catalog[C.HIP] == 17702].iloc[0]
    absent = next(n for n in range(1, 1000) if n not in set(catalog[C.HIP].dropna()))
    hips = parse_source_list(f"hip\n17702\n{absent}\n", config)
    result = query_source_list(hips, offline=True, config=config)
    assert list(result.table[C.HIP]) == [17702] and list(result.not_found["value"]) == [str(absent)]
    pos = parse_source_list(f"ra,dec\n{alcyone[C.RA]},{alcyone[C.DEC]}\n0,0\n".encode(), config)
    found = query_source_list(pos, offline=True, config=config)
    assert list(found.table[C.HIP]) == [17702] and list(found.not_found["row"]) == [2]
    names = parse_source_list(b"name\nHIP 17702\nIC 2602\nOrion's belt\n", config)
    named = query_source_list(names, offline=True, config=config)
    assert sorted(named.table[C.HIP]) == [17702, 52419]
    assert named.not_found.to_dict("list") == {
        "row": [3],
        "value": ["Orion's belt"],
        "reason": ["cannot be resolved offline"],
    }
    assert fake.calls == []


def test_missing_embedded_catalogue_is_clear(
    fake: FakeServices, config: ArchiveConfig, tmp_path: Path
) -> None:
    broken = dataclasses.replace(config, catalog_path=tmp_path / "missing.parquet")
    fake.faults["gaia"] = [requests.Timeout("t")] * 3
    with pytest.raises(ArchiveUnavailableError, match="embedded catalogue cannot be read"):
        query_cone(**PLEIADES, config=broken)


def test_expat_is_what_a_cut_answer_raises() -> None:
    assert isinstance(_truncated_votable(), xml.parsers.expat.ExpatError | ValueError)


def test_minus_hip_ids_from_a_catalogue_export(fake: FakeServices, config: ArchiveConfig) -> None:
    """Catalogue stars without Gaia have source_id = -hip: offline found, online reported."""
    catalog = load_catalog()
    minus_hip = int(catalog.loc[catalog[C.SOURCE_ID] < 0, C.SOURCE_ID].iloc[0])
    gaia_id = int(gaia_cone_answer()["source_id"][0])
    text = f"source_id\n{gaia_id}\n{minus_hip}\n"
    online = query_source_list(parse_source_list(text, config), config=config)
    assert list(online.table[C.SOURCE_ID]) == [gaia_id]
    assert list(fake.calls[0][1]["upload"]["source_id"]) == [gaia_id]
    assert online.not_found.to_dict("list") == {
        "row": [2], "value": [str(minus_hip)],
        "reason": [f"source_id {minus_hip} is HIP {-minus_hip}, a star without a Gaia DR3 counterpart"],
    }  # fmt: skip
    no_cache = dataclasses.replace(config, cache_dir=config.cache_dir / "empty")
    offline = query_source_list(parse_source_list(text, config), offline=True, config=no_cache)
    assert minus_hip in set(offline.table[C.SOURCE_ID])
