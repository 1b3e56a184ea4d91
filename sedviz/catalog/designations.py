"""Bayer and Flamsteed designations as people write them, read into one canonical form.

:func:`parse_designation` reads ``alf Lyr``, ``alp Lyr``, ``α Lyr``, ``alpha Lyr``,
``Alpha Lyrae``, ``alf1 Cen`` / ``α¹ Cen`` / ``Alpha1 Centauri``, ``61 Cyg`` / ``61 Cygni``,
``3 alf Lyr`` (the Yale catalogue's form) and a trailing component letter (``61 Cyg B``)
into a :class:`Designation`; :func:`fold_text` and :func:`name_key` make any name case-,
space-, punctuation- and accent-insensitive. Greek letters are given as SIMBAD abbreviates
them (``alf bet gam ... ome``); constellations come from :mod:`sedviz.catalog.constellations`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, NamedTuple

from sedviz.catalog.constellations import CONSTELLATIONS

#: The Greek letters: SIMBAD abbreviation, name, lower-case letter, in alphabet order.
GREEK_LETTERS: Final[tuple[tuple[str, str, str], ...]] = (
    ("alf", "alpha", "α"), ("bet", "beta", "β"), ("gam", "gamma", "γ"),
    ("del", "delta", "δ"), ("eps", "epsilon", "ε"), ("zet", "zeta", "ζ"),
    ("eta", "eta", "η"), ("tet", "theta", "θ"), ("iot", "iota", "ι"),
    ("kap", "kappa", "κ"), ("lam", "lambda", "λ"), ("mu", "mu", "μ"),
    ("nu", "nu", "ν"), ("xi", "xi", "ξ"), ("omi", "omicron", "ο"),
    ("pi", "pi", "π"), ("rho", "rho", "ρ"), ("sig", "sigma", "σ"),
    ("tau", "tau", "τ"), ("ups", "upsilon", "υ"), ("phi", "phi", "φ"),
    ("chi", "chi", "χ"), ("psi", "psi", "ψ"), ("ome", "omega", "ω"),
)  # fmt: skip
# Other spellings: the Yale BSC's (Alp, The), SIMBAD's ksi, and variant letter forms.
_GREEK_ALIASES: Final = {"alp": "alf", "the": "tet", "ksi": "xi", "lamda": "lam"}
_GREEK_CHARS: Final = {"ϑ": "tet", "ς": "sig", "ϕ": "phi", "ϐ": "bet", "ϵ": "eps"}
_GREEK: Final[dict[str, str]] = {
    **{key: abbr for abbr, name, _ in GREEK_LETTERS for key in (abbr, name)},
    **_GREEK_ALIASES,
}
_GREEK_OF_CHAR: Final[dict[str, str]] = {
    **{char: abbr for abbr, _, char in GREEK_LETTERS},
    **_GREEK_CHARS,
}
#: Folded abbreviation, name or genitive (no spaces) -> IAU abbreviation.
_CONSTELLATION: Final[dict[str, str]] = {}
#: Every spelling of a letter a catalogue may store (SIMBAD's first).
SPELLINGS: Final[dict[str, tuple[str, ...]]] = {"alf": ("alf", "alp"), "tet": ("tet", "the"),
                                                 "xi": ("xi", "ksi")}  # fmt: skip
_FOLD_GREEK: Final = str.maketrans({char: f" {abbr} " for char, abbr in _GREEK_OF_CHAR.items()})
_NOT_ALNUM_RE: Final = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT_RE: Final = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
#: Trailing component letters read (61 Cyg A, 61 Cyg B, tet1 Ori C).
COMPONENTS: Final = "abcdef"


class Designation(NamedTuple):
    """A parsed Bayer or Flamsteed designation (constellation as its IAU abbreviation)."""

    constellation: str
    greek: str = ""  #: SIMBAD abbreviation ("alf"), "" for a Flamsteed designation
    component: int = 0  #: Bayer superscript (alf1 Cen -> 1), 0 if none
    number: int = 0  #: Flamsteed number, 0 if none
    letter: int = 0  #: trailing component letter, A = 1, B = 2...; 0 if none


def fold_text(text: str) -> str:
    """Return *text* lower-cased, Greek letters spelled out, accents and punctuation as spaces.

    Letters and digits are split apart (``alf1cen`` -> ``alf 1 cen``).
    """
    text = str(text).casefold().translate(_FOLD_GREEK)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_LETTER_DIGIT_RE.sub(" ", _NOT_ALNUM_RE.sub(" ", text)).split())


def name_key(text: str) -> str:
    """Return the look-up key of a name: :func:`fold_text` without spaces."""
    return fold_text(text).replace(" ", "")


def suggestion_key(text: str) -> str:
    """A name key with Greek letters as SIMBAD abbreviations (alpha lyrea -> alflyrea)."""
    return "".join(_GREEK.get(token, token) for token in fold_text(text).split())


def _constellations() -> dict[str, str]:
    if not _CONSTELLATION:
        for c in CONSTELLATIONS:
            for form in (c.abbr, c.name, c.genitive):
                _CONSTELLATION[name_key(form)] = c.abbr
    return _CONSTELLATION


def parse_designation(text: str) -> Designation | None:
    """Return the Bayer/Flamsteed designation written in *text*, or None.

    >>> parse_designation("Alpha1 Centauri")
    Designation(constellation='Cen', greek='alf', component=1, number=0, letter=0)
    >>> parse_designation("61 Cygni B").number
    61
    """
    tokens = fold_text(text).split()
    letter = 0
    if len(tokens) >= 3 and len(tokens[-1]) == 1 and tokens[-1] in COMPONENTS:
        letter = COMPONENTS.index(tokens[-1]) + 1
        tokens = tokens[:-1]
    known = _constellations()
    if len(tokens) == 1 or (len(tokens) == 2 and tokens[1].isdigit()):
        tokens = _split_greek(tokens[0]) + tokens[1:]  # alfLyr, alpha1Cen (after the digit)
    for size in (3, 2, 1):
        abbr = known.get("".join(tokens[-size:])) if len(tokens) > size else None
        if abbr is not None:
            found = _parse_prefix(tokens[:-size], abbr)
            return found._replace(letter=letter) if found else None
    return None


def _split_greek(token: str) -> list[str]:
    for greek in sorted(_GREEK, key=len, reverse=True):
        if token.startswith(greek) and token[len(greek) :] in _constellations():
            return [greek, token[len(greek) :]]
    return [token]


def _parse_prefix(prefix: list[str], abbr: str) -> Designation | None:
    number = 0
    if prefix and prefix[0].isdigit():
        number, prefix = int(prefix[0]), prefix[1:]
    if not prefix:
        return Designation(abbr, number=number) if number else None
    greek = _GREEK.get(prefix[0])
    if greek is None or len(prefix) > 2:
        return None
    if len(prefix) == 2 and not (prefix[1].isdigit() and len(prefix[1]) == 1):
        return None
    component = int(prefix[1]) if len(prefix) == 2 else 0
    return Designation(abbr, greek, component, number)
