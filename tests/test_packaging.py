"""pyproject.toml declares what the code imports; requirements.txt pins it; the models ship."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    """Normalised distribution name of a requirement string ("Foo_bar[x]>=1" -> "foo-bar")."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _imported_distributions(folder: Path) -> set[str]:
    """Distributions of every third-party module imported anywhere under *folder*."""
    owners = packages_distributions()
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top != "sedviz" and top not in sys.stdlib_module_names:
                    found |= {_name(d) for d in owners.get(top, [top])}
    return found


def test_every_imported_distribution_is_declared() -> None:
    runtime = {_name(r) for r in PROJECT["dependencies"]}
    batch = {_name(r) for r in PROJECT["optional-dependencies"]["batch"]}
    imported = _imported_distributions(ROOT / "sedviz")
    # xgboost-cpu provides the xgboost module (xgboost itself is the macOS requirement)
    missing = imported - runtime - batch - {"xgboost", "xgboost-cpu", "distributed"}
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
    assert {"dask"} <= batch and "dask" not in runtime


def test_requirements_txt_pins_every_runtime_dependency_exactly() -> None:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.txt must pin exactly: {line!r}"
            pins[_name(name)] = version
    declared = {_name(r) for r in PROJECT["dependencies"] if "Darwin'" not in r.split(";")[-1]
                or "!=" in r}  # fmt: skip
    assert declared <= set(pins), sorted(declared - set(pins))
    assert "dask" not in pins  # the batch extra, installed by requirements-dev.txt


def test_console_script_and_shipped_models() -> None:
    assert PROJECT["scripts"] == {"sedviz": "sedviz.cli:main"}
    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["data-files"]
    shipped = {Path(p).name for p in (ROOT / "models").glob("default-*") if p.is_dir()}
    assert shipped == {Path(target).name for target in data_files}
    for target, sources in data_files.items():
        assert target.startswith("share/sedviz/models/")
        assert {Path(f).name for s in sources for f in ROOT.glob(s)} >= {"model.ubj", "card.json"}
