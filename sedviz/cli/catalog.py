"""``python -m sedviz build-catalog``: rebuild the embedded star catalogue."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the ``build-catalog`` command to *sub* (an argparse sub-parsers object)."""
    p: argparse.ArgumentParser = sub.add_parser(
        "build-catalog",
        help="rebuild the embedded catalogue from the Hipparcos and Gaia packages",
    )
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    raise NotImplementedError
