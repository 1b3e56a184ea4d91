"""Command line entry point: ``python -m sedviz COMMAND ...``.

Each sub-command lives in its own module in this package, which exposes
``register(subparsers)``; the module adds its parser(s) and sets ``func`` to a
callable taking the parsed arguments and returning an exit code. Errors meant
for the user (:class:`sedviz.errors.SedvizError`, ``ValueError``, ``OSError``)
become one line on stderr and exit code 2, never a traceback.

May import any library package (not ``sedviz.ui``); nothing imports it but
``sedviz.__main__`` and the ``sedviz`` console script.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sedviz.errors import SedvizError

#: Sub-command modules, in the order their commands are listed in ``--help``.
COMMAND_MODULES: tuple[str, ...] = ("catalog", "archive", "sed", "model", "simulate", "star")

#: The module of each command, so a command imports only what it needs (a ``query``
#: need not load XGBoost: start-up fell from about 4 s to about 1 s).
COMMAND_OWNERS: dict[str, str] = {
    "build-catalog": "catalog",
    "query": "archive",
    "fit-sed": "sed",
    "train": "model",
    "evaluate": "model",
    "classify": "model",
    "simulate": "simulate",
    "train-sim": "simulate",
    "star": "star",
}

EXIT_USER_ERROR = 2


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the top-level parser: with *command*, only its module is registered."""
    parser = argparse.ArgumentParser(
        prog="python -m sedviz",
        description="Classify stars from their spectral energy distributions.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    owner = COMMAND_OWNERS.get(command or "")
    for name in (owner,) if owner else COMMAND_MODULES:
        module = importlib.import_module(f"sedviz.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 on success)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("sedviz: interrupted", file=sys.stderr)
        return 130
    except (SedvizError, ValueError, OSError, KeyError) as exc:
        print(f"sedviz {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:
        print(
            f"sedviz {args.command}: unexpected error ({type(exc).__name__}): {_one_line(exc)}",
            file=sys.stderr,
        )
        return 1


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())
