"""``python -m sedviz star NAME ... [--json]``: the contract of issue 15 item 7.

Runs on the real bright-star fixture (tests/data/bright_stars_names.csv) with the shipped
default models, in-process, with sockets disabled (the command must work offline).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sedviz.cli import main
from sedviz.cli.star import JSON_KEYS, domain_frame, star_record

ROOT = Path(__file__).parents[1]
BRIGHT = ROOT / "tests" / "data" / "bright_stars_names.csv"
CONTRACT_KEYS = [
    "query", "name", "hip", "hd", "source_id", "sp_type", "sp_class", "lum_class", "bands",
    "sp_class_predicted", "sp_class_probability", "lum_class_predicted",
    "lum_class_probability", "in_domain", "domain_note", "teff", "luminosity", "radius",
]  # fmt: skip


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("network use in a test that must run offline")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _star_json(
    capsys: pytest.CaptureFixture[str], *names: str
) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["star", "--catalog", str(BRIGHT), "--json", *names])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.mark.usefixtures("no_network")
def test_json_keys_values_and_order(capsys: pytest.CaptureFixture[str]) -> None:
    names = ["Vega", "Alpha Centauri B", "61 Cyg", "Vega", "HIP 1"]
    code, stars, err = _star_json(capsys, *names)
    assert code == 0 and err == ""
    assert list(JSON_KEYS) == CONTRACT_KEYS
    assert [list(s) for s in stars] == [CONTRACT_KEYS] * len(names)
    assert [s["query"] for s in stars] == names  # in order, duplicates kept
    vega, cen_b, cyg, vega_again, hip1 = stars
    assert vega == vega_again
    assert (vega["name"], vega["hip"], vega["hd"], vega["sp_type"]) == (
        "Vega",
        91262,
        172167,
        "A0Vvar",
    )
    assert (vega["sp_class"], vega["lum_class"]) == ("A", "V")
    assert cen_b["name"] == "alf2 Cen" and cen_b["hip"] == 71681
    assert cyg["name"] == "61 Cyg A" and cyg["source_id"] == 1872046609345556480
    assert {"G", "BP", "RP", "Hp", "V"} <= set(cyg["bands"])
    assert hip1["lum_class"] is None  # "F5": no luminosity class catalogued -> null
    for star in stars:
        assert star["sp_class_predicted"] in list("OBAFGKM")
        assert star["lum_class_predicted"] in ("I-II", "III", "IV", "V")
        assert 0 < star["sp_class_probability"] <= 1 and 0 < star["lum_class_probability"] <= 1
        assert 2000 < star["teff"] < 50000
    # 61 Cyg A: K5V at 3.5 pc; a blackbody fit gives about 4,000 K, 0.15 L_sun, 0.7 R_sun.
    assert 3500 < cyg["teff"] < 4800
    assert 0.05 < cyg["luminosity"] < 0.4 and 0.5 < cyg["radius"] < 0.9


@pytest.mark.usefixtures("no_network")
def test_star_without_gaia_has_null_source_id_and_no_gaia_bands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, (vega, sirius), _ = _star_json(capsys, "alf Lyr", "HD 48915")
    assert code == 0
    for star in (vega, sirius):
        assert star["source_id"] is None  # the catalogue key is -hip: no Gaia counterpart
        assert star["bands"] and not {"G", "BP", "RP"} & set(star["bands"])
        assert "Hp" in star["bands"] and "V" in star["bands"]
    assert sirius["name"] == "Sirius"


@pytest.mark.usefixtures("no_network")
def test_unknown_name_exits_2_after_the_whole_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, stars, err = _star_json(capsys, "Betelguese", "Vega", "Not A Star", "HIP 999999")
    assert code == 2
    assert [s["query"] for s in stars] == ["Betelguese", "Vega", "Not A Star", "HIP 999999"]
    assert list(stars[0]) == ["query", "error"]
    assert "Betelgeuse" in stars[0]["error"]  # the suggestion
    assert list(stars[1]) == CONTRACT_KEYS
    assert "error" in stars[2] and "error" in stars[3]
    assert len(err.strip().splitlines()) == 1 and err.startswith("sedviz star: error:")


@pytest.mark.usefixtures("no_network")
def test_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["star", "--catalog", str(BRIGHT), "Betelgeuse", "61 Cyg B", "Sirus"])
    out, err = capsys.readouterr()
    assert code == 2
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["query", "name", "HIP"]
    assert lines[1].startswith("Betelgeuse") and "27989" in lines[1] and "M2Ib" in lines[1]
    assert lines[2].startswith("61 Cyg B") and "104217" in lines[2]
    assert "not found" in lines[3] and "did you mean Sirius?" in out
    assert lines[1].index("27989") == lines[2].index("104217")  # aligned columns
    assert "Sirius" in err


def test_domain_note_is_empty_not_null_for_a_star_in_the_domain() -> None:
    facts = pd.Series({"hip": 1, "source_id": 5, "in_domain": True, "domain_note": ""})
    record = star_record("HIP 1", "HIP 1", facts)
    assert (record["in_domain"], record["domain_note"]) == (True, "")
    assert record["source_id"] == 5 and record["teff"] is None
    facts = pd.Series({"hip": 1, "source_id": -1, "in_domain": None, "domain_note": None})
    record = star_record("HIP 1", "HIP 1", facts)
    assert (record["in_domain"], record["domain_note"], record["source_id"]) == (None, None, None)


def test_domain_columns_are_read_when_the_classifier_gives_them() -> None:
    bare = domain_frame(pd.DataFrame({"predicted_class": ["A"]}))
    assert bare.to_dict("records") == [{"in_domain": None, "domain_note": None}]
    flagged = pd.DataFrame({"in_domain": [False], "domain_note": ["fainter than training"]})
    assert domain_frame(flagged).to_dict("records") == flagged.to_dict("records")


@pytest.mark.slow  # a subprocess or a whole page run: not for the edit-test loop
def test_the_command_runs_as_a_module() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "sedviz", "star", "--catalog", str(BRIGHT), "--json"]
    done = subprocess.run(
        [*cmd, "61 Cygni", "Polarus"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2
    stars = json.loads(done.stdout)
    assert stars[0]["hip"] == 104214 and "Polaris" in stars[1]["error"]
    assert done.stderr.count("\n") == 1


@pytest.mark.usefixtures("no_network")
def test_the_embedded_catalogue_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["star", "--json", "Sirius", "α Ori", "61 Cygni B", "HR 7001"])
    stars = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [s["hip"] for s in stars] == [32349, 27989, 104217, 91262]
    assert [s["name"] for s in stars] == ["Sirius", "Betelgeuse", "61 Cyg B", "Vega"]
    assert stars[0]["source_id"] is None and "G" not in stars[0]["bands"]
    assert stars[2]["source_id"] == 1872046574983497216 and "G" in stars[2]["bands"]
    assert stars[1]["teff"] < 4000 < stars[0]["teff"]  # a red supergiant, then an A dwarf


@pytest.mark.usefixtures("no_network")
def test_a_star_without_any_colour_gets_nulls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = pd.read_csv(BRIGHT, comment="#").query("hip == 91262")
    bands = [
        "hp_mag",
        "bt_mag",
        "vt_mag",
        "b_v",
        "v_i",
        "u_b",
        "phot_bp_mean_mag",
        "phot_rp_mean_mag",
    ]
    path = tmp_path / "bare.csv"
    bare.assign(**{b: float("nan") for b in bands}).to_csv(path, index=False)
    code = main(["star", "--catalog", str(path), "--json", "Vega"])
    (vega,) = json.loads(capsys.readouterr().out)
    assert code == 0 and vega["hip"] == 91262 and vega["bands"] == ["V"]
    assert vega["sp_class_predicted"] is None and vega["sp_class_probability"] is None
    assert vega["teff"] is None and vega["luminosity"] is None


def test_text_table_does_not_present_an_out_of_domain_probability_as_confident() -> None:
    from sedviz.cli.star import format_star_table

    record = {
        "query": "Betelgeuse", "name": "Betelgeuse", "hip": 27989, "sp_type": "M2Ib",
        "sp_class_predicted": "M", "sp_class_probability": 0.99, "lum_class_predicted": "I-II",
        "lum_class_probability": 0.97, "in_domain": False, "domain_note": "farther than the "
        "training stars", "teff": 2741.0, "luminosity": 9.4e4, "radius": 1.4e3, "bands": ["V"],
    }  # fmt: skip
    text = format_star_table([record])
    assert "0.99" not in text and "0.97" not in text
    assert "uncertain" in text.splitlines()[1]
    assert "Betelgeuse: uncertain: outside what the model learned (farther" in text
    inside = format_star_table([record | {"in_domain": True, "domain_note": ""}])
    assert "0.99" in inside and "uncertain" not in inside
