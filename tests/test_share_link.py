"""A copied link reopens the subset (box or lasso) and the session's model, or says why not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sedviz.views.hr import hr_frame
from sedviz.views.share import compute_region_rows, decode_region
from tests.test_pages_dashboard import (  # noqa: F401  (fixtures)
    models,
    models_root,
    no_models,
    open_page,
    select_on_chart,
    star_with_parallax,
    texts,
)

BOX = {"xref": "x", "yref": "y", "x": [0.85, 1.9], "y": [-3.5, 2.6]}


def _param(at: object, key: str) -> str:
    value = at.query_params[key]  # type: ignore[attr-defined]
    return value[0] if isinstance(value, list) else str(value)


@pytest.mark.slow  # a subprocess or a whole page run: not for the edit-test loop
def test_box_goes_into_the_link_and_the_link_restores_it(
    models: Path,  # noqa: F811
    catalog: pd.DataFrame,
) -> None:
    at = open_page("hr_diagram")
    rows = [star_with_parallax(catalog, i)[0] for i in range(30)]
    select_on_chart(at, {"points": [{"customdata": [r, 0, 0]} for r in rows], "box": [BOX]})
    link = _param(at, "sel")
    assert link == "box:cmd:0.85,1.9,-3.5,2.6"
    # A classmate opens the link: the stars inside the box, not the 30 points sent.
    friend = open_page("hr_diagram", {"sel": link})
    ids = friend.session_state["sedviz.subset_ids"]
    expected = compute_region_rows(hr_frame(catalog), decode_region(link))
    assert len(ids) == len(expected) > 20_000
    assert set(ids) == set(catalog["source_id"].to_numpy()[expected].tolist())
    assert f"{len(ids):,}" in [m.value for m in friend.metric]
    assert "from a link" in friend.session_state["sedviz.subset_label"]
    assert _param(friend, "sel") == link  # and passes it on


def test_points_picked_one_by_one_cannot_travel_and_the_sidebar_says_so(
    models: Path,  # noqa: F811
    catalog: pd.DataFrame,
) -> None:
    at = open_page("hr_diagram")
    rows = [star_with_parallax(catalog, i)[0] for i in range(3)]
    select_on_chart(at, {"points": [{"customdata": [r, 0, 0]} for r in rows]})
    assert len(at.session_state["sedviz.subset_ids"]) == 3
    assert "sel" not in at.query_params
    assert any("cannot go into a link" in c for c in texts(at.sidebar, "caption"))


def test_bad_subset_in_a_link_is_explained(models: Path) -> None:  # noqa: F811
    at = open_page("stars", {"sel": "box:cmd:1,2,oops,4"})
    assert (
        "sedviz.subset_ids" not in at.session_state or at.session_state["sedviz.subset_ids"] is None
    )
    assert any("could not be restored" in w for w in texts(at, "warning"))


def test_link_carries_the_session_model_and_refuses_an_unknown_one(
    models: Path,  # noqa: F811
) -> None:
    at = open_page("stars", {"model_sp_class": "no-such-model"})
    assert any("does not have" in w and "no-such-model" in w for w in texts(at, "warning"))
    assert "model_sp_class" not in at.query_params  # back on the server's model
    other = "class-sp_class"  # a model kept by the session, beside the default
    if not (models / other).exists():
        shutil.copytree(models / "default-sp_class", models / other)
        card = json.loads((models / other / "card.json").read_text())
        (models / other / "card.json").write_text(json.dumps(card | {"name": other}))
    at = open_page("about", {"model_sp_class": other})
    assert at.session_state["sedviz.models"]["sp_class"] == other
    assert _param(at, "model_sp_class") == other


def test_presentation_mode_from_the_link(models: Path) -> None:  # noqa: F811
    at = open_page("hr_diagram", {"present": "1"})
    assert at.session_state["sedviz.presentation"] is True
    assert _param(at, "present") == "1"
    assert not any("Each dot is a star" in c for c in texts(at, "caption"))  # in the tooltip
    assert len(at.get("plotly_chart")) == 1
    assert np.isfinite(len(at.title))
