"""Finding one star from what a user types."""

from __future__ import annotations

import pandas as pd
import pytest

from sedviz import columns as C
from sedviz.catalog.lookup import find_star_row, row_of_id
from sedviz.catalog.names import StarNameError


def test_ids_numbers_and_names(small_catalog: pd.DataFrame, catalog: pd.DataFrame) -> None:
    star = small_catalog.iloc[7]
    row = find_star_row(small_catalog, f"HIP {int(star[C.HIP])}")
    assert row == 7
    assert find_star_row(small_catalog, str(int(star[C.HIP]))) == 7
    assert find_star_row(small_catalog, f"Gaia DR3 {int(star[C.SOURCE_ID])}") == 7
    assert find_star_row(small_catalog, str(int(star[C.SOURCE_ID]))) == 7
    # Sirius saturates Gaia, but every Hipparcos star is a row (source_id = -hip).
    sirius = find_star_row(catalog, "Sirius")
    assert sirius is not None and catalog.iloc[sirius][C.HIP] == 32349
    near = small_catalog.iloc[[3]].assign(ra=101.28716, dec=-16.71612)  # a star placed there
    assert find_star_row(near, "alf CMa") == 0
    assert row_of_id(small_catalog, int(star[C.SOURCE_ID])) == 7
    assert row_of_id(small_catalog, None) is None


def test_unknown_and_hostile_text(small_catalog: pd.DataFrame) -> None:
    assert find_star_row(small_catalog, "HIP 999999") is None
    with pytest.raises(StarNameError):
        find_star_row(small_catalog, "Not A Real Star Name")
    with pytest.raises(StarNameError):
        find_star_row(small_catalog, "'; DROP TABLE stars; --")


def test_chosen_template_types_are_labelled_templates(catalog: pd.DataFrame) -> None:
    from sedviz.views.star import TEMPLATE_CHOICES, build_sed_view

    assert len(TEMPLATE_CHOICES) == 13
    view = build_sed_view(catalog, 100, "", extra_types=("G2V", "WC8", "K5V"))
    labels = [label for label, _ in view.templates]
    assert [lab for lab in labels if "chosen" in lab] == ["G2V, chosen", "K5V, chosen"]
