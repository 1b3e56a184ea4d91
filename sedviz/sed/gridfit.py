"""Vectorised one-parameter grid fit with a free magnitude offset.

The core shared by the blackbody fit (:mod:`sedviz.sed.fit`) and the empirical
template fit (:mod:`sedviz.sed.templates`). For every star ``n`` and every grid
temperature ``t`` the model magnitudes are ``M[t, b] + mu``; the offset ``mu``
(``-2.5 log10`` of the dilution) has an analytic best value, so the whole
chi-square surface is three matrix products. The minimum on the grid is then
refined by a parabola through its neighbours in ``ln T``; the curvature gives
the 1-sigma error (``Delta chi2 = 1``). There is no Python loop over stars,
only over chunks of stars to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

#: Stars per chunk: bounds memory at ~3 arrays of chunk x n_grid floats.
CHUNK_STARS: Final = 8192


@dataclass(frozen=True)
class GridFit:
    """Result of :func:`compute_grid_fit` for N stars.

    Attributes
    ----------
    teff : ndarray, shape (N,)
        Best temperature, K (NaN where fewer than 2 bands).
    ln_teff_sigma : ndarray, shape (N,)
        1-sigma error of ``ln T`` from the chi-square curvature (not rescaled).
    offset : ndarray, shape (N,)
        Best magnitude offset ``mu`` at ``teff``, mag.
    chi2 : ndarray, shape (N,)
        Chi-square at ``teff``.
    n_bands : ndarray of int, shape (N,)
        Bands with positive weight.
    at_edge : ndarray of bool, shape (N,)
        True when the grid minimum is the first or last grid point.
    """

    teff: np.ndarray
    ln_teff_sigma: np.ndarray
    offset: np.ndarray
    chi2: np.ndarray
    n_bands: np.ndarray
    at_edge: np.ndarray


def compute_grid_fit(
    mag: np.ndarray, weight: np.ndarray, model: np.ndarray, teff_grid: np.ndarray
) -> GridFit:
    """Fit ``mag[n, b] ~ model[t, b] + mu[n]`` over a log-spaced temperature grid.

    Parameters
    ----------
    mag : ndarray, shape (N, B)
        Observed magnitudes; NaN where missing.
    weight : ndarray, shape (N, B)
        ``1 / sigma**2`` (mag^-2); 0 where missing.
    model : ndarray, shape (T, B)
        Model magnitudes on the grid; must be finite.
    teff_grid : ndarray, shape (T,)
        Temperatures, K, log-spaced (uniform in ``ln T``), ascending.
    """
    weight = np.where(np.isfinite(mag) & (weight > 0), weight, 0.0)
    n_bands = (weight > 0).sum(axis=1)
    ok = n_bands >= 2
    d = np.where(weight > 0, mag, 0.0)
    # Subtract per-star and per-grid-point constants: mu absorbs them, precision gains.
    wsum = weight.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        d_ref = np.where(ok, (weight * d).sum(axis=1) / wsum, 0.0)
    d = np.where(weight > 0, d - d_ref[:, None], 0.0)
    m = model - model.mean(axis=1, keepdims=True)
    ln_t = np.log(teff_grid)
    parts = [
        _fit_chunk(d[s : s + CHUNK_STARS], weight[s : s + CHUNK_STARS], m, ln_t)
        for s in range(0, len(d), CHUNK_STARS)
    ]
    ln_best, ln_sigma, at_edge = (np.concatenate([p[i] for p in parts]) for i in range(3))
    m_best = _interp_rows(m, ln_t, ln_best)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = (weight * (d - m_best)).sum(axis=1) / wsum
        chi2 = (weight * (d - m_best - mu[:, None]) ** 2).sum(axis=1)
    offset = mu + d_ref - _interp_rows(model.mean(axis=1, keepdims=True), ln_t, ln_best)[:, 0]
    nan = np.where(ok, 1.0, np.nan)
    return GridFit(
        np.exp(ln_best) * nan, ln_sigma * nan, offset * nan, chi2 * nan, n_bands, at_edge & ok
    )


def _fit_chunk(
    d: np.ndarray, w: np.ndarray, m: np.ndarray, ln_t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    wd = w * d
    sw = w.sum(axis=1)[:, None]
    swd = wd.sum(axis=1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2 = (wd * d).sum(axis=1)[:, None] - 2 * (wd @ m.T) + w @ (m * m).T
        chi2 -= (swd - w @ m.T) ** 2 / sw
    chi2 = np.where(np.isfinite(chi2), chi2, np.inf)
    k = np.argmin(chi2, axis=1)
    n_grid = len(ln_t)
    at_edge = (k == 0) | (k == n_grid - 1)
    kc = np.clip(k, 1, n_grid - 2)
    rows = np.arange(len(d))
    c_lo, c_0, c_hi = chi2[rows, kc - 1], chi2[rows, kc], chi2[rows, kc + 1]
    h = (ln_t[-1] - ln_t[0]) / (len(ln_t) - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (c_hi - 2 * c_0 + c_lo) / (2 * h * h)
        b = (c_hi - c_lo) / (2 * h)
        shift = np.where(a > 0, np.clip(-b / (2 * a), -h, h), 0.0)
        sigma = np.where(a > 0, 1.0 / np.sqrt(a), np.nan)
    return ln_t[kc] + shift, sigma, at_edge


def _interp_rows(model: np.ndarray, ln_t: np.ndarray, ln_value: np.ndarray) -> np.ndarray:
    """Model magnitudes at each star's ``ln T`` (linear in ``ln T``), shape (N, B)."""
    step = (ln_t[-1] - ln_t[0]) / (len(ln_t) - 1)
    pos = (np.nan_to_num(ln_value, nan=ln_t[0]) - ln_t[0]) / step
    i0 = np.clip(np.floor(pos).astype(int), 0, len(ln_t) - 2)
    frac = np.clip(pos - i0, 0.0, 1.0)[:, None]
    return np.asarray(model[i0] * (1 - frac) + model[i0 + 1] * frac)
