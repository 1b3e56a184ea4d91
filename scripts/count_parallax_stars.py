"""Count the embedded catalogue's stars on each HR view under the one parallax rule.

Prints the stars of the colour-magnitude diagram (all with a positive parallax,
and those with a good one), of the temperature-luminosity view (SED fit with a
luminosity), and how many Gaia-DR3-parallax stars get a luminosity. The figures
in ``docs/sed.md`` come from this script::

    python scripts/count_parallax_stars.py
"""

from __future__ import annotations

import numpy as np

from sedviz import columns as C
from sedviz.catalog.tables import load_catalog
from sedviz.sed.fit import compute_sed_fit
from sedviz.views.hr import ABS_G, BP_RP, LOG_LUM, LOG_TEFF, PARALLAX_GOOD, hr_frame


def main() -> None:
    """Print the counts (one line each) and the luminosity status counts."""
    table = load_catalog()
    fit = compute_sed_fit(table)
    frame = hr_frame(table, fits=fit)
    cmd = np.isfinite(frame[ABS_G]) & np.isfinite(frame[BP_RP])
    gaia = (table[C.PARALLAX_SOURCE] == "gaia_dr3").to_numpy()
    print(f"stars in the catalogue:                 {len(table):,}")
    print(f"CMD, positive parallax:                 {int(cmd.sum()):,}")
    print(f"CMD, good parallax (S/N >= 5):          {int((cmd & frame[PARALLAX_GOOD]).sum()):,}")
    teff_lum = np.isfinite(frame[LOG_TEFF]) & np.isfinite(frame[LOG_LUM])
    print(f"Teff-L view (SED fit with luminosity):  {int(teff_lum.sum()):,}")
    with_l = np.isfinite(fit[C.LUMINOSITY_LSUN].to_numpy()[gaia])
    print(f"Gaia DR3 parallax stars with L:         {int(with_l.sum()):,} of {int(gaia.sum()):,}")
    print(fit[C.LUMINOSITY_STATUS].value_counts().to_string())


if __name__ == "__main__":
    main()
