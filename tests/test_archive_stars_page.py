"""The Stars page on the new archive path (AppTest, adapter replaced by recorded answers).

Positions as astronomers type them, names with apostrophes, a radius out of range
refused with a message, and an upload's not-found rows listed with a CSV download.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sedviz.archive import parse_source_list
from sedviz.ui import state as S
from tests.archive_fakes import FakeServices, gaia_cone_answer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeServices]:
    monkeypatch.setenv("SEDVIZ_CACHE_DIR", str(tmp_path / "cache"))
    st.cache_data.clear()
    yield FakeServices().install(monkeypatch)
    st.cache_data.clear()


def stars_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/stars.py").run()
    at.segmented_control(key="stars.source").set_value("cone").run()
    return at


def search(at: AppTest, where: str, radius: float = 0.05) -> AppTest:
    at.text_input(key="stars.where").input(where)
    at.number_input(key="stars.radius").set_value(radius)
    at.button(key="stars.search").click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


@pytest.mark.parametrize(
    "where", ["84.05 -1.2", "84.05, -1.20", "5:36:12 -1:12:07", "05h36m12s -01d12m"]
)
def test_positions_are_read(fake: FakeServices, where: str) -> None:
    at = search(stars_page(), where)
    assert texts(at, "error") == []
    gaia = fake.calls[0][1]["adql"]
    assert re.search(r"CIRCLE\('ICRS', 84.0[45]\d*, -1.20?\d*, 0.05\)", gaia), gaia
    assert any("cone of 0.05 deg around" in m for m in texts(at, "markdown"))


def test_typo_in_a_position_says_what(fake: FakeServices) -> None:
    at = search(stars_page(), "84.05 -100")
    assert any("Dec must be between -90 and +90" in e for e in texts(at, "error"))
    assert fake.calls == []


def test_radius_out_of_range_is_refused(fake: FakeServices) -> None:
    at = search(stars_page(), "84.05 -1.2", radius=1e9)
    assert any("larger than the limit of 2 deg" in e for e in texts(at, "error"))
    assert fake.calls == []


def test_apostrophe_is_a_name(fake: FakeServices) -> None:
    at = search(stars_page(), "Orion's belt")
    assert fake.calls[0] == ("simbad", {"names": ["Orion's belt"], "fields": ("ids",)})
    assert any("not known to SIMBAD, NED or VizieR" in e for e in texts(at, "error"))
    assert not any("contains" in e for e in texts(at, "error"))


def test_not_found_rows_are_listed(fake: FakeServices) -> None:
    ids = [int(v) for v in gaia_cone_answer()["source_id"][:2]]
    sources = parse_source_list(f"source_id\n{ids[0]}\n777\n{ids[1]}\nabc\n")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["sedviz.star_set"] = S.StarSet("list", sources=sources, description="ids")
    at.run()
    at.switch_page("pages/stars.py").run()
    assert not at.exception, at.exception
    assert at.expander[0].label == "2 listed row(s) not found"
    shown = at.dataframe[0].value
    assert list(shown["row"]) == [2, 4] and list(shown["value"]) == ["777", "abc"]
    assert "Download the not-found list (CSV)" in [b.proto.label for b in at.get("download_button")]
