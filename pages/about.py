"""About: how sedviz works (for a class), the models, where the stars come from, a glossary."""

import streamlit as st

from sedviz.catalog.card import card_paragraph, card_section
from sedviz.catalog.tables import CATALOG_CARD_PATH
from sedviz.classifier.cards import model_card_frame, per_class_frame
from sedviz.classifier.registry import ModelError, load_card
from sedviz.classifier.targets import TARGETS
from sedviz.glossary import glossary_frame
from sedviz.ui import context
from sedviz.ui import state as S
from sedviz.ui.presentation import page_header
from sedviz.ui.routing import require_app_router

require_app_router()

page_header("About sedviz", "How the app sorts stars, where the stars come from, and who to thank.")

st.header("How it works, for a class")
st.markdown(
    """
1. **Light in many colours.** Telescopes measured how bright each star is through
   different filters, from blue light to infrared: Gaia, Hipparcos and Tycho for the
   built-in stars (2MASS and WISE infrared too, for stars fetched from the archive).
2. **The spectral energy distribution (SED).** Put those brightnesses side by side
   by wavelength and you get the star's *SED*. Hot stars shine most in blue, cool
   stars in red and infrared. The SED page fits a *blackbody*, the glow of an ideal
   hot object, whose peak gives the temperature.
3. **The HR diagram.** Colour across, true brightness up (from the distance, measured
   by the parallax). Most stars sit on the *main sequence*; giants are above it.
4. **A computer learns the classes.** Astronomers gave about 100,000 of these stars a
   spectral class (O B A F G K M, hottest first) and a luminosity class (dwarf,
   giant...). A machine-learning model (XGBoost, many small decision trees) learned
   to guess the classes from the colours and brightness alone.
5. **Why that class?** The Explain page shows which clues pushed the model towards its
   answer (SHAP values): usually the colours, for the spectral class, and the true
   brightness, for the luminosity class.
6. **Try it.** Select a group on the HR diagram and retrain the model on it: does it
   still work on the other stars?
"""
)

st.header("The models", anchor=False)
st.caption("Accuracy, macro-F1 and calibration error are explained in the glossary below.")
for target in TARGETS:
    name = S.get_model_name(target)
    st.subheader(context.TARGET_LABELS[target].capitalize(), anchor=False)
    try:
        card = load_card(name)
    except ModelError as exc:
        st.info(f"No model: {exc}", icon=":material/model_training:")
        continue
    left, right = st.columns([1, 1])
    left.dataframe(model_card_frame(card), hide_index=True)
    right.dataframe(per_class_frame(card), hide_index=True)

# Read from the data card, not restated: the card is written with the catalogue.
card_text = CATALOG_CARD_PATH.read_text(encoding="utf-8")
st.header("Where the built-in stars come from", anchor=False)
st.markdown(card_section(card_text, "Sources and credits"))
limits = card_paragraph(card_text, "Known limits:")
if limits:
    st.info(f"**What the built-in catalogue lacks.** {limits.removeprefix('Known limits:')}")
with st.expander("The whole data card: join rules, counts, columns", expanded=False):
    st.markdown(card_text)

st.header("Glossary", anchor=False)
st.markdown("\n".join(f"- **{r.term}**: {r.meaning}" for r in glossary_frame().itertuples()))

st.header("Credits", anchor=False)
st.markdown(
    """
- The built-in catalogue: the sources in the table above (Hipparcos, Gaia DR3).
- For live archive queries only: **Gaia DR3** through the ESA Gaia archive,
  **2MASS** (Skrutskie et al. 2006) and **AllWISE** (Cutri et al. 2013) infrared photometry,
  **SIMBAD** and the **CDS** Strasbourg (Wenger et al. 2000) for names and spectral types.
- Colours and temperatures of typical stars (the SED templates): **Pecaut & Mamajek**
  (2013, updated table).
- Software: XGBoost, SHAP, Streamlit, Plotly, Astropy, astroquery, pandas, NumPy.
"""
)
