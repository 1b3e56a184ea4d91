"""Input parsing and ADQL building: hostile text never reaches a query text."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sedviz.archive import (
    ArchiveConfig,
    ArchiveInputError,
    adql,
    parse_coordinates,
    parse_name,
    parse_radius_deg,
    parse_source_list,
)
from sedviz.archive.inputs import catalogue_number

CONFIG = ArchiveConfig(max_radius_deg=2.0, max_list_size=5, max_names=3)
HOSTILE = [
    "1; DROP TABLE gaiadr3.gaia_source",
    "'",
    '"',
    "' OR 1=1 --",
    "x' OR '1'='1",
    "A" * 10_000,
    "1" * 10_000,
    "",
    "   ",
    "56.75; SELECT 1",
    "\x00",
]
#: Legal as names (they are only ever URL-encoded), hostile as numbers.
NUMERIC_HOSTILE = ["nan", "NaN", "inf", "-inf", "1e400"]


@pytest.mark.parametrize("text", ["A" * 10_000, "", "   ", "\x00", "Vega\x07x"])
def test_unusable_names_are_refused(text: str) -> None:
    with pytest.raises(ArchiveInputError):
        parse_name(text)


@pytest.mark.parametrize("text", ["Orion's belt", "' OR 1=1 --", "x' OR '1'='1", "alf Lyr"])
def test_names_with_quotes_are_names(text: str) -> None:
    # Names travel only as uploaded table data or URL-encoded, never in ADQL text.
    assert parse_name(text) == text


@pytest.mark.parametrize("text", HOSTILE + NUMERIC_HOSTILE)
def test_hostile_coordinates_are_refused(text: str) -> None:
    with pytest.raises(ArchiveInputError):
        parse_coordinates(text, "24.1")
    with pytest.raises(ArchiveInputError):
        parse_coordinates("56.75", text)


@pytest.mark.parametrize(
    "value",
    [
        *HOSTILE,
        *NUMERIC_HOSTILE,
        0,
        -1,
        -0.5,
        2.0001,
        1e9,
        float("nan"),
        float("inf"),
        None,
        True,
        "0",
    ],
)
def test_bad_radius_is_refused(value: object) -> None:
    with pytest.raises(ArchiveInputError) as info:
        parse_radius_deg(value, CONFIG)
    message = str(info.value)
    assert "\n" not in message and len(message) < 200


def test_radius_messages_are_clear() -> None:
    with pytest.raises(ArchiveInputError, match="larger than the limit of 2 deg"):
        parse_radius_deg(5, CONFIG)
    with pytest.raises(ArchiveInputError, match="positive"):
        parse_radius_deg(-1, CONFIG)
    with pytest.raises(ArchiveInputError, match="finite"):
        parse_radius_deg("nan", CONFIG)


def test_good_names_pass() -> None:
    assert parse_name("  Pleiades ") == "Pleiades"
    assert parse_name("alf  Lyr") == "alf Lyr"
    assert parse_name("NGC 2632") == "NGC 2632"
    assert parse_name("Gaia DR3 66714384142368256") == "Gaia DR3 66714384142368256"


def test_catalogue_numbers() -> None:
    assert catalogue_number("HIP 17702") == ("hip", 17702)
    assert catalogue_number("hd23630") == ("hd", 23630)
    assert catalogue_number("Gaia DR3 66714384142368256") == ("source_id", 66714384142368256)
    assert catalogue_number("Pleiades") is None


@pytest.mark.parametrize(
    ("ra", "dec", "expected"),
    [
        (56.75, 24.1167, (56.75, 24.1167)),
        ("56.75", "+24.1167", (56.75, 24.1167)),
        ("03h47m00s", "+24d07m00s", (56.75, 24.116667)),
        ("03:47:00", "+24:07:00", (56.75, 24.116667)),
        ("03 47 00", "+24 07 00", (56.75, 24.116667)),
        (-10.0, 0.0, (350.0, 0.0)),
    ],
)
def test_coordinates_parse(ra: object, dec: object, expected: tuple[float, float]) -> None:
    got = parse_coordinates(ra, dec)
    assert got == pytest.approx(expected, abs=1e-5)


def test_out_of_range_dec() -> None:
    with pytest.raises(ArchiveInputError, match="Dec must be between"):
        parse_coordinates(10, 91)


def test_source_list_kinds() -> None:
    ids = parse_source_list(b"source_id\n66714384142368256\nGaia DR3 5\n5\n", CONFIG)
    assert ids.kind == "source_id" and ids.ids == (66714384142368256, 5)
    hips = parse_source_list(b"HIP\nHIP 17702\n1\n", CONFIG)
    assert hips.kind == "hip" and hips.ids == (17702, 1)
    pos = parse_source_list(b"ra,dec\n56.75,24.1\n03h47m00s,+24d07m\n", CONFIG)
    assert pos.kind == "position" and len(pos) == 2
    names = parse_source_list(pd.DataFrame({"name": ["Vega", "HIP 17702"]}), CONFIG)
    assert names.kind == "name" and names.names == ("Vega", "HIP 17702")


@pytest.mark.parametrize(
    ("csv", "match"),
    [
        (b"source_id\n1; DROP TABLE x\n", "row 1"),
        (b"source_id\n' OR 1=1\n", "row 1"),
        (b"source_id\n0\n", "row 1"),
        (b"source_id\n--5\n", "row 1"),
        (b"source_id\n12.5\n", "row 1"),
        (b"source_id\n" + b"9" * 10_000 + b"\n", "row 1"),
        (b"source_id\n99999999999999999999\n", "row 1"),
        (b"hip\n0\n", "row 1"),
        (b"hip\n999999\n", "row 1"),
        (b"ra,dec\nnan,10\n", "row 1"),
        (b"ra,dec\n10,' OR 1=1\n", "row 1"),
        (b"name\na\nb\nc\nd\n", "limit is 3"),
        (b"source_id\n1\n2\n3\n4\n5\n6\n", "limit is 5"),
        (b"source_id\n", "empty"),
        (b"colour\nred\n", "needs a column"),
        (b"\xff\xfe\x00garbage", "cannot read"),
    ],
)
def test_bad_source_lists_are_refused(csv: bytes, match: str) -> None:
    with pytest.raises(ArchiveInputError, match=match):
        parse_source_list(csv, CONFIG)


def test_adql_is_built_from_numbers_only() -> None:
    text = adql.build_cone_adql(56.75, 24.1167, 0.5, 100)
    assert "TOP 101" in text and "ORDER BY g.phot_g_mean_mag ASC" in text
    assert "CIRCLE('ICRS', 56.75, 24.1167, 0.5)" in text
    assert "gaiadr3.tmass_psc_xsc_best_neighbour" in text
    assert "gaiadr1.tmass_original_valid" in text
    assert "gaiadr3.allwise_best_neighbour" in text
    assert "gaiadr1.allwise_original_valid" in text
    for column in adql.RESULT_COLUMNS:
        assert column in text
    with pytest.raises(ValueError):
        adql.build_cone_adql(math.nan, 0.0, 0.5, 100)
    with pytest.raises(ValueError):
        adql.check_ids(["1; DROP TABLE x"])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        adql.check_ids([-1])
    with pytest.raises(ValueError):
        adql.check_ids([])


def test_list_queries_join_the_upload() -> None:
    ids = adql.build_source_id_adql(5)
    assert "FROM TAP_UPLOAD.sedviz_ids AS up" in ids and "g.source_id = up.source_id" in ids
    assert "up.input_row" in ids and "TOP 6" in ids
    hip = adql.build_hip_adql(5)
    assert "hip.original_ext_source_id = up.hip" in hip
    positions = adql.build_positions_adql(3.6, 10)
    assert "TAP_UPLOAD.sedviz_positions" in positions and "0.001)" in positions


def test_one_reader_behind_every_list() -> None:
    """CLI, training (--only/--exclude) and both upload widgets read ids the same way."""
    from sedviz.retrain.subset import load_uploaded_ids
    from sedviz.tableio import id_frame, read_source_list

    data = b"SOURCE_ID\nGaia DR3 66714384142368256\n5\n"
    sources = read_source_list(data, "ids.csv")
    assert parse_source_list(data, CONFIG) == sources
    assert load_uploaded_ids(data, "ids.csv").equals(id_frame(sources))
    assert list(load_uploaded_ids(data, "ids.csv")["source_id"]) == [66714384142368256, 5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84.05 -1.2", (84.05, -1.2)),
        ("84.05, -1.20", (84.05, -1.2)),
        ("84.05;-1.2", (84.05, -1.2)),
        ("5:36:12 -1:12:07", (84.05, -1.201944)),
        ("05 36 12 -01 12 07", (84.05, -1.201944)),
        ("05h36m12s -01d12m", (84.05, -1.2)),
        ("05h36m12s \u221201d12m", (84.05, -1.2)),
        ("G 209.0 -19.4", (83.799711, -5.387870)),
        ("gal 209.0, -19.4", (83.799711, -5.387870)),
        ("l=209.0 b=-19.4", (83.799711, -5.387870)),
    ],
)
def test_where_positions(text: str, expected: tuple[float, float]) -> None:
    from sedviz.positions import parse_where

    where = parse_where(text)
    assert where.name is None
    assert (where.ra_deg, where.dec_deg) == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("84.05 -100", r"Dec must be between -90 and \+90"),
        ("5:36:12", "give two values"),
        ("84.05 -1.2 7", "give two values"),
        ("25h00m -1d", "cannot read '25h00m' '-1d'"),
    ],
)
def test_where_says_what_it_could_not_read(text: str, message: str) -> None:
    from sedviz.positions import PositionError, parse_where

    with pytest.raises(PositionError, match=message):
        parse_where(text)


@pytest.mark.parametrize("text", ["Pleiades", "Orion's belt", "HD 23630", "M45", "alf Lyr"])
def test_where_names(text: str) -> None:
    from sedviz.positions import parse_where

    assert parse_where(text).name == text
