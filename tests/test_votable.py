"""The NumPy BINARY2 VOTable writer gives astropy's bytes, and tables that read back unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from astropy.table import Column, MaskedColumn, Table

import sedviz.votable as V
from sedviz import columns as C
from sedviz.catalog.export import build_votable_bytes, prefix_columns, subset_frame
from sedviz.classifier.predict import predict_frame
from sedviz.classifier.registry import default_model_name, load_model
from sedviz.classifier.targets import TARGETS
from sedviz.tableio import read_table, to_astropy, votable_bytes, write_table

BIG_IDS = [4_000_000_000_000_000_001, 2**63 - 1, 2**53 + 1, -120_416]


@pytest.fixture
def astropy_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Row counts of the tables astropy's writer is given (one row: our rows were packed)."""
    calls: list[int] = []
    write = V.astropy_votable_bytes

    def counted(table: Table) -> bytes:
        calls.append(len(table))
        return write(table)

    monkeypatch.setattr(V, "astropy_votable_bytes", counted)
    yield calls


def _read(document: bytes) -> Table:
    return Table.read(io.BytesIO(document), format="votable")


def assert_same_table(ours: Table, theirs: Table) -> None:
    """Same columns, dtypes, units, masks and (unmasked) values; NaN equals NaN."""
    assert ours.colnames == theirs.colnames
    for name in ours.colnames:
        a, b = ours[name], theirs[name]
        assert (a.dtype, a.unit) == (b.dtype, b.unit), name
        mask = np.ma.getmaskarray(a)
        assert np.array_equal(mask, np.ma.getmaskarray(b)), name
        kept_a, kept_b = np.ma.getdata(a)[~mask], np.ma.getdata(b)[~mask]
        same_nan = a.dtype.kind == "f"
        assert np.array_equal(kept_a, kept_b, equal_nan=same_nan), name


def _edge_table() -> Table:
    """Ids above 2^53, masked ints, NaN/inf/-0.0, empty and Unicode text, bits, bytes, metadata."""
    nan, inf = float("nan"), float("inf")
    return Table(
        [
            Column(np.array(BIG_IDS, dtype=np.int64), name=C.SOURCE_ID),
            MaskedColumn([7, 0, 3, 4], mask=[False, True, False, True], dtype=np.int64, name="hr"),
            MaskedColumn([1, 2, 3, 4], mask=[True, False, False, False], dtype=np.int32, name="i4"),
            Column(np.array([1, -2, 3, 0], dtype=np.int16), name="i2"),
            Column(np.array([0, 255, 7, 1], dtype=np.uint8), name="u1"),
            Column(
                [1.5, nan, -inf, -0.0],
                unit="mas",
                name=C.PARALLAX,
                description="Parallax",
                meta={"ucd": "pos.parallax"},
            ),  # fmt: skip
            MaskedColumn(
                [5, 6, -1, 8],
                mask=[False, False, True, False],
                dtype=np.int64,
                name="hd",
                meta={"values": {"null": -1}},
            ),  # fmt: skip
            MaskedColumn([2.0, 9.0, nan, 1.0], mask=[False, True, False, False], name="g"),
            Column(np.array([1.0, 2.5, nan, 3.0], dtype=np.float32), unit="deg", name="f4"),
            Column([True, False, True, False], name="in_domain"),
            MaskedColumn([True, True, False, False], mask=[False, True, False, True], name="flag"),
            Column(["α Lyr", "", "Alcyone (η Tau)", "BP−RP ≈ 2"], name="name"),
            Column(["", "", "", ""], name="empty"),
            MaskedColumn(["G2V", "x", "", "B"], mask=[False, True, False, False], name="sp"),
            Column(np.array([b"K2V", b"", b"A0", b"M"]), name="sp_bytes"),
        ],
        meta={"description": "edge cases"},
    )


def test_edge_cases_give_astropys_bytes_and_read_back(astropy_calls: list[int]) -> None:
    table = _edge_table()
    ours = V.build_votable_bytes(table)
    assert astropy_calls == [1]  # the header only: every row was packed by NumPy
    assert ours == V.astropy_votable_bytes(table)
    back = _read(ours)
    assert_same_table(back, _read(V.astropy_votable_bytes(table)))
    assert [int(v) for v in back[C.SOURCE_ID]] == BIG_IDS  # exact beyond 2^53
    assert list(back["name"]) == ["α Lyr", "", "Alcyone (η Tau)", "BP−RP ≈ 2"]
    assert back["hr"].mask.tolist() == [False, True, False, True]
    assert back["in_domain"].tolist() == [True, False, True, False]
    assert str(back[C.PARALLAX].unit) == "mas"
    assert b'ucd="pos.parallax"' in ours and b'null="-1"' in ours


def test_many_rows_cross_block_boundaries() -> None:
    """Blocks of rows are encoded apart; their base64 must join into one stream."""
    n = V._BLOCK_ROWS + 5
    rng = np.random.default_rng(3)
    table = Table(
        {
            "id": np.arange(n, dtype=np.int64) * 2**40,
            "x": rng.normal(size=n),
            "flag": rng.random(n) > 0.5,
            "label": np.where(rng.random(n) > 0.7, "Sun-like", ""),
        }
    )
    table["x"] = MaskedColumn(table["x"], mask=rng.random(n) > 0.9)
    ours = V.build_votable_bytes(table)
    assert ours == V.astropy_votable_bytes(table)


def test_empty_table_is_astropys() -> None:
    table = _edge_table()[:0]
    ours = V.build_votable_bytes(table)
    assert ours == V.astropy_votable_bytes(table)
    assert len(_read(ours)) == 0


@pytest.mark.parametrize(
    "column",
    [
        Column(["🌟 star", "a"], name="beyond_bmp"),  # UTF-16 needs two units: astropy's rule
        Column([[1.0, 2.0], [3.0, 4.0]], name="vector"),  # multidimensional
        Column(np.array(["a", "bcd"], dtype=object), name="text"),  # variable length
    ],
)
def test_columns_we_do_not_pack_go_to_astropy(column: Column, astropy_calls: list[int]) -> None:
    table = Table([Column([1.0, 2.0], name="x"), column])
    ours = V.build_votable_bytes(table)
    assert astropy_calls[-1] == 2  # the whole table was written by astropy
    assert ours == V.astropy_votable_bytes(table)


@pytest.fixture(scope="module")
def export_slice(small_catalog: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """Real stars (named ones included) with both default models' predictions, as exported."""
    named = catalog[catalog["proper_name"] != ""].head(40)
    stars = pd.concat([small_catalog, named]).reset_index(drop=True)
    frames = [
        prefix_columns(predict_frame(load_model(default_model_name(target)), stars), f"{target}_")
        for target in TARGETS
    ]
    return subset_frame(stars, None, frames)


def test_real_export_slice_matches_astropy(
    export_slice: pd.DataFrame, astropy_calls: list[int]
) -> None:
    assert export_slice["hr"].isna().any() and (export_slice["proper_name"] != "").any()
    ours = build_votable_bytes(export_slice, "test export")
    assert astropy_calls == [1]
    table = to_astropy(export_slice)
    table.meta["description"] = "test export"
    assert ours == V.astropy_votable_bytes(table)
    assert_same_table(_read(ours), table)


def test_write_table_votable_reads_back(export_slice: pd.DataFrame, tmp_path: object) -> None:
    path = write_table(export_slice, f"{tmp_path}/stars.vot")
    assert b"<BINARY2>" in path.read_bytes()
    back = read_table(path)
    assert back[C.SOURCE_ID].tolist() == export_slice[C.SOURCE_ID].tolist()
    assert back["proper_name"].tolist() == export_slice["proper_name"].tolist()
    pd.testing.assert_series_equal(back[C.PARALLAX], export_slice[C.PARALLAX])
    assert back.attrs["units"][C.PARALLAX] == "mas"
    assert votable_bytes(export_slice) == path.read_bytes()


def test_bools_are_votable_booleans_every_reader_reads() -> None:
    """True is the byte "T", not astropy's bit 0x08 (which the standard would read as False)."""
    import base64
    import re

    table = Table({"in_domain": [True, False, True]})
    ours = V.build_votable_bytes(table)
    assert b'datatype="boolean"' in ours and b'datatype="bit"' not in ours
    stream = re.search(rb'<STREAM encoding="base64">\s*(.*?)\s*</STREAM>', ours, re.S)
    assert stream is not None
    assert base64.b64decode(stream.group(1)) == b"\x00T\x00F\x00T"  # null byte, value per row
    assert _read(ours)["in_domain"].tolist() == [True, False, True]
