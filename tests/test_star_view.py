"""One star's view: template labels by luminosity class, the named-star gallery, the domain flag."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.classifier.targets import PREDICTED_CLASS, PREDICTED_PROBABILITY
from sedviz.views.star import (
    PLEIADES,
    build_sed_view,
    domain_sentence,
    gallery_frame,
    prediction_sentence,
    probabilities_frame,
    star_facts_frame,
    template_label,
)


def _row_of_hip(catalog: pd.DataFrame, hip: int) -> int:
    return int(np.flatnonzero(catalog[C.HIP].to_numpy() == hip)[0])


def test_giant_gets_dwarf_template_labelled_so(catalog: pd.DataFrame) -> None:
    """Alcyone is B7III: its template is a dwarf, never "B7V, catalogued type"."""
    view = build_sed_view(catalog, _row_of_hip(catalog, 17702), "A")
    labels = [label for label, _ in view.templates]
    assert labels[0].startswith("B7V: dwarf of the same type: no giant template")
    assert "predicted class A" in labels[1] and "no giant template" in labels[1]
    assert not any(label.startswith("B7V, catalogued type") for label in labels)


def test_template_label_by_luminosity_class() -> None:
    assert template_label("G2", "V", "catalogued type") == "G2V, catalogued type"
    assert "no supergiant template" in template_label("M3", "I", "catalogued type")
    assert "no subgiant template" in template_label("F5", "IV", "catalogued type")
    assert "not catalogued" in template_label("K0", "", "catalogued type")


def test_gallery_offers_pleiades_and_orion_found_in_table(catalog: pd.DataFrame) -> None:
    gallery = gallery_frame(catalog)
    pleiades = gallery[gallery["group"] == "The Pleiades"]
    assert set(pleiades["label"]) == set(PLEIADES)  # all nine are in the catalogue
    for label, row in zip(pleiades["label"], pleiades["row"], strict=True):
        assert int(catalog[C.HIP].iloc[row]) == PLEIADES[label]
    orion = gallery.loc[gallery["group"] == "Orion", "label"]
    assert len(orion) == 10 and {"Betelgeuse", "Rigel", "Mintaka", "Saiph"} <= set(orion)
    famous = set(gallery.loc[gallery["group"] == "Famous stars", "label"])
    assert {"Vega", "Sirius", "Betelgeuse", "Polaris"} <= famous


def test_gallery_uses_names_and_constellation_when_the_catalogue_has_them(
    catalog: pd.DataFrame,
) -> None:
    table = catalog.iloc[:300].copy()
    table["proper_name"] = ""
    table["constellation"] = "Tau"
    table["bayer"] = ""
    table.loc[table.index[[5, 9, 11]], "constellation"] = "Ori"
    table.loc[table.index[9], "proper_name"] = "Testar"
    orion = gallery_frame(table).query("group == 'Orion'")
    assert len(orion) == 3
    assert orion["row"].map(lambda r: table[C.V_MAG].iloc[r]).is_monotonic_increasing
    assert "Testar" in set(orion["label"])
    assert build_sed_view(table, 9).title.startswith(f"Testar (HIP {table[C.HIP].iloc[9]}) · ")


def test_out_of_domain_probability_not_presented_as_confident() -> None:
    inside = pd.Series({PREDICTED_CLASS: "K", PREDICTED_PROBABILITY: 0.93, "in_domain": True})
    outside = inside.copy()
    outside["in_domain"] = False
    outside["domain_note"] = "fainter than the training stars"
    assert prediction_sentence(inside, "spectral class") == "Predicted spectral class: K (p = 0.93)"
    text = prediction_sentence(outside, "spectral class")
    assert "uncertain" in text and "fainter than the training stars" in text
    assert "(p = 0.93)" not in text
    assert domain_sentence(inside) == "" and "outside" in domain_sentence(outside)
    # Predictions without the columns (older models) count as inside.
    assert domain_sentence(pd.Series({PREDICTED_CLASS: "K", PREDICTED_PROBABILITY: 0.5})) == ""


def test_facts_show_domain_and_stars_without_gaia(catalog: pd.DataFrame) -> None:
    star = catalog.iloc[[0]].copy()
    star[C.SOURCE_ID] = -star[C.HIP]
    star[[C.G_MAG, C.BP_MAG, C.RP_MAG]] = np.nan
    prediction = pd.Series({"in_domain": False, "domain_note": "a band set it never saw"})
    facts = star_facts_frame(star, 0, None, prediction).set_index("quantity")["value"]
    assert facts["name"] == f"HIP {star[C.HIP].iloc[0]}"
    assert facts["Gaia DR3 source_id"] == "none (not measured by Gaia)"
    assert facts["V magnitude"] != "—" and facts["G magnitude"] == "—"
    assert facts["model's domain"] == "outside: a band set it never saw"


@pytest.mark.parametrize(
    ("classes", "order"),
    [(("A", "B", "F", "G", "K", "M", "O"), ["O", "B", "A", "F", "G", "K", "M"]),
     (("I-II", "III", "IV", "V"), ["I-II", "III", "IV", "V"])],
)  # fmt: skip
def test_probabilities_in_physical_order(classes: tuple[str, ...], order: list[str]) -> None:
    prediction = pd.Series({f"prob_{c}": 0.1 for c in classes})
    assert probabilities_frame(prediction, classes)["class"].tolist() == order
