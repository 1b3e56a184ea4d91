"""The 88 IAU constellations: abbreviation, name and genitive, typed once here.

Source: the IAU list "The Constellations" (https://www.iau.org/public/themes/constellations/),
which gives each constellation's name, its genitive (the form used in star names:
"Alpha Lyrae", "61 Cygni") and its three-letter abbreviation. ``astropy`` ships the
abbreviations and names (``astropy/coordinates/data/constellation_names.dat``) but not the
genitives, and astropy 8.0 misspells three names (Ophiucus, Chamaleon, Pisces Austrinus);
``tests/test_names.py`` checks that this table agrees with astropy's names otherwise.
Accents are kept as the IAU writes them (Boötes); look-ups fold them away.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class Constellation(NamedTuple):
    """One IAU constellation."""

    abbr: str  #: three-letter IAU abbreviation ("Lyr")
    name: str  #: nominative ("Lyra")
    genitive: str  #: genitive, as in star names ("Lyrae")


_TABLE: Final = """
And Andromeda Andromedae
Ant Antlia Antliae
Aps Apus Apodis
Aqr Aquarius Aquarii
Aql Aquila Aquilae
Ara Ara Arae
Ari Aries Arietis
Aur Auriga Aurigae
Boo Boötes Boötis
Cae Caelum Caeli
Cam Camelopardalis Camelopardalis
Cnc Cancer Cancri
CVn Canes_Venatici Canum_Venaticorum
CMa Canis_Major Canis_Majoris
CMi Canis_Minor Canis_Minoris
Cap Capricornus Capricorni
Car Carina Carinae
Cas Cassiopeia Cassiopeiae
Cen Centaurus Centauri
Cep Cepheus Cephei
Cet Cetus Ceti
Cha Chamaeleon Chamaeleontis
Cir Circinus Circini
Col Columba Columbae
Com Coma_Berenices Comae_Berenices
CrA Corona_Australis Coronae_Australis
CrB Corona_Borealis Coronae_Borealis
Crv Corvus Corvi
Crt Crater Crateris
Cru Crux Crucis
Cyg Cygnus Cygni
Del Delphinus Delphini
Dor Dorado Doradus
Dra Draco Draconis
Equ Equuleus Equulei
Eri Eridanus Eridani
For Fornax Fornacis
Gem Gemini Geminorum
Gru Grus Gruis
Her Hercules Herculis
Hor Horologium Horologii
Hya Hydra Hydrae
Hyi Hydrus Hydri
Ind Indus Indi
Lac Lacerta Lacertae
Leo Leo Leonis
LMi Leo_Minor Leonis_Minoris
Lep Lepus Leporis
Lib Libra Librae
Lup Lupus Lupi
Lyn Lynx Lyncis
Lyr Lyra Lyrae
Men Mensa Mensae
Mic Microscopium Microscopii
Mon Monoceros Monocerotis
Mus Musca Muscae
Nor Norma Normae
Oct Octans Octantis
Oph Ophiuchus Ophiuchi
Ori Orion Orionis
Pav Pavo Pavonis
Peg Pegasus Pegasi
Per Perseus Persei
Phe Phoenix Phoenicis
Pic Pictor Pictoris
Psc Pisces Piscium
PsA Piscis_Austrinus Piscis_Austrini
Pup Puppis Puppis
Pyx Pyxis Pyxidis
Ret Reticulum Reticuli
Sge Sagitta Sagittae
Sgr Sagittarius Sagittarii
Sco Scorpius Scorpii
Scl Sculptor Sculptoris
Sct Scutum Scuti
Ser Serpens Serpentis
Sex Sextans Sextantis
Tau Taurus Tauri
Tel Telescopium Telescopii
Tri Triangulum Trianguli
TrA Triangulum_Australe Trianguli_Australis
Tuc Tucana Tucanae
UMa Ursa_Major Ursae_Majoris
UMi Ursa_Minor Ursae_Minoris
Vel Vela Velorum
Vir Virgo Virginis
Vol Volans Volantis
Vul Vulpecula Vulpeculae
"""

#: The 88 constellations in alphabetical order of abbreviation (as the IAU lists them).
CONSTELLATIONS: Final[tuple[Constellation, ...]] = tuple(
    Constellation(*(part.replace("_", " ") for part in line.split()))
    for line in _TABLE.strip().splitlines()
)
#: Abbreviation -> constellation.
CONSTELLATION_BY_ABBR: Final[dict[str, Constellation]] = {c.abbr: c for c in CONSTELLATIONS}
