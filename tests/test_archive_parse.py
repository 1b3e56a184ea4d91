"""Parsers and cache on recorded bytes (no network, no seam needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from sedviz.archive.cache import cache_key, clear_cache_dir, load_answer, save_answer
from sedviz.archive.errors import PermanentFault, TransientFault
from sedviz.archive.fetch import gaia_frame, parse_sesame_answer
from sedviz.archive.parse import parse_votable

DATA = Path(__file__).parent / "data" / "archive"


def test_real_gaia_json_answer() -> None:
    table, overflow = parse_votable((DATA / "astroquery_gaia_cone_search.json").read_bytes())
    assert table.shape == (50, 153) and not overflow
    assert table["source_id"].dtype == "int64"
    assert table["parallax"].isna().sum() > 0  # JSON nulls become NaN


def test_real_gaia_votable_answer() -> None:
    table, overflow = parse_votable((DATA / "astroquery_gaia_select_star.vot").read_bytes())
    assert sorted(table["source_id"]) == [4583627001381815936, 5348723816842275584]
    assert not overflow and table["ra"].dtype == "float64"


def test_answer_without_our_columns_is_refused() -> None:
    table, _ = parse_votable((DATA / "astroquery_gaia_select_star.vot").read_bytes())
    with pytest.raises(TransientFault, match="lacks column"):
        gaia_frame(table)


def test_tap_error_document() -> None:
    with pytest.raises(PermanentFault, match='Column "g.no_such_column" does not exist'):
        parse_votable((DATA / "tap_error.vot").read_bytes())


def test_sesame_answers() -> None:
    pleiades = parse_sesame_answer((DATA / "sesame_pleiades.xml").read_bytes())
    assert pleiades is not None and pleiades.gaia_source_id is None
    assert (pleiades.ra_deg, pleiades.dec_deg) == (56.75, 24.1167)
    star = parse_sesame_answer((DATA / "sesame_star.xml").read_bytes())
    assert star is not None and star.gaia_source_id == 6636090407832545152
    assert parse_sesame_answer((DATA / "sesame_not_found.xml").read_bytes()) is None


def test_cache_round_trip(tmp_path: Path) -> None:
    query = {"kind": "cone", "ra": 1.0, "dec": 2.0, "radius_deg": 0.1}
    key = cache_key(query)
    assert key == cache_key(dict(reversed(list(query.items()))))  # order-independent
    assert key != cache_key({**query, "radius_deg": 0.2})
    table = pd.DataFrame({"source_id": [1, 2], "ra": [1.0, 1.1], "sp_type": ["G2V", ""]})
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    save_answer(tmp_path, key, query, table, truncated=True, notice="n", fetched_at=when)
    answer = load_answer(tmp_path, key)
    assert answer is not None and answer.fetched_at == when and answer.truncated
    pd.testing.assert_frame_equal(answer.table, table)
    assert load_answer(tmp_path, cache_key({"other": 1})) is None
    assert clear_cache_dir(tmp_path) == 1 and clear_cache_dir(tmp_path / "absent") == 0


@pytest.mark.slow
def test_cache_hits_do_not_import_the_network_stack() -> None:
    """astroquery/requests load only when a request is really sent (keeps repeats fast)."""
    import subprocess
    import sys

    code = (
        "import sys, sedviz.archive; "
        "assert not {'astroquery', 'requests'} & set(sys.modules), sorted(sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-500:]
