"""A user's archive export loads unchanged: every format, any case, real recorded files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from astropy.table import Table

from sedviz import columns as C
from sedviz.catalog.tables import load_star_table
from sedviz.cli import main
from sedviz.errors import StarTableError
from sedviz.tableio import NAME_ID_OFFSET, read_source_list, read_table, write_table
from tests.archive_fakes import DATA, gaia_cone_answer, gaia_two_stars

FORMATS = {".vot": "votable", ".xml": "votable", ".fits": "fits", ".ecsv": "ascii.ecsv",
           ".csv": "ascii.csv"}  # fmt: skip


def _write(table: Table, path: Path) -> Path:
    table = table.copy()
    for name in table.colnames:  # FITS needs fixed-width text (VOTable char* reads as object)
        if table[name].dtype.kind == "O":
            table[name] = table[name].astype(str)
    with warnings.catch_warnings():  # Gaia's unit strings are not all VOUnit/FITS units
        warnings.simplefilter("ignore")
        table.write(path, format=FORMATS[path.suffix], overwrite=True)
    return path


@pytest.mark.parametrize("suffix", list(FORMATS))
def test_gaia_export_in_every_format(tmp_path: Path, suffix: str) -> None:
    real = gaia_two_stars()  # the archive's VOTable: SOURCE_ID, DESIGNATION in capitals
    assert "SOURCE_ID" in real.colnames
    table = load_star_table(_write(real, tmp_path / f"export{suffix}"))
    assert list(table[C.SOURCE_ID]) == [4583627001381815936, 5348723816842275584]
    assert table[C.SOURCE_ID].dtype == "int64"
    assert table[C.G_MAG].to_numpy() == pytest.approx(np.asarray(real["phot_g_mean_mag"]))
    if suffix != ".csv":
        assert table.attrs["units"][C.RA] == "deg" and table.attrs["units"][C.PARALLAX] == "mas"


def test_recorded_ecsv_reads_as_it_ships() -> None:
    table = load_star_table(DATA / "astroquery_gaia_result.ecsv")
    assert len(table) == 5 and table.attrs["units"][C.PMRA] == "mas / yr"


def test_units_are_converted(tmp_path: Path) -> None:
    real = gaia_cone_answer()[:3]
    real["parallax"] = real["parallax"].to("arcsec")
    table = load_star_table(_write(real, tmp_path / "arcsec.fits"))
    assert table[C.PARALLAX].to_numpy() == pytest.approx(
        np.asarray(gaia_cone_answer()["parallax"][:3])
    )


def test_any_one_identifier(tmp_path: Path) -> None:
    real = gaia_cone_answer()[:3]
    base = real["ra", "dec", "phot_g_mean_mag"]
    by_designation = real["designation", "ra", "dec", "phot_g_mean_mag"]
    got = load_star_table(_write(by_designation, tmp_path / "d.ecsv"))
    assert list(got[C.SOURCE_ID]) == [int(v) for v in real["source_id"]]
    hips = base.copy()
    hips["HIP"] = [17702, 1, 5]
    assert list(load_star_table(_write(hips, tmp_path / "h.vot"))[C.SOURCE_ID]) == [-17702, -1, -5]
    named = base.copy()
    named["Name"] = ["a", "b", "c"]
    ids = load_star_table(_write(named, tmp_path / "n.csv"))[C.SOURCE_ID]
    assert list(ids) == [-NAME_ID_OFFSET, -NAME_ID_OFFSET - 1, -NAME_ID_OFFSET - 2]
    with pytest.raises(StarTableError, match="an identifier, one of source_id"):
        load_star_table(_write(base, tmp_path / "none.fits"))


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [("x.txt2", b"a\n", "unknown file type '.txt2'"),
     ("x.fits", b"not fits at all", "cannot read x.fits"),
     ("x.vot", b"<html>maintenance</html>", "cannot read x.vot"),
     ("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "cannot read x.csv")],
)  # fmt: skip
def test_unreadable_files_say_why(name: str, data: bytes, match: str) -> None:
    with pytest.raises(StarTableError, match=match):
        read_table(data, name)


def test_id_list_from_every_format(tmp_path: Path) -> None:
    real = gaia_cone_answer()[:5]
    real.rename_column("source_id", "Source_ID")
    for suffix in FORMATS:
        sources = read_source_list(_write(real, tmp_path / f"ids{suffix}"))
        assert sources.kind == "source_id"
        assert list(sources.ids) == [int(v) for v in real["Source_ID"]]


def test_classify_and_fit_sed_write_votable_and_fits(tmp_path: Path) -> None:
    star = tmp_path / "stars.vot"
    _write(gaia_two_stars(), star)
    for suffix in (".vot", ".fits"):
        out = tmp_path / f"sed{suffix}"
        assert main(["fit-sed", str(star), "-o", str(out)]) == 0
        back = Table.read(out)
        assert "teff" in back.colnames and len(back) == 2
        assert str(back["ra"].unit) == "deg"
    out = tmp_path / "classified.fits"
    assert main(["classify", str(star), "-o", str(out)]) == 0
    back = Table.read(out)
    assert len(back) == 2 and any(c.startswith("predicted") for c in back.colnames)
    assert main(["classify", str(star), "-o", str(tmp_path / "x.docx")]) == 2


def test_write_table_round_trip(tmp_path: Path) -> None:
    frame = pd.DataFrame({C.SOURCE_ID: [1, 2], C.RA: [1.5, 2.5], C.SP_TYPE: ["G2V", ""]})
    for suffix in (".csv", ".parquet", ".vot", ".fits", ".ecsv"):
        back = read_table(write_table(frame, tmp_path / f"t{suffix}"))
        assert list(back[C.SOURCE_ID]) == [1, 2] and list(back[C.RA]) == [1.5, 2.5]


def test_fits_output_keeps_text_columns_in_ascii(tmp_path: Path) -> None:
    from sedviz.tableio import read_table, write_table

    frame = pd.DataFrame({"source_id": [1, 2], "domain_note": ["colour BP\u2212RP outside", "Ç"]})
    out = write_table(frame, tmp_path / "notes.fits")
    back = read_table(out)
    assert back["domain_note"].tolist() == ["colour BP-RP outside", "?"]
