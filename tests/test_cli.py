"""The command-line dispatcher: every command is known to it, and loads only its own module."""

from __future__ import annotations

import argparse
import importlib

import pytest

from sedviz.cli import COMMAND_MODULES, COMMAND_OWNERS, build_parser, main


@pytest.mark.parametrize("module_name", COMMAND_MODULES)
def test_every_registered_command_has_its_owner(module_name: str) -> None:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(f"sedviz.cli.{module_name}").register(sub)
    for command in sub.choices:
        assert COMMAND_OWNERS.get(command) == module_name, command


def test_one_command_parses_alone() -> None:
    parser = build_parser("query")
    args = parser.parse_args(["query", "--ra", "10", "--dec", "20", "--radius-deg", "0.1",
                              "-o", "x.csv", "--offline"])  # fmt: skip
    assert args.command == "query"


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
