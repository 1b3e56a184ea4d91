"""Live archive tests: need the Gaia archive, SIMBAD and Sesame (skipped by default).

Run with ``.venv/bin/pytest -m remote_data tests/test_archive_remote.py``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sedviz import columns as C
from sedviz.archive import ArchiveConfig, parse_source_list, query_cone, query_source_list
from sedviz.archive.fetch import ANSWER_COLUMNS
from sedviz.catalog.tables import validate_star_table

pytestmark = pytest.mark.remote_data


@pytest.fixture
def config(tmp_path: Path) -> ArchiveConfig:
    return ArchiveConfig(cache_dir=tmp_path / "cache", row_limit=200)


def test_live_cone_by_name(config: ArchiveConfig) -> None:
    result = query_cone(name="Pleiades", radius_deg=0.2, config=config)
    assert result.source == "archive", result.notice
    table = validate_star_table(result.table)
    assert list(table.columns) == list(ANSWER_COLUMNS)
    assert table[C.J_MAG].notna().any() and table[C.W1_MAG].notna().any()
    assert 17702 in set(table[C.HIP].dropna())  # Alcyone
    assert (table[C.SP_TYPE_SOURCE] == "simbad").any()


def test_live_row_limit_is_reported(config: ArchiveConfig) -> None:
    small = dataclasses.replace(config, row_limit=10)
    result = query_cone(ra=56.75, dec=24.1167, radius_deg=1.0, config=small)
    assert result.source == "archive" and result.truncated and len(result.table) == 10


def test_live_source_lists(config: ArchiveConfig) -> None:
    hips = query_source_list(parse_source_list(b"hip\n17702\n21421\n"), config=config)
    assert hips.source == "archive" and set(hips.table[C.HIP]) == {17702, 21421}
    ids = [int(v) for v in hips.table[C.SOURCE_ID]]
    by_id = query_source_list(parse_source_list(f"source_id\n{ids[0]}\n".encode()), config=config)
    assert list(by_id.table[C.SOURCE_ID]) == ids[:1]
    row = hips.table.iloc[0]
    pos = parse_source_list(f"ra,dec\n{row[C.RA]},{row[C.DEC]}\n".encode())
    assert row[C.SOURCE_ID] in set(query_source_list(pos, config=config).table[C.SOURCE_ID])
    names = query_source_list(parse_source_list(b"name\nAlcyone\n"), config=config)
    assert list(names.table[C.HIP]) == [17702]


def test_live_repeat_comes_from_cache(config: ArchiveConfig) -> None:
    query_cone(ra=56.75, dec=24.1167, radius_deg=0.05, config=config)
    assert query_cone(ra=56.75, dec=24.1167, radius_deg=0.05, config=config).source == "cache"
