"""Simulated stars from the Pecaut & Mamajek dwarf templates, in the catalogue's schema.

:func:`simulate_stars` draws N stars per class letter: a type uniform in
subclass over the letter's template range, an apparent G magnitude (which
fixes the distance), an extinction A_V from a chosen distribution reddening
every band with a named ``dust_extinction`` law, per-band photometric noise
that grows with magnitude as in the embedded catalogue, a noisy parallax, and
bands missing at chosen rates. The same seed gives the same table.

The result uses the catalogue's column names and passes
:func:`sedviz.catalog.tables.validate_star_table`, so the classifier reads it like real
stars; it carries :data:`SIMULATED` = True on every row, ``sp_type_source`` =
``"simulated"``, ``parallax_source`` = ``"simulated"``, identifiers above
:data:`SIM_ID_OFFSET` (no Gaia DR3 ``source_id`` is that large) and no sky
position, proper motion or Hipparcos Hp (the templates have no Hp colour).
Only dwarfs (luminosity class V) exist: no giant-sequence table ships offline.

Examples
--------
>>> stars = simulate_stars(5, seed=1)
>>> len(stars), bool(stars["simulated"].all()), sorted(set(stars["sp_class"]))[:3]
(35, True, ['A', 'B', 'F'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import validate_star_table
from sedviz.sed.fit import compute_extinction_ratios
from sedviz.simulate.extinction import (
    GAIA_PASSBANDS,
    compute_band_extinction,
    compute_gaia_dr3_minus_dr2,
)
from sedviz.simulate.templates import (
    compute_companion_type,
    compute_template_abs_mags,
    compute_template_teff,
    compute_type_range,
)

#: Column marking simulated rows (bool); real tables lack it or hold False.
SIMULATED: Final = "simulated"
#: Simulated ``source_id`` values start here (above every Gaia DR3 identifier).
SIM_ID_OFFSET: Final = 9_000_000_000_000_000_000
SOURCE_SIMULATED: Final = "simulated"
AV_DISTRIBUTIONS: Final = ("exponential", "uniform", "distance", "disk", "none")
#: How band extinction is computed: law at the pivot wavelength, or integrated over the band.
EXTINCTION_METHODS: Final = ("pivot", "integrated")
_POGSON: Final = 2.5 / np.log(10.0)

#: Simulated bands: template band -> (magnitude column, error column, error kind).
#: B and I are written as the catalogue's colours ``b_v`` and ``v_i``.
BAND_COLUMNS: Final[dict[str, tuple[str, str | None]]] = {
    "BT": (C.BT_MAG, C.BT_MAG_ERROR),
    "VT": (C.VT_MAG, C.VT_MAG_ERROR),
    "V": (C.V_MAG, None),
    "B": (C.B_V, C.B_V_ERROR),
    "I": (C.V_I, C.V_I_ERROR),
    "G": (C.G_MAG, C.G_FLUX_OVER_ERROR),
    "BP": (C.BP_MAG, C.BP_FLUX_OVER_ERROR),
    "RP": (C.RP_MAG, C.RP_FLUX_OVER_ERROR),
    "J": (C.J_MAG, C.J_MAG_ERROR),
    "H": (C.H_MAG, C.H_MAG_ERROR),
    "Ks": (C.KS_MAG, C.KS_MAG_ERROR),
    "W1": (C.W1_MAG, C.W1_MAG_ERROR),
    "W2": (C.W2_MAG, C.W2_MAG_ERROR),
    "W3": (C.W3_MAG, C.W3_MAG_ERROR),
    "W4": (C.W4_MAG, C.W4_MAG_ERROR),
}
_GAIA_FLUX_ERRORS: Final = (C.G_FLUX_OVER_ERROR, C.BP_FLUX_OVER_ERROR, C.RP_FLUX_OVER_ERROR)
_SIM_BANDS: Final = tuple(BAND_COLUMNS)

#: Noise model per band: ``sigma(m) = hypot(floor, s10 * 10**(slope * (m - 10)))`` in mag,
#: with m the band's magnitude (V for the colours B-V and V-I). Tycho and colour
#: terms follow the median catalogue errors per magnitude bin of the embedded
#: catalogue; Gaia values are DR3 bright-star levels; 2MASS/WISE typical bright-star
#: errors.
NOISE_MODEL: Final[dict[str, tuple[float, float, float]]] = {
    "BT": (0.002, 0.025, 0.17),
    "VT": (0.002, 0.032, 0.18),
    "V": (0.010, 0.010, 0.10),
    "B": (0.005, 0.035, 0.17),
    "I": (0.010, 0.035, 0.15),
    "G": (0.003, 0.0, 0.0),
    "BP": (0.005, 0.0, 0.0),
    "RP": (0.005, 0.0, 0.0),
    "J": (0.025, 0.0, 0.0),
    "H": (0.025, 0.0, 0.0),
    "Ks": (0.025, 0.0, 0.0),
    "W1": (0.030, 0.0, 0.0),
    "W2": (0.030, 0.0, 0.0),
    "W3": (0.030, 0.0, 0.0),
    "W4": (0.050, 0.0, 0.0),
}

#: Default missing rates per column: as in the embedded catalogue (Tycho 0.3 %,
#: B-V and V-I 0.2 %), and all of 2MASS/WISE, which the catalogue lacks.
DEFAULT_MISSING_RATES: Final[dict[str, float]] = {
    C.BT_MAG: 0.003,
    C.VT_MAG: 0.003,
    C.B_V: 0.002,
    C.V_I: 0.002,
    **{BAND_COLUMNS[b][0]: 1.0 for b in ("J", "H", "Ks", "W1", "W2", "W3", "W4")},
}


@dataclass(frozen=True)
class SimulationSettings:
    """How stars are simulated (all magnitudes Vega, mag).

    Attributes
    ----------
    classes : tuple of str
        Class letters to simulate (each gets its own N).
    g_range_mag : (float, float)
        Apparent G range; G is drawn with density ``10**(g_slope_per_mag * G)``
        (0.6 would be a uniform-density volume; the catalogue is flatter).
    g_slope_per_mag : float
        See *g_range_mag*.
    av_distribution : str
        ``"exponential"`` (mean ``av_mag``), ``"uniform"`` (0 to ``av_mag``),
        ``"distance"`` (``av_mag`` per kpc of distance times an exponential
        clumpiness factor of mean 1, so distant luminous stars are the reddened
        ones), ``"disk"`` (the same, but the dust lies in an exponential layer
        of scale height ``dust_scale_height_pc`` and each star has a random
        Galactic latitude, uniform in sin b: A_V = rate x clump x h / |sin b| x
        (1 - exp(-d |sin b| / h)), the cosecant law, so reddening saturates
        for distant stars out of the plane) or ``"none"``.
    av_mag : float
        Scale of the A_V distribution: mag, or mag/kpc in the plane for
        ``"distance"`` and ``"disk"``.
    dust_scale_height_pc : float
        Scale height of the dust layer for ``"disk"`` (pc).
    av_extra_mag : float
        Mean of an extra exponential A_V (mag) added to every star on top of
        the chosen distribution, independent of its (dwarf) distance: the
        catalogue's stars of one type span a range of luminosities and so of
        distances (0: none).
    extinction_law, rv : str, float
        ``dust_extinction`` parameter-average law and R_V (see
        :func:`sedviz.sed.fit.compute_extinction_ratios`).
    extinction_method : str
        ``"pivot"``: A_band = A_V x the law at the band's pivot wavelength;
        ``"integrated"``: a blackbody at the star's template Teff integrated
        through the filter curve times the law
        (:func:`sedviz.simulate.extinction.compute_band_extinction`), so hot stars
        redden more per A_V than cool ones, as real ones do.
    gaia_dr3 : bool
        Move the templates' Gaia G, BP, RP (DR2 system) to DR3: add the
        synthetic DR3 - DR2 magnitude of a blackbody at the type's Teff through
        the two releases' ``speclite`` passbands
        (:func:`sedviz.simulate.extinction.compute_gaia_dr3_minus_dr2`).
    binary_fraction : float
        Fraction of stars with an unresolved main-sequence companion whose light
        adds to the primary's in every band; the label stays the primary's type.
    binary_q_min : float
        Companion mass ratio q = M2 / M1 is uniform on ``[binary_q_min, 1]``
        (masses from the template table's ``Msun``); companions below the
        table's lightest dwarf (M9.5V) add no light.
    noise_scale : float
        Multiplies every photometric sigma of :data:`NOISE_MODEL`.
    parallax_error_scale : float
        Multiplies the parallax error model ``1.35 * 10**(0.15 (G - 9.5))`` mas
        (the catalogue's median Hipparcos error per G bin), which also gets a
        log-normal star-to-star scatter of 0.25.
    sys_error_mag : float
        Extra per-star, per-band Gaussian scatter (mag) not included in the
        error columns: calibration offsets, variability, unresolved companions,
        and the spread of real stars around the *mean* colour sequence.
    type_scatter_subclass : float
        The photometry is drawn at the labelled type plus a Gaussian of this
        width (subclasses): MK types of real stars are uncertain by about one.
    missing_rates : mapping of str to float
        Column name -> fraction of stars with that column empty (magnitude
        columns, ``b_v``, ``v_i`` or ``parallax``); unlisted columns: 0.
    extrapolate_templates : bool
        Fill the template table's colour gaps (see :mod:`sedviz.simulate.templates`).
    """

    classes: tuple[str, ...] = C.SP_CLASSES
    g_range_mag: tuple[float, float] = (3.0, 10.0)
    g_slope_per_mag: float = 0.3
    av_distribution: str = "distance"
    av_mag: float = 0.5
    dust_scale_height_pc: float = 125.0
    av_extra_mag: float = 0.0
    extinction_law: str = "G23"
    rv: float = 3.1
    extinction_method: str = "pivot"
    gaia_dr3: bool = False
    binary_fraction: float = 0.0
    binary_q_min: float = 0.1
    noise_scale: float = 1.0
    parallax_error_scale: float = 1.0
    sys_error_mag: float = 0.02
    type_scatter_subclass: float = 0.5
    missing_rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MISSING_RATES))
    extrapolate_templates: bool = True

    def as_dict(self) -> dict[str, object]:
        """Return the settings as JSON-ready values (for file metadata and model cards)."""
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["classes"] = list(self.classes)
        out["g_range_mag"] = list(self.g_range_mag)
        out["missing_rates"] = dict(self.missing_rates)
        return out


def check_settings(settings: SimulationSettings) -> SimulationSettings:
    """Return *settings* if usable, else raise ``ValueError`` naming the first problem."""
    lo, hi = settings.g_range_mag
    if not lo < hi:
        raise ValueError(f"g_range_mag must be (bright, faint) with bright < faint, got {lo}, {hi}")
    if settings.av_distribution not in AV_DISTRIBUTIONS:
        raise ValueError(
            f"unknown A_V distribution {settings.av_distribution!r}; "
            f"choose one of {', '.join(AV_DISTRIBUTIONS)}"
        )
    if settings.extinction_method not in EXTINCTION_METHODS:
        raise ValueError(
            f"unknown extinction method {settings.extinction_method!r}; "
            f"choose one of {', '.join(EXTINCTION_METHODS)}"
        )
    if not 0.0 <= settings.binary_fraction <= 1.0:
        raise ValueError(f"binary_fraction must be in [0, 1], got {settings.binary_fraction}")
    if not 0.0 <= settings.binary_q_min <= 1.0:
        raise ValueError(f"binary_q_min must be in [0, 1], got {settings.binary_q_min}")
    if settings.dust_scale_height_pc <= 0:
        raise ValueError(f"dust_scale_height_pc must be > 0, got {settings.dust_scale_height_pc}")
    scales = ("av_mag", "av_extra_mag", "noise_scale", "parallax_error_scale", "sys_error_mag")
    negative = [name for name in (*scales, "type_scatter_subclass") if getattr(settings, name) < 0]
    if negative:
        raise ValueError(f"{', '.join(negative)} must be >= 0")
    known = {column for column, _ in BAND_COLUMNS.values()} | {C.PARALLAX}
    for name, rate in settings.missing_rates.items():
        if name not in known:
            raise ValueError(f"cannot make {name!r} missing: not a simulated column")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"missing rate of {name!r} must be in [0, 1], got {rate}")
    for letter in settings.classes:
        compute_type_range(letter)
    return settings


def compute_noise_sigma(band: str, mag: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Photometric 1-sigma error (mag) of *band* at magnitude *mag* (:data:`NOISE_MODEL`)."""
    floor, s10, slope = NOISE_MODEL[band]
    return scale * np.hypot(floor, s10 * 10.0 ** (slope * (np.asarray(mag, float) - 10.0)))


def compute_parallax_error_mas(g_mag: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Hipparcos-like parallax error (mas) at apparent G, with log-normal scatter."""
    g = np.asarray(g_mag, float)
    return 1.35 * 10.0 ** (0.15 * (g - 9.5)) * np.exp(rng.normal(0.0, 0.25, g.size))


def _draw_types(
    n_per_type: int | Mapping[str, int], classes: tuple[str, ...], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Class letters and type codes, uniform in subclass over each letter's template range."""
    counts = {c: int(n_per_type) for c in classes} if isinstance(n_per_type, int) else n_per_type
    letters, codes = [], []
    for letter in classes:
        n = int(counts.get(letter, 0))
        if n < 0:
            raise ValueError(f"number of {letter} stars must be >= 0, got {n}")
        lo, hi = compute_type_range(letter)
        letters.append(np.full(n, letter, dtype=object))
        codes.append(rng.uniform(lo, hi, n))
    return np.concatenate(letters), np.round(np.concatenate(codes), 1)


def _draw_g_mag(n: int, settings: SimulationSettings, rng: np.random.Generator) -> np.ndarray:
    """Apparent G (mag) from density ``10**(slope G)`` on the G range (inverse CDF)."""
    lo, hi = settings.g_range_mag
    s = settings.g_slope_per_mag
    u = rng.uniform(0.0, 1.0, n)
    if s == 0:
        return lo + u * (hi - lo)
    return np.log10(10 ** (s * lo) + u * (10 ** (s * hi) - 10 ** (s * lo))) / s


def _draw_av(
    type_code: np.ndarray,
    g_mag: np.ndarray,
    settings: SimulationSettings,
    rng: np.random.Generator,
    companion_code: np.ndarray | None = None,
) -> np.ndarray:
    """A_V (mag) per star from the chosen distribution."""
    n = g_mag.size
    kind, scale = settings.av_distribution, settings.av_mag
    if kind == "uniform":
        return rng.uniform(0.0, scale, n)
    clump = rng.exponential(1.0, n)
    if kind == "exponential":
        return scale * clump
    if kind == "distance":
        return _solve_distance_av(type_code, g_mag, scale * clump, settings, companion_code)
    if kind == "disk":
        sin_b = 1.0 - rng.uniform(0.0, 1.0, n)  # |sin b| in (0, 1]: isotropic directions
        return _solve_distance_av(type_code, g_mag, scale * clump, settings, companion_code, sin_b)
    return np.zeros(n)


def _solve_distance_av(
    type_code: np.ndarray,
    g_mag: np.ndarray,
    av_per_kpc: np.ndarray,
    settings: SimulationSettings,
    companion_code: np.ndarray | None = None,
    sin_b: np.ndarray | None = None,
) -> np.ndarray:
    """A_V along the path to the distance d that puts each star at its apparent G (bisection).

    A_V = rate * d, or with *sin_b* (|sin b| per star) the cosecant law
    rate * h / |sin b| * (1 - exp(-d |sin b| / h)), h the dust scale height.
    """
    abs_mags = compute_system_abs_mags(type_code, ("G", "V"), settings, companion_code)
    abs_g = np.where(np.isfinite(abs_mags[:, 0]), abs_mags[:, 0], abs_mags[:, 1])
    ratio_g: np.ndarray | float
    if settings.extinction_method == "integrated":  # A_G / A_V at A_V = 1 for each star's Teff
        teff = compute_template_teff(type_code, extrapolate=settings.extrapolate_templates)
        ones = np.ones(type_code.size)
        ratio_g = compute_band_extinction(("G",), teff, ones, settings.extinction_law, settings.rv)[
            :, 0
        ]
    else:
        ratio_g = float(compute_extinction_ratios(("G",), settings.extinction_law, settings.rv)[0])
    height_kpc = settings.dust_scale_height_pc / 1000.0

    def path_av(log_d_pc: np.ndarray) -> np.ndarray:
        d_kpc = 10.0 ** (log_d_pc - 3.0)
        if sin_b is None:
            return av_per_kpc * d_kpc
        return av_per_kpc * height_kpc / sin_b * -np.expm1(-d_kpc * sin_b / height_kpc)

    lo, hi = np.full(g_mag.size, -2.0), np.full(g_mag.size, 6.0)  # log10 d / pc
    for _ in range(50):  # G(d) grows with d: halve the bracket each step
        mid = 0.5 * (lo + hi)
        g_mid = abs_g + 5.0 * mid - 5.0 + ratio_g * path_av(mid)
        too_far = g_mid > g_mag
        hi, lo = np.where(too_far, mid, hi), np.where(too_far, lo, mid)
    return path_av(0.5 * (lo + hi))


def compute_system_abs_mags(
    type_code: np.ndarray,
    bands: tuple[str, ...],
    settings: SimulationSettings,
    companion_code: np.ndarray | None = None,
) -> np.ndarray:
    """Absolute magnitudes of each star plus its unresolved companion (NaN code: none).

    Returns shape (N, B), mag; a companion with no template value in a band
    adds no light there.
    """
    primary = _template_abs_mags(type_code, bands, settings)
    if companion_code is None or not np.isfinite(companion_code).any():
        return primary
    has = np.isfinite(companion_code)
    second = np.full_like(primary, np.nan)
    second[has] = _template_abs_mags(companion_code[has], bands, settings)
    extra = np.where(np.isfinite(second), 10.0 ** (-0.4 * np.nan_to_num(second, nan=99.0)), 0.0)
    return np.asarray(-2.5 * np.log10(10.0 ** (-0.4 * primary) + extra))


def _template_abs_mags(
    type_code: np.ndarray, bands: tuple[str, ...], settings: SimulationSettings
) -> np.ndarray:
    """Template absolute magnitudes, Gaia bands moved to DR3 if ``settings.gaia_dr3``."""
    mags = compute_template_abs_mags(type_code, bands, extrapolate=settings.extrapolate_templates)
    gaia = [(j, list(GAIA_PASSBANDS).index(b)) for j, b in enumerate(bands) if b in GAIA_PASSBANDS]
    if settings.gaia_dr3 and gaia:
        teff = compute_template_teff(type_code, extrapolate=settings.extrapolate_templates)
        shift = compute_gaia_dr3_minus_dr2(teff)
        for j, k in gaia:
            mags[:, j] += shift[:, k]
    return mags


def compute_extinction(
    type_code: np.ndarray, av: np.ndarray, settings: SimulationSettings
) -> np.ndarray:
    """Extinction (mag) in every band of :data:`BAND_COLUMNS` for stars of these types behind A_V.

    ``settings.extinction_method`` chooses the pivot-wavelength or the
    band-integrated value (a band the integrated law does not cover falls back
    to the pivot value). Returns shape (N, B).
    """
    ratios = compute_extinction_ratios(_SIM_BANDS, settings.extinction_law, settings.rv)
    pivot = np.outer(av, ratios)
    if settings.extinction_method != "integrated":
        return pivot
    teff = compute_template_teff(type_code, extrapolate=settings.extrapolate_templates)
    band = compute_band_extinction(_SIM_BANDS, teff, av, settings.extinction_law, settings.rv)
    return np.where(np.isfinite(band), band, pivot)


def compute_true_mags(
    type_code: np.ndarray,
    g_mag: np.ndarray,
    av: np.ndarray,
    settings: SimulationSettings,
    companion_code: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free apparent magnitudes and distances for given types, G and A_V.

    Parameters
    ----------
    type_code, g_mag, av : ndarray, shape (N,)
        Numeric types, apparent (reddened) G in mag, and A_V in mag.
    settings : SimulationSettings
        Extinction law, R_V, extinction method and template options.
    companion_code : ndarray, shape (N,), optional
        Type code of an unresolved companion (NaN: none).

    Returns
    -------
    mags : ndarray, shape (N, B)
        Apparent magnitudes in the bands of :data:`BAND_COLUMNS` (mag).
    distance_pc : ndarray, shape (N,)
        Distance that puts each star at its G, pc.
    """
    abs_mags = compute_system_abs_mags(type_code, _SIM_BANDS, settings, companion_code)
    reddened = abs_mags + compute_extinction(type_code, av, settings)
    reference = reddened[:, _SIM_BANDS.index("G")]
    # Without extrapolated templates the hottest types have no G: place them by V.
    reference = np.where(np.isfinite(reference), reference, reddened[:, _SIM_BANDS.index("V")])
    distance_modulus = g_mag - reference
    distance_pc = 10.0 ** (distance_modulus / 5.0 + 1.0)
    return reddened + distance_modulus[:, None], distance_pc


def _draw_companions(
    type_code: np.ndarray, settings: SimulationSettings, rng: np.random.Generator
) -> np.ndarray:
    """Companion type codes (NaN: single star); draws nothing when the fraction is 0."""
    n = type_code.size
    if settings.binary_fraction <= 0.0:
        return np.full(n, np.nan)
    binary = rng.uniform(0.0, 1.0, n) < settings.binary_fraction
    q = rng.uniform(settings.binary_q_min, 1.0, n)
    return np.where(binary, compute_companion_type(type_code, q), np.nan)


def simulate_stars(
    n_per_type: int | Mapping[str, int],
    seed: int = 0,
    settings: SimulationSettings | None = None,
) -> pd.DataFrame:
    """Simulate stars from the dwarf templates, as a validated star table.

    Parameters
    ----------
    n_per_type : int or mapping of str to int
        Stars per class letter (the same for all, or per letter).
    seed : int
        Seed of the random generator: the same seed gives the same table.
    settings : SimulationSettings, optional
        Noise, reddening, distance and missing-band choices (defaults if None).

    Returns
    -------
    DataFrame
        One row per star in the catalogue schema (magnitudes in mag, parallax in
        mas), plus ``simulated`` (True), ``a_v`` (mag) and ``distance_pc`` (pc),
        the true values drawn; labels ``sp_class``, ``sp_subclass``,
        ``lum_class`` (``"V"``) and ``sp_type``.
    """
    settings = check_settings(settings or SimulationSettings())
    rng = np.random.default_rng(seed)
    letters, codes = _draw_types(n_per_type, settings.classes, rng)
    n = letters.size
    g_mag = _draw_g_mag(n, settings, rng)
    # Labels keep the drawn type; the photometry comes from a scattered one.
    first, last = compute_type_range(C.SP_CLASSES[0])[0], compute_type_range(C.SP_CLASSES[-1])[1]
    jitter = rng.normal(0.0, settings.type_scatter_subclass, n)
    photometric_codes = np.clip(codes + jitter, first, last)
    companions = _draw_companions(photometric_codes, settings, rng)
    av = _draw_av(photometric_codes, g_mag, settings, rng, companions)
    if settings.av_extra_mag > 0:  # drawn only when asked: other tables keep their stream
        av = av + rng.exponential(settings.av_extra_mag, n)
    true_mags, distance_pc = compute_true_mags(photometric_codes, g_mag, av, settings, companions)
    columns: dict[str, object] = dict(_noisy_photometry(true_mags, settings, rng))
    columns.update(_noisy_parallax(distance_pc, g_mag, settings, rng))
    table = pd.DataFrame(
        {
            C.SOURCE_ID: SIM_ID_OFFSET + np.arange(n, dtype=np.int64),
            C.RA: np.nan,
            C.DEC: np.nan,
            **columns,
            C.SP_TYPE: [
                f"{c}{s:g}V" for c, s in zip(letters, _subclass(letters, codes), strict=True)
            ],
            C.SP_TYPE_SOURCE: SOURCE_SIMULATED,
            C.SP_CLASS: letters.astype(str),
            C.SP_SUBCLASS: _subclass(letters, codes),
            C.LUM_CLASS: "V",
            SIMULATED: True,
            "a_v": av,
            "distance_pc": distance_pc,
            "companion_type_code": companions,
        }
    )
    _apply_missing(table, settings.missing_rates, rng)
    return validate_star_table(table)


def _subclass(letters: np.ndarray, codes: np.ndarray) -> np.ndarray:
    index = np.array([C.SP_CLASSES.index(str(x)) for x in letters], dtype=float)
    return np.round(codes - 10.0 * index, 1)


def _noisy_photometry(
    true_mags: np.ndarray, settings: SimulationSettings, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Catalogue columns from true magnitudes: noisy values and their errors."""
    v = true_mags[:, _SIM_BANDS.index("V")]
    out: dict[str, np.ndarray] = {}
    for j, band in enumerate(_SIM_BANDS):
        mag_column, error_column = BAND_COLUMNS[band]
        is_colour = band in ("B", "I")
        sigma = compute_noise_sigma(band, v if is_colour else true_mags[:, j], settings.noise_scale)
        total = np.hypot(sigma, settings.sys_error_mag)
        value = true_mags[:, j] + rng.normal(0.0, 1.0, v.size) * total
        if band == "B":
            value = value - v  # B-V: the catalogue's colour column, its own error
        elif band == "I":
            value = v - value
        out[mag_column] = value
        if error_column in _GAIA_FLUX_ERRORS:
            with np.errstate(divide="ignore"):
                out[error_column] = np.where(sigma > 0, _POGSON / sigma, np.inf)
        elif error_column is not None:
            out[error_column] = sigma
    return out


def _noisy_parallax(
    distance_pc: np.ndarray,
    g_mag: np.ndarray,
    settings: SimulationSettings,
    rng: np.random.Generator,
) -> dict[str, np.ndarray | str]:
    error = settings.parallax_error_scale * compute_parallax_error_mas(g_mag, rng)
    parallax = 1000.0 / distance_pc + rng.normal(0.0, 1.0, g_mag.size) * error
    return {
        C.PARALLAX: parallax,
        C.PARALLAX_ERROR: error,
        C.PARALLAX_SOURCE: SOURCE_SIMULATED,
    }


def _apply_missing(
    table: pd.DataFrame, rates: Mapping[str, float], rng: np.random.Generator
) -> None:
    """Empty each listed column (and its error column) for a random fraction of rows, in place."""
    partners = {mag: err for mag, err in BAND_COLUMNS.values() if err is not None}
    partners[C.PARALLAX] = C.PARALLAX_ERROR
    for name in sorted(rates):
        gone = rng.uniform(0.0, 1.0, len(table)) < rates[name]
        table.loc[gone, name] = np.nan
        if name in partners:
            table.loc[gone, partners[name]] = np.nan
