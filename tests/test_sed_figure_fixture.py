"""The SED figures the app sends are exactly those recorded before the speed-ups (#18.12).

``tests/data/sed/figures.json`` holds, for a few stars and both variants (the HR page's
compact figure, the SED page's full one), the frozen figure's JSON as the browser receives
it, the SED points and the fit row, written by ``scripts/make_sed_figure_fixture.py`` with
the code before the figure was built from plain dicts. Any change to a trace, the layout,
the template, a hover text or a number shows up here as the first differing path.

One difference is intended, and only that one is ignored: the old compact figures (no
title) carried an empty ``layout.title`` (``{}``), left by Plotly when the old code read the
property; the figure built in one ``go.Figure`` call leaves it out. plotly.js draws no
title either way (an empty title object is all defaults, and the default text is empty).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.sed_figure_cases import CASES, FIXTURE, SedCase, build_record


@pytest.fixture(scope="module")
def recorded() -> dict[str, dict[str, Any]]:
    return {record["case"]: record for record in json.loads(FIXTURE.read_text())}


def first_difference(old: Any, new: Any, path: str = "") -> str | None:
    """The path of the first difference between two JSON values (None: equal)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in old or key not in new:
                return f"{path}/{key}: only in {'new' if key in new else 'old'}"
            found = first_difference(old[key], new[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return f"{path}: {len(old)} items before, {len(new)} now"
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    if type(old) is not type(new) or old != new:
        return f"{path}: {old!r} before, {new!r} now"
    return None


def test_fixture_covers_every_case(recorded: dict[str, dict[str, Any]]) -> None:
    assert list(recorded) == [case.name for case in CASES]


def without_empty_title(record: dict[str, Any]) -> dict[str, Any]:
    """*record* without an empty ``layout.title`` (the one intended difference, see above)."""
    layout = record["figure"]["layout"]
    if layout.get("title") != {}:
        return record
    kept = {key: value for key, value in layout.items() if key != "title"}
    return {**record, "figure": {**record["figure"], "layout": kept}}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_sed_figure_is_unchanged(case: SedCase, recorded: dict[str, dict[str, Any]]) -> None:
    new = json.loads(json.dumps(build_record(case)))  # the same JSON types as the fixture
    old = without_empty_title(recorded[case.name])
    assert first_difference(old, without_empty_title(new)) is None


def test_first_difference_finds_a_changed_hover_text(recorded: dict[str, dict[str, Any]]) -> None:
    """The comparison itself can fail: one character of one hover text is enough."""
    old = recorded[CASES[0].name]
    new = json.loads(json.dumps(old))
    text = old["figure"]["data"][0]["text"][0]
    new["figure"]["data"][0]["text"][0] = text + " "
    assert (
        first_difference(old, new)
        == f"/figure/data[0]/text[0]: {text!r} before, {text + ' '!r} now"
    )
    assert first_difference(old, old) is None


def test_only_an_empty_title_is_ignored(recorded: dict[str, dict[str, Any]]) -> None:
    compact = recorded["Vega compact"]
    assert compact["figure"]["layout"]["title"] == {}  # as the old code left it
    assert "title" not in without_empty_title(compact)["figure"]["layout"]
    full = recorded["Vega full"]
    assert without_empty_title(full) == full  # a real title is compared
