"""MK spectral-type parsing, on real strings taken from the Hipparcos catalogue (I/239 H76)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sedviz.catalog.mk import parse_sp_type, parse_sp_types

# (catalogue string, class, subclass, luminosity class); nan subclass written as None
REAL_TYPES = [
    ("K0", "K", 0.0, ""),
    ("G5", "G", 5.0, ""),
    ("A0V", "A", 0.0, "V"),
    ("K0III", "K", 0.0, "III"),
    ("K3V", "K", 3.0, "V"),
    ("F5", "F", 5.0, ""),
    ("K1III", "K", 1.0, "III"),
    ("G8/K0III", "G", 8.0, "III"),
    ("F5/F6V", "F", 5.0, "V"),
    ("G5IV", "G", 5.0, "IV"),
    ("K3III:", "K", 3.0, "III"),
    ("B", "B", None, ""),
    ("B9.5III", "B", 9.5, "III"),
    ("G5...", "G", 5.0, ""),
    ("B0.5Ia", "B", 0.5, "I"),
    ("F6/F7IV", "F", 6.0, "IV"),
    ("B8/B9II/III", "B", 8.0, "II"),
    ("M4e", "M", 4.0, ""),
    ("F1III", "F", 1.0, "III"),
    ("F6/F7IV/V", "F", 6.0, "IV"),
    ("K0/K1IV", "K", 0.0, "IV"),
    ("M2Ib", "M", 2.0, "I"),
    ("A6m...", "A", 6.0, ""),
    ("F8V:", "F", 8.0, "V"),
    ("O6e", "O", 6.0, ""),
    ("F8/G0Ib", "F", 8.0, "I"),
    ("A6:+...", "A", 6.0, ""),
    ("K1:III+...", "K", 1.0, "III"),
    ("F5/F6III/IV", "F", 5.0, "III"),
    ("B2IV-Ve", "B", 2.0, "IV"),
    ("M6IIIvar", "M", 6.0, "III"),
    ("K2II+...", "K", 2.0, "II"),
    ("G5IIIws", "G", 5.0, "III"),
    ("B9IV-V", "B", 9.0, "IV"),
    ("A0V(n)", "A", 0.0, "V"),
    ("M2.5III", "M", 2.5, "III"),
    ("K2VCN...", "K", 2.0, "V"),
    ("G1/G2V:", "G", 1.0, "V"),
    ("F2Iab:", "F", 2.0, "I"),
    ("B3Vnn", "B", 3.0, "V"),
    ("A1p...", "A", 1.0, ""),
    ("sdF7:", "F", 7.0, ""),
    ("K0III-IV", "K", 0.0, "III"),
    ("F5V+...", "F", 5.0, "V"),
    ("kA2hA5mA7V", "A", 5.0, "V"),
    ("B9pSi", "B", 9.0, ""),
    ("M1.5Ve", "M", 1.5, "V"),
    ("DA2", "", None, ""),
    ("sdB5", "B", 5.0, ""),
    ("C5,4", "", None, ""),
    ("C5II", "", None, ""),
    ("WC8+O9I", "", None, ""),
    ("Ne", "", None, ""),
    ("B9.5-A0V", "B", 9.5, "V"),
    ("O9.5Ia0", "O", 9.5, "I"),
    ("", "", None, ""),
]


@pytest.mark.parametrize(("text", "letter", "sub", "lum"), REAL_TYPES)
def test_parse_real_strings(text: str, letter: str, sub: float | None, lum: str) -> None:
    got_letter, got_sub, got_lum = parse_sp_type(text)
    assert got_letter == letter
    assert got_lum == lum
    if sub is None:
        assert math.isnan(got_sub)
    else:
        assert got_sub == sub


@pytest.mark.parametrize("junk", [None, math.nan, 42, "???", "IV", "  ", "x" * 10_000, "V" * 50])
def test_unparseable_gives_empty_never_raises(junk: object) -> None:
    letter, sub, lum = parse_sp_type(junk)
    assert letter == ""
    assert math.isnan(sub)


def test_subclass_out_of_range_is_dropped() -> None:
    assert math.isnan(parse_sp_type("K12III")[1])


def test_vectorised_matches_scalar(catalog: pd.DataFrame) -> None:
    sample = catalog["sp_type"].sample(2000, random_state=0)
    table = parse_sp_types(sample)
    assert list(table.columns) == ["sp_class", "sp_subclass", "lum_class"]
    for text, (_, row) in zip(sample, table.iterrows(), strict=True):
        letter, sub, lum = parse_sp_type(text)
        assert row["sp_class"] == letter and row["lum_class"] == lum
        assert (math.isnan(sub) and math.isnan(row["sp_subclass"])) or row["sp_subclass"] == sub


def test_catalogue_labels_agree_with_parser(catalog: pd.DataFrame) -> None:
    reparsed = parse_sp_types(catalog["sp_type"])
    assert (reparsed["sp_class"] == catalog["sp_class"]).all()
    assert (reparsed["lum_class"] == catalog["lum_class"]).all()
