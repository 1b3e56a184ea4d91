"""Plain-words explanations of every technical term the dashboard shows: one home.

Tooltips (``help=`` of Streamlit widgets, headers and metrics) and the glossary
section of the About page read the same entries, so a term is explained once
and the same way everywhere. Pure data, no Streamlit.

Examples
--------
>>> help_text("SHAP").startswith("How much")
True
>>> "log-odds" in glossary_frame()["term"].tolist()
True
"""

from __future__ import annotations

from typing import Final

import pandas as pd

#: term as shown in the app -> what it means, for a student (one or two sentences).
GLOSSARY: Final[dict[str, str]] = {
    "SED": "Spectral energy distribution: how much light a star gives at each wavelength, "
    "from blue to infrared. Hot stars peak in the blue, cool stars in the red.",
    "λFλ": "The height of the SED: wavelength times the flux per unit wavelength "
    "(erg s⁻¹ cm⁻²). Plotted this way, the peak shows where the star gives most energy.",
    "blackbody": "The glow of an ideal hot object. Its shape depends only on its temperature, "
    "so fitting one to a star's SED estimates the star's temperature.",
    "χ²/dof": "How well the blackbody fits the measured points: about 1 is a good fit, "
    "much larger means the star's light is not blackbody-like (or a band is off).",
    "Teff": "Effective temperature, in kelvin (K): the temperature of the blackbody that "
    "gives the star's light. The Sun: about 5,800 K.",
    "L☉": "Luminosity in units of the Sun's: how much light the star gives in total.",
    "magnitude": "Astronomers' brightness scale: smaller is brighter, and 5 magnitudes "
    "are a factor 100 in brightness.",
    "phot_g_mean_mag": "Gaia's G magnitude (its column name in the Gaia archive): the "
    "star's brightness in Gaia's broad white-light band. Likewise phot_bp_mean_mag (blue) "
    "and phot_rp_mean_mag (red).",
    "BP−RP": "Gaia colour: blue-band magnitude minus red-band magnitude. Small or negative "
    "means a blue (hot) star, above 1.5 a red (cool) one.",
    "M_G": "Absolute G magnitude: how bright the star would look from 10 parsecs, so how "
    "bright it really is. It needs the distance, from the parallax.",
    "parallax": "The tiny yearly shift of a star's position as the Earth goes round the "
    "Sun, in milliarcseconds (mas). Distance in parsecs = 1000 / parallax in mas.",
    "parallax S/N": "Parallax divided by its error (signal to noise): how sure the distance "
    "is. 5 or more (at most 20 % error) counts as a good parallax here.",
    "reduced proper motion H_G": "How fast a star crosses the sky, combined with how bright "
    "it looks. Nearby faint dwarfs move fast, distant giants slowly: a rough stand-in for "
    "the distance when there is no good parallax.",
    "|sin b|": "How far from the band of the Milky Way the star appears (b is the Galactic "
    "latitude): 0 in the band, 1 at its poles. Young, hot stars crowd near the band.",
    "HR diagram": "Hertzsprung–Russell diagram: colour (or temperature) across, true "
    "brightness up. Most stars lie on the main sequence; giants sit above it.",
    "spectral class": "The letter O B A F G K M given from a star's spectrum, hottest (O) to "
    "coolest (M).",
    "luminosity class": "Roman numeral for a star's size at a given temperature: I-II "
    "supergiants and bright giants, III giants, IV subgiants, V dwarfs (main sequence).",
    "SHAP": "How much each clue (feature) pushed the model's score for a class up or down "
    "for one star (SHapley Additive exPlanations). The pushes add up to the final score.",
    "log-odds": "The model's score for a class before it becomes a probability: 0 is even "
    "odds, each +1 makes the class about 2.7 times more likely than the others.",
    "probability (p)": "How sure the model is of its answer, from 0 to 1, summed over the "
    "classes to 1.",
    "feature": "A number the model looks at, such as a colour or the true brightness.",
    "accuracy": "The share of held-out stars (not used for training) whose class the model "
    "got right.",
    "balanced accuracy": "Accuracy averaged over the classes, so a rare class (O, M) counts "
    "as much as a common one (K, F).",
    "macro-F1": "A score from 0 to 1 that averages, over the classes, how many of a class "
    "the model finds and how many of its answers are right; every class counts the same.",
    "ECE": "Expected calibration error: how far the model's probabilities are from how "
    "often it is really right (a model saying 0.8 should be right 8 times in 10). "
    "Lower is better.",
    "confusion matrix": "A table of catalogued class against predicted class: the diagonal "
    "holds the stars the model got right.",
    "id hash": "A short fingerprint of the list of stars a model was trained on: two models "
    "with the same id hash learned from exactly the same stars.",
    "source_id": "Gaia DR3's identifier of a star: a 19-digit number, shown as text.",
    "HIP": "The star's number in the Hipparcos catalogue.",
    "template": "The mean colours of typical dwarf stars of a type (Pecaut & Mamajek), "
    "scaled to the star: a comparison, not a measurement.",
    "subset": "The stars you picked with a box or lasso on the HR diagram; the other pages "
    "then work on them.",
}


def help_text(term: str) -> str:
    """Return the plain explanation of *term* (a key of :data:`GLOSSARY`).

    Raises
    ------
    KeyError
        If the term has no entry: every term shown must be explained here.
    """
    return GLOSSARY[term]


def glossary_frame() -> pd.DataFrame:
    """Return the glossary as a two-column table (``term``, ``meaning``), sorted by term."""
    frame = pd.DataFrame(list(GLOSSARY.items()), columns=["term", "meaning"])
    return frame.sort_values("term", key=lambda s: s.str.lower(), ignore_index=True)
