"""``python -m sedviz fit-sed INPUT -o OUTPUT``: add SED temperatures to a star table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from sedviz import columns as C
from sedviz.catalog.tables import load_star_table
from sedviz.sed.fit import DEFAULT_FIT_BANDS, DEFAULT_SYS_ERROR_MAG, compute_sed_fit
from sedviz.sed.templates import compute_teff_empirical
from sedviz.tableio import check_output_path, write_table


def register(sub: Any) -> None:
    """Add the ``fit-sed`` command to *sub* (an argparse sub-parsers object)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "fit-sed",
        help="fit a blackbody to every star's SED; add teff, teff_error, sed_chi2_dof, ...",
        description=(
            "Read a CSV or Parquet star table with Gaia-archive column names, fit a scaled "
            "blackbody to each star's bands and write the table with teff, teff_error, "
            "sed_chi2_dof, sed_n_bands, sed_fit_status, angular_diameter_mas and, where "
            "the parallax allows, luminosity_lsun and radius_rsun; plus the Pecaut & "
            "Mamajek colour-Teff estimate teff_empirical."
        ),
    )
    p.add_argument("input", type=Path, help="star table (CSV, Parquet, VOTable, FITS, ECSV)")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="output (.csv, .parquet, .vot, .fits, .ecsv)",
    )
    p.add_argument("--av", type=float, default=0.0, help="V extinction to remove, mag (0)")
    p.add_argument("--law", default="G23", help="dust_extinction law for --av (G23)")
    p.add_argument(
        "--bands",
        default=",".join(DEFAULT_FIT_BANDS),
        help="comma-separated bands to fit (default: %(default)s)",
    )
    p.add_argument(
        "--sys-error", type=float, default=DEFAULT_SYS_ERROR_MAG, help="systematic error, mag"
    )
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    check_output_path(args.output)
    table = load_star_table(args.input)
    bands = [b.strip() for b in args.bands.split(",") if b.strip()]
    fit = compute_sed_fit(
        table, bands, av=args.av, extinction_law=args.law, sys_error_mag=args.sys_error
    )
    empirical = compute_teff_empirical(table)
    stale = [*fit.columns, *empirical.columns]  # re-running on an output replaces, never duplicates
    result = pd.concat([table.drop(columns=stale, errors="ignore"), fit, empirical], axis=1)
    write_table(result, args.output)
    n_ok = int((fit[C.SED_FIT_STATUS] == "ok").sum())
    print(f"fit-sed: {n_ok} of {len(table)} stars fitted; wrote {args.output}")
    return 0
