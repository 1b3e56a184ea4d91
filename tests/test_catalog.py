"""The embedded catalogue, its card, and the star-table loader's errors."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.tables import (
    CATALOG_CARD_PATH,
    CATALOG_PATH,
    has_gaia_id,
    load_star_table,
    validate_star_table,
)
from sedviz.errors import StarTableError


def test_catalogue_size_and_labels(catalog: pd.DataFrame) -> None:
    # every Hipparcos I/239 entry but HIP 120412, which has no V, Hp, BT or VT
    assert len(catalog) == 118_217
    assert has_gaia_id(catalog[C.SOURCE_ID]).sum() >= 109_000
    assert (catalog[C.SP_CLASS] != "").sum() >= 110_000
    assert catalog[C.SOURCE_ID].is_unique and catalog[C.HIP].is_unique
    assert set(catalog[C.SP_CLASS]) <= {*C.SP_CLASSES, ""}
    assert set(catalog[C.LUM_CLASS]) <= {*C.LUM_CLASSES, ""}
    assert set(catalog[C.BSC_AGREES]) == {"yes", "no", ""}
    assert CATALOG_PATH.stat().st_size <= 12 * 1024 * 1024


def test_key_convention(catalog: pd.DataFrame) -> None:
    no_gaia = ~has_gaia_id(catalog[C.SOURCE_ID])
    assert (catalog.loc[no_gaia, C.SOURCE_ID] == -catalog.loc[no_gaia, C.HIP]).all()
    for band in (C.G_MAG, C.BP_MAG, C.RP_MAG, C.MATCH_SEP_ARCSEC):
        assert catalog.loc[no_gaia, band].isna().all()
    assert catalog.loc[~no_gaia, [C.G_MAG, C.MATCH_SEP_ARCSEC]].notna().all().all()


def test_bright_stars_are_rows(catalog: pd.DataFrame) -> None:
    by_name = catalog.set_index(C.PROPER_NAME)
    for name in ("Sirius", "Canopus", "Arcturus", "Vega", "Betelgeuse", "Polaris"):
        assert name in by_name.index, name
    assert by_name.loc["Vega", C.BAYER] == "alf Lyr"
    assert (catalog[C.CONSTELLATION].str.len() == 3).all()


def test_catalogue_values_are_physical(catalog: pd.DataFrame) -> None:
    assert catalog[C.RA].between(0, 360).all() and catalog[C.DEC].between(-90, 90).all()
    matched = has_gaia_id(catalog[C.SOURCE_ID])
    assert (catalog.loc[matched, C.MATCH_SEP_ARCSEC] < 1.0).all()
    # colour-aware rule: red stars keep matches with G - Hp < -1 (Mira variables at V-I
    # 4-5 reach -3), but never wildly off
    g_hp = (catalog[C.G_MAG] - catalog[C.HP_MAG])[matched]
    assert g_hp.abs().max() < 3.5 and (g_hp < -1.0).sum() > 1_000  # Miras reach -3
    gaia_rows = catalog[C.PARALLAX_SOURCE] == "gaia_dr3"
    assert catalog.loc[gaia_rows, C.PARALLAX_ERROR].isna().all()
    assert catalog.loc[~gaia_rows, C.PARALLAX].equals(catalog.loc[~gaia_rows, C.HIP_PARALLAX])
    assert set(catalog[C.PARALLAX_SOURCE]) <= {"gaia_dr3", "hipparcos2007", "hipparcos1997", ""}


def test_card_counts_match_file(catalog: pd.DataFrame) -> None:
    card = CATALOG_CARD_PATH.read_text(encoding="utf-8")
    assert f"**{len(catalog):,} real stars**" in card
    written = re.search(r"\| catalogue rows written \| ([\d,]+) \|", card)
    assert written and int(written[1].replace(",", "")) == len(catalog)
    letters = re.search(r"\| with a spectral class letter O-M \| ([\d,]+) \|", card)
    assert letters and int(letters[1].replace(",", "")) == (catalog[C.SP_CLASS] != "").sum()
    for letter, count in catalog[C.SP_CLASS].value_counts().items():
        if letter:
            assert f"{letter} {count:,}" in card
    for name in catalog.columns:
        assert f"`{name}`" in card, f"column {name} missing from the card's dictionary"


def test_missing_file() -> None:
    with pytest.raises(StarTableError, match="no such file"):
        load_star_table("/nonexistent/stars.csv")


def test_missing_required_column(tmp_path: Path) -> None:
    path = tmp_path / "stars.csv"
    pd.DataFrame({"source_id": [1], "ra": [1.0], "dec": [2.0]}).to_csv(path, index=False)
    with pytest.raises(StarTableError, match="phot_g_mean_mag"):
        load_star_table(path)


def test_wrong_type_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "stars.csv"
    path.write_text("source_id,ra,dec,phot_g_mean_mag,parallax\n1,10.0,20.0,5.0,abc\n")
    with pytest.raises(StarTableError, match="'parallax'"):
        load_star_table(path)


def test_non_integer_id(tmp_path: Path) -> None:
    frame = pd.DataFrame({"source_id": [1.5], "ra": [1.0], "dec": [2.0], "phot_g_mean_mag": [5.0]})
    with pytest.raises(StarTableError, match="source_id"):
        validate_star_table(frame)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("bad.parquet", b"not parquet"),
        ("stars.xlsx", b"PK"),
        ("bin.csv", b"\xff\xfe\x00\x01"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StarTableError):
        load_star_table(path)


def test_gaia_archive_csv_loads_without_renaming(tmp_path: Path, catalog: pd.DataFrame) -> None:
    # The columns and their order as the Gaia archive exports gaiadr3.gaia_source.
    gaia_cols = ["source_id", "ra", "dec", "parallax", "parallax_error", "pmra", "pmdec",
                 "phot_g_mean_flux_over_error", "phot_g_mean_mag", "phot_bp_mean_mag",
                 "phot_rp_mean_mag"]  # fmt: skip
    sample = catalog.head(20).copy()
    sample["phot_g_mean_flux_over_error"] = np.nan
    path = tmp_path / "gaia_export.csv"
    sample[gaia_cols].to_csv(path, index=False)
    table = load_star_table(path)
    assert list(table.columns) == gaia_cols
    assert table[C.SOURCE_ID].dtype == np.int64
    np.testing.assert_allclose(table[C.G_MAG], sample[C.G_MAG])
