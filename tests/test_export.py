"""Exports of a star subset with predictions: CSV and VOTable bytes that read back."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from astropy.io.votable import parse_single_table

from sedviz import columns as C
from sedviz.catalog.export import build_csv_bytes, build_votable_bytes, prefix_columns, subset_frame


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            C.SOURCE_ID: np.array([4_000_000_000_000_000_001, 2, 3], dtype=np.int64),
            C.HIP: pd.array([1, None, 3], dtype="Int64"),
            C.G_MAG: [1.0, 2.0, 3.0],
            C.SP_TYPE: ["K2V", "", "A0"],
        }
    )


def test_subset_with_predictions_round_trips_csv_and_votable() -> None:
    table = _table()
    preds = prefix_columns(
        pd.DataFrame(
            {"predicted_class": ["K", "", "A"], "predicted_probability": [0.9, np.nan, 0.5]}
        ),
        "sp_class_",
    )
    out = subset_frame(table, [3, 4_000_000_000_000_000_001], [preds])
    assert out[C.SOURCE_ID].tolist() == [4_000_000_000_000_000_001, 3]  # table order
    assert "sp_class_predicted_class" in out.columns
    csv = pd.read_csv(io.BytesIO(build_csv_bytes(out)))
    assert csv[C.SOURCE_ID].tolist() == [4_000_000_000_000_000_001, 3]
    vot = parse_single_table(io.BytesIO(build_votable_bytes(out, "test subset"))).to_table()
    assert [int(v) for v in vot[C.SOURCE_ID]] == [4_000_000_000_000_000_001, 3]
    assert list(vot["sp_class_predicted_class"]) == ["K", "A"]


def test_whole_set_and_empty_subset() -> None:
    table = _table()
    assert len(subset_frame(table)) == 3
    empty = subset_frame(table, [])
    assert empty.empty
    assert build_votable_bytes(empty).startswith(b"<?xml")


def test_csv_text_a_spreadsheet_reads() -> None:
    frame = pd.DataFrame(
        {"source_id": [2**62 + 1, 5], "name": ["α Lyr, Vega", ""], "g": [1.5, np.nan]}
    ).assign(in_domain=[True, False])
    text = build_csv_bytes(frame).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "source_id,name,g,in_domain"  # a plain header
    assert lines[1] == f'{2**62 + 1},"α Lyr, Vega",1.5,true'  # exact id; a comma stays in its cell
    assert lines[2] == '5,"",,false'  # a missing number is an empty cell
    back = pd.read_csv(io.StringIO(text))
    assert back["name"].tolist()[0] == "α Lyr, Vega" and back["in_domain"].tolist() == [True, False]
