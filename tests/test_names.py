"""Star names offline: every accepted form, suggestions for typos, the batch resolver.

The fixture ``tests/data/bright_stars_names.csv`` holds 15 real stars copied from the
embedded catalogue with its name columns (scripts/make_names_fixture.py); the last test
runs on the whole catalogue.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.constellations import CONSTELLATION_BY_ABBR, CONSTELLATIONS
from sedviz.catalog.designations import fold_text, parse_designation
from sedviz.catalog.lookup import find_star_row
from sedviz.catalog.names import (
    StarNameError,
    get_name_index,
    resolve_star_name,
    resolve_star_names,
    star_display_name,
)
from sedviz.catalog.tables import load_star_table
from sedviz.errors import SedvizError

BRIGHT = Path(__file__).parent / "data" / "bright_stars_names.csv"


@pytest.fixture(scope="session")
def bright() -> pd.DataFrame:
    return load_star_table(BRIGHT)


def _hip(table: pd.DataFrame, text: str) -> int | None:
    row = resolve_star_name(table, text)
    return None if row is None else int(table[C.HIP].iloc[row])


@pytest.mark.parametrize(
    ("text", "hip"),
    [
        # proper names, any case, spacing or punctuation
        ("Vega", 91262), ("  vEGA ", 91262), ("Betelgeuse", 27989), ("Rigil Kentaurus", 71683),
        ("rigil-kentaurus", 71683), ("RigilKentaurus", 71683), ("Deneb", 102098),
        # Bayer, every spelling
        ("alf Lyr", 91262), ("alp Lyr", 91262), ("α Lyr", 91262), ("Alpha Lyrae", 91262),
        ("alpha Lyr", 91262), ("ALF LYR", 91262), ("alf-Lyr", 91262), ("alfLyr", 91262),
        ("Alpha Orionis", 27989), ("bet Ori", 24436), ("β Ori", 24436), ("gam Ori", 25336),
        ("Alpha Canis Majoris", 32349), ("alpha Ursae Minoris", 11767), ("Alpha Boötis", 69673),
        ("Alpha Bootis", 69673), ("Alpha Cygni", 102098),
        # components: a number picks the star, none the brightest, a letter by brightness
        ("alf1 Cen", 71683), ("α1 Cen", 71683), ("α¹ Cen", 71683), ("Alpha1 Centauri", 71683),
        ("alf2 Cen", 71681), ("alpha Cen", 71683), ("Alpha Centauri", 71683),
        ("alpha Cen A", 71683), ("Alpha Centauri B", 71681),
        # Flamsteed
        ("61 Cyg", 104214), ("61 Cygni", 104214), ("61Cyg", 104214), ("61 Cyg A", 104214),
        ("61 Cyg B", 104217), ("58 Ori", 27989), ("58 Orionis", 27989), ("3 Lyr", 91262),
        ("9 CMa", 32349), ("3 alf Lyr", 91262),
        # catalogue numbers
        ("HIP 91262", 91262), ("hip91262", 91262), ("HIP-91262", 91262), ("91262", 91262),
        ("HD 172167", 91262), ("HR 7001", 91262), ("hr7001", 91262), ("HD 201092", 104217),
        ("Gaia DR3 1872046609345556480", 104214), ("1872046609345556480", 104214),
        ("GAIA DR3 1872046574983497216", 104217),
    ],
)  # fmt: skip
def test_every_form_finds_the_star(bright: pd.DataFrame, text: str, hip: int) -> None:
    assert _hip(bright, text) == hip


@pytest.mark.parametrize(
    "text",
    ["HIP 999999", "HD 1", "HR 9999", "omi Lyr", "Gaia DR3 12345678", "alf Lyr B", "61 Cyg C"],
)
def test_valid_identifier_absent_from_the_table_is_none(bright: pd.DataFrame, text: str) -> None:
    assert resolve_star_name(bright, text) is None


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("Betelguese", "Betelgeuse"), ("Sirus", "Sirius"), ("Arcturis", "Arcturus"),
     ("Rigel Kentarus", "Rigil Kentaurus"), ("Alpha Lyrea", "alf Lyr"), ("Polarus", "Polaris")],
)  # fmt: skip
def test_typos_raise_with_suggestions(bright: pd.DataFrame, typo: str, meant: str) -> None:
    with pytest.raises(StarNameError) as info:
        resolve_star_name(bright, typo)
    assert meant in info.value.suggestions
    assert meant in str(info.value)
    assert isinstance(info.value, SedvizError)  # what the pages catch and show


@pytest.mark.parametrize("text", ["Not A Real Star Name", "", "   ", "'; DROP TABLE stars; --"])
def test_unknown_text_raises_without_suggestions(bright: pd.DataFrame, text: str) -> None:
    with pytest.raises(StarNameError) as info:
        find_star_row(bright, text)
    assert info.value.suggestions == ()
    assert "HIP n" in str(info.value)


def test_fold_and_parse() -> None:
    assert fold_text("α¹-Cen") == "alf 1 cen"
    assert fold_text("Boötes") == "bootes"
    assert parse_designation("Alpha1 Centauri") == ("Cen", "alf", 1, 0, 0)
    assert parse_designation("61 Cygni B") == ("Cyg", "", 0, 61, 2)
    assert parse_designation("tet Ori") == parse_designation("Theta Orionis")
    assert parse_designation("ksi UMa") == parse_designation("xi Ursae Majoris")
    assert parse_designation("Vega") is None
    assert parse_designation("Lyr") is None  # a constellation alone is no star
    assert parse_designation("alpha beta Lyr") is None


def test_component_letters_only_for_pairs(bright: pd.DataFrame) -> None:
    # Three stars called tet1 Ori (the Trapezium): brightness does not tell C from A.
    trio = pd.concat([bright] + [bright[bright[C.HIP] == 91262].assign(hip=h) for h in (7, 8)])
    trio = trio.reset_index(drop=True)
    assert _hip(trio, "alf Lyr") == 91262
    assert resolve_star_name(trio, "alf Lyr A") is None
    assert star_display_name(trio, len(trio) - 1) == "Vega"
    named = trio.assign(proper_name="")
    assert star_display_name(named, len(trio) - 1) == "alf Lyr (HIP 8)"


def test_display_names(bright: pd.DataFrame) -> None:
    names = {int(h): star_display_name(bright, i) for i, h in enumerate(bright[C.HIP])}
    assert names[91262] == "Vega"
    assert names[71681] == "alf2 Cen"  # no proper name: its Bayer designation
    assert (names[104214], names[104217]) == ("61 Cyg A", "61 Cyg B")  # a shared designation
    assert names[1] == "HIP 1"  # no name at all


def test_display_names_with_hip_for_headings(bright: pd.DataFrame) -> None:
    row = {int(h): i for i, h in enumerate(bright[C.HIP])}
    shown = {hip: star_display_name(bright, r, with_hip=True) for hip, r in row.items()}
    assert shown[91262] == "Vega (HIP 91262)"
    assert shown[71681] == "alf2 Cen (HIP 71681)"
    assert shown[104217] == "61 Cyg B (HIP 104217)"
    assert shown[1] == "HIP 1"  # the number alone, not "HIP 1 (HIP 1)"
    # a heading is found again by the name search, as the plain name is
    assert all(resolve_star_name(bright, text) == row[hip] for hip, text in shown.items())


def test_display_name_never_shows_hip_0_or_a_negative_id(bright: pd.DataFrame) -> None:
    vega = int(bright.index[bright[C.HIP] == 91262][0])
    star = bright.loc[[vega]].assign(hip=0, proper_name="", bayer="", flamsteed="")
    star = star.reset_index(drop=True)
    assert star_display_name(star, 0, with_hip=True) == "row 0"  # source_id -91262: no Gaia
    gaia = star.assign(source_id=1872046574983497216)
    assert star_display_name(gaia, 0) == "Gaia DR3 1872046574983497216"
    named = star.assign(proper_name="Vega")
    assert star_display_name(named, 0, with_hip=True) == "Vega"


def test_batch_resolver(bright: pd.DataFrame) -> None:
    queries = ["Vega", "Betelguese", "61 Cyg B", "Vega", "HIP 999999", "HIP 1"]
    out = resolve_star_names(bright, queries)
    assert list(out.columns) == ["query", "row", "source_id", "hip", "name", "error"]
    assert out["query"].tolist() == queries  # one row per input, duplicates kept
    assert out["name"].tolist() == ["Vega", "", "61 Cyg B", "Vega", "", "HIP 1"]
    assert out["hip"].tolist()[:4] == [91262, pd.NA, 104217, 91262]
    assert out["source_id"].tolist()[0] == -91262  # the table key: no Gaia counterpart
    assert out["source_id"].tolist()[2] == 1872046574983497216  # no float rounding
    assert out["row"].tolist()[1] == -1 and out["row"].tolist()[4] == -1
    assert "did you mean Betelgeuse" in out["error"][1]
    assert "not in the catalogue" in out["error"][4]
    assert (out["error"][[0, 2, 3, 5]] == "").all()
    empty = resolve_star_names(bright.iloc[0:0], ["Vega"])
    assert empty["row"].tolist() == [-1] and empty["hip"].isna().all()


def test_index_is_built_once_per_table(bright: pd.DataFrame) -> None:
    assert get_name_index(bright) is get_name_index(bright)
    copy = bright.copy()
    assert get_name_index(copy) is not get_name_index(bright)


def test_tables_without_name_columns_keep_numbers_and_the_offline_list(
    bright: pd.DataFrame,
) -> None:
    plain = bright.drop(columns=["proper_name", "bayer", "flamsteed", "hr"])
    assert _hip(plain, "HIP 91262") == 91262
    assert _hip(plain, "HD 172167") == 91262
    # Vega and Sirius are in the offline list: matched by position within 30 arcsec.
    assert _hip(plain, "Vega") == 91262
    assert _hip(plain, "Alpha Canis Majoris") == 32349  # read as alf CMa, an alias of Sirius
    assert resolve_star_name(plain, "61 Cyg") is None  # a valid designation, no name column


def test_the_88_constellations_agree_with_astropy() -> None:
    assert len(CONSTELLATIONS) == 88 == len(CONSTELLATION_BY_ABBR)
    assert len({c.abbr.lower() for c in CONSTELLATIONS}) == 88
    shipped = files("astropy.coordinates").joinpath("data", "constellation_names.dat")
    astropy_names = dict(
        line.split(" ", 1) for line in shipped.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )  # fmt: skip
    # astropy 8.0's file misspells three names; the IAU list spells them as here.
    misspelt = {"Oph": "Ophiucus", "Cha": "Chamaleon", "PsA": "Pisces Austrinus"}
    ours = {c.abbr: misspelt.get(c.abbr, c.name) for c in CONSTELLATIONS}
    assert {k: v.strip() for k, v in astropy_names.items()} == ours
    assert CONSTELLATION_BY_ABBR["CMa"].genitive == "Canis Majoris"


def test_the_real_catalogue_knows_the_naked_eye_stars(catalog: pd.DataFrame) -> None:
    wanted = {"Vega": 91262, "Betelgeuse": 27989, "Sirius": 32349, "alpha Cen": 71683,
              "Alpha Centauri B": 71681, "61 Cygni": 104214, "61 Cyg B": 104217,
              "HR 7001": 91262, "Polaris": 11767, "Alpha Orionis": 27989, "Canopus": 30438,
              "eps Ori": 26311, "Beta Persei": 14576, "eta UMa": 67301, "xi UMa": 55203,
              "ksi UMa": 55203, "mu Cep": 107259, "alf1 Cru": 60718, "HD 48915": 32349,
              "Gaia DR3 1872046609345556480": 104214}  # fmt: skip
    assert {text: _hip(catalog, text) for text in wanted} == wanted
    with pytest.raises(StarNameError) as info:
        resolve_star_name(catalog, "Betelguese")
    assert info.value.suggestions[0] == "Betelgeuse"


def test_every_named_star_of_the_catalogue_is_found_by_its_display_name(
    catalog: pd.DataFrame,
) -> None:
    named = (catalog[C.PROPER_NAME] != "") | (catalog[C.BAYER] != "") | (catalog[C.FLAMSTEED] != "")
    rows = [int(i) for i in named.to_numpy().nonzero()[0]]
    assert len(rows) > 2500  # BSC5 stars with a Bayer or Flamsteed designation, named stars
    shown = {row: star_display_name(catalog, row) for row in rows}
    assert [r for r, name in shown.items() if resolve_star_name(catalog, name) != r] == []
    assert "tet1 Ori (HIP 26220)" in shown.values()  # three stars share tet1 Ori
