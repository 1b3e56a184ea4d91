"""The glossary, plain feature names, the reason in words and the About page's card excerpts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sedviz.catalog.card import card_paragraph, card_section
from sedviz.catalog.tables import CATALOG_CARD_PATH
from sedviz.classifier.explain import StarExplanation, describe_clue, reason_in_words
from sedviz.classifier.features import FEATURE_LABELS, FEATURE_NAMES, PLAIN_FEATURE_LABELS
from sedviz.glossary import GLOSSARY, glossary_frame, help_text
from sedviz.plots.explain import compute_waterfall_frame, waterfall_range, wrap_label

#: Terms issue 18 names as shown without explanation.
ISSUE_TERMS = ("log-odds", "SHAP", "macro-F1", "ECE", "χ²/dof", "parallax S/N", "|sin b|",
               "reduced proper motion H_G", "id hash", "λFλ", "phot_g_mean_mag")  # fmt: skip


@pytest.mark.parametrize("term", ISSUE_TERMS)
def test_every_term_the_issue_names_is_explained(term: str) -> None:
    text = help_text(term)
    assert len(text) > 40 and text[0].isupper() and text.endswith(".")


def test_unknown_term_fails_loudly_and_frame_is_sorted() -> None:
    with pytest.raises(KeyError):
        help_text("no such term")
    frame = glossary_frame()
    assert len(frame) == len(GLOSSARY)
    assert frame["term"].str.lower().is_monotonic_increasing


def test_every_feature_has_a_plain_name_that_keeps_its_symbol() -> None:
    assert set(PLAIN_FEATURE_LABELS) == set(FEATURE_NAMES)
    for name in FEATURE_NAMES:
        plain = PLAIN_FEATURE_LABELS[name]
        assert plain != name and "_" not in plain.split("(")[0], plain
        assert FEATURE_LABELS[name].split()[0] in plain or name in (
            "reduced_pm_g",
            "reduced_pm_v",
        ), plain
    assert PLAIN_FEATURE_LABELS["bp_rp"] == "colour BP−RP"
    assert PLAIN_FEATURE_LABELS["abs_g"] == "how bright it really is (M_G)"


def _explanation(rows: list[tuple[str, float, float]], label: str = "M") -> StarExplanation:
    frame = pd.DataFrame(rows, columns=["feature", "value", "shap"])
    frame["label"] = frame["feature"].map(FEATURE_LABELS)
    return StarExplanation(label, 0.93, -1.0, float(frame["shap"].sum()) - 1.0, frame)


def test_reason_in_words_names_colour_and_class() -> None:
    text = reason_in_words(_explanation([("bp_rp", 2.21, 2.0), ("abs_g", 9.1, 0.5)]))
    assert text == (
        "Its red colour (BP−RP 2.21) is typical of M stars, and so is its low true "
        "brightness (M_G 9.10) (p = 0.93)."
    )


def test_reason_never_gives_a_missing_band_or_a_push_away() -> None:
    rows = [("g_ks", np.nan, 3.0), ("abs_g", -0.5, -1.0), ("bp_rp", 1.2, 0.8), ("v_i", 1.3, 0.2)]
    text = reason_in_words(_explanation(rows, "III"))
    assert text.startswith("Its orange colour (BP−RP 1.20, V−I 1.30) is typical of giants (III)")
    assert "G−Ks" not in text and "M_G" not in text
    nothing = reason_in_words(_explanation([("g_ks", np.nan, 1.0), ("bp_rp", 0.3, -0.2)], "A"))
    assert nothing.startswith("No single measured clue points to A stars")


@pytest.mark.parametrize(
    ("feature", "value", "word"),
    [("bp_rp", -0.2, "blue"), ("bp_rp", 0.6, "yellowish-white"), ("b_v", 0.65, "yellow"),
     ("abs_g", -3.0, "very high"), ("abs_g", 3.0, "moderate")],
)  # fmt: skip
def test_describe_clue_words(feature: str, value: float, word: str) -> None:
    assert f"its {word} " in describe_clue(feature, value)


def test_waterfall_uses_plain_names_and_leaves_room_for_values() -> None:
    rows = [(f, 0.5, 0.1 * (i + 1)) for i, f in enumerate(FEATURE_NAMES[::-1][:12])]
    steps = compute_waterfall_frame(_explanation(rows), top=8)
    assert steps["label"].iloc[-1] == "4 other clues"
    assert any("how far from the Milky Way" in s.replace("<br>", " ") for s in steps["label"])
    assert all(len(line) <= 40 for label in steps["label"] for line in label.split("<br>"))
    low, high = waterfall_range([0.0, 1.0, -2.0])
    assert low < -2.0 - 0.5 and high > 1.0 + 0.5
    assert wrap_label("short") == "short"


def test_about_reads_sources_and_limits_from_the_data_card() -> None:
    card = CATALOG_CARD_PATH.read_text(encoding="utf-8")
    sources = card_section(card, "Sources and credits")
    assert "Hipparcos main catalogue" in sources and "Gaia DR3" in sources
    assert "## " not in sources and "Tycho-2" not in sources
    assert card_paragraph(card, "Known limits:").startswith("Known limits:")
    assert "no infrared photometry" in card_paragraph(card, "Known limits:")
    assert card_section(card, "No such heading") == "" and card_paragraph(card, "Nope:") == ""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "text"),
        (b"source_id,name\n1,Vega\n2,Alpha, Centauri\n", "line 3"),
        (b"", "empty"),
    ],
)
def test_unreadable_uploads_are_explained_without_codec_names(data: bytes, words: str) -> None:
    from sedviz.archive import ArchiveInputError
    from sedviz.archive.inputs import parse_source_list

    with pytest.raises(ArchiveInputError) as info:
        parse_source_list(data)
    message = str(info.value)
    assert words in message
    assert "codec" not in message and "0x" not in message and "position" not in message


def test_too_large_upload_says_megabytes() -> None:
    from sedviz.archive import ArchiveInputError
    from sedviz.archive.inputs import parse_source_list
    from sedviz.tableio import MAX_UPLOAD_BYTES

    with pytest.raises(ArchiveInputError, match=r"\d+\.\d MB.* \d+ MB"):
        parse_source_list(b"source_id\n" + b"1\n" * (MAX_UPLOAD_BYTES // 2 + 10))


def test_ids_are_shown_as_exact_text(catalog: pd.DataFrame) -> None:
    from sedviz.views.display import ids_as_text

    head = catalog.head(50)
    shown = ids_as_text(head)
    assert shown["source_id"].tolist() == [str(int(v)) for v in head["source_id"]]
    assert head["source_id"].dtype.kind == "i"  # the input is left alone
    assert ids_as_text(pd.DataFrame({"g": [1.0]})).equals(pd.DataFrame({"g": [1.0]}))


def test_waterfall_row_of_absent_bands_is_named_without_a_value() -> None:
    from sedviz.classifier.explain import MISSING_BANDS, MISSING_BANDS_LABEL

    explanation = _explanation([("bp_rp", 2.21, 2.0), (MISSING_BANDS, np.nan, 0.3)])
    explanation.frame.loc[1, "label"] = MISSING_BANDS_LABEL
    labels = compute_waterfall_frame(explanation, top=8)["label"].tolist()
    assert labels[1] == MISSING_BANDS_LABEL  # not "bands not measured = missing"
    assert labels[0].endswith("= 2.21")
