"""The model registry: one folder per model in ``models/``, saved atomically, never pickled.

Layout::

    models/
      default-sp_class/      model.ubj (XGBoost's own binary format)
                             card.json (target, classes, features, split, metrics, versions...)
                             catalog_shap.npz (optional: SHAP for the embedded catalogue)
      active-sp_class.json   {"name": "..."}: the active model per target

A save writes a temporary folder beside the target and renames it into place
(``os.replace``), so a reader never sees half a model and two processes saving
at once leave one complete model, not a mixture. Loading checks the card's
format version, the feature list, the XGBoost major version and the SHA-256 of
the booster file, and refuses anything that does not match with one clear line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sysconfig
import tempfile
import uuid
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

import pandas as pd
import xgboost as xgb

from sedviz import __version__
from sedviz.classifier.features import FEATURE_NAMES
from sedviz.classifier.model import StarClassifier, check_is_fitted
from sedviz.classifier.targets import TARGETS, check_target
from sedviz.errors import SedvizError

#: Where ``pip install`` puts the shipped default models (pyproject ``data-files``).
INSTALLED_MODELS_DIR: Final = Path(sysconfig.get_path("data")) / "share" / "sedviz" / "models"
_CHECKOUT_MODELS_DIR: Final = Path(__file__).resolve().parents[2] / "models"
#: The models folder: ``models/`` of the repository when sedviz runs from a checkout (or an
#: editable install), else :data:`INSTALLED_MODELS_DIR`; override with ``SEDVIZ_MODELS_DIR``.
MODELS_DIR: Final = _CHECKOUT_MODELS_DIR if _CHECKOUT_MODELS_DIR.is_dir() else INSTALLED_MODELS_DIR
MODEL_FILE: Final = "model.ubj"
CARD_FILE: Final = "card.json"
#: Bumped when the card layout changes incompatibly.
CARD_FORMAT: Final = 1
DEFAULT_PREFIX: Final = "default-"
_NAME_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_LIBRARIES: Final = ("xgboost", "numpy", "pandas", "scikit-learn", "shap")


class ModelError(SedvizError, ValueError):
    """A model cannot be found, saved or loaded (message meant for the user)."""


def models_dir(path: str | Path | None = None) -> Path:
    """Return the models folder: *path*, else ``$SEDVIZ_MODELS_DIR``, else :data:`MODELS_DIR`."""
    return Path(path or os.environ.get("SEDVIZ_MODELS_DIR") or MODELS_DIR)


def validate_model_name(name: str) -> str:
    """Return *name* if it is a safe folder name, else raise :class:`ModelError`."""
    if not isinstance(name, str) or not _NAME_RE.match(name) or ".." in name:
        raise ModelError(
            f"invalid model name {name!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, no '..' and no path separators"
        )
    return name


def default_model_name(target: str) -> str:
    """Return the name of the shipped default model for *target*."""
    return f"{DEFAULT_PREFIX}{check_target(target)}"


def _library_versions() -> dict[str, str]:
    out = {"sedviz": __version__}
    for lib in _LIBRARIES:
        try:
            out[lib] = version(lib if lib != "xgboost" else xgb.__name__)
        except PackageNotFoundError:
            out[lib] = "unknown"
    out["xgboost"] = xgb.__version__
    return out


def build_card(model: StarClassifier, name: str) -> dict[str, Any]:
    """Return the JSON card of a fitted *model* (without the booster checksum)."""
    check_is_fitted(model)
    training = dict(getattr(model, "training_", {}))
    if not training and hasattr(model, "card_"):  # re-saving a loaded model keeps its record
        skip = {"card_format", "name", "classes", "features", "created_utc", "versions"}
        skip |= {"params", "n_trees", "model_sha256"}
        training = {k: v for k, v in model.card_.items() if k not in skip}
    return {
        "card_format": CARD_FORMAT,
        "name": name,
        "target": training.pop("target", None),
        "classes": list(model.classes_),
        "features": list(model.feature_names_),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _library_versions(),
        "params": model.get_params() | {"classes": list(model.classes_)},
        "n_trees": int(model.booster_.num_boosted_rounds() * len(model.classes_)),
        **training,
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(
    model: StarClassifier,
    name: str,
    *,
    root: str | Path | None = None,
    overwrite: bool = False,
    activate: bool = False,
    extra_files: dict[str, bytes] | None = None,
) -> Path:
    """Save *model* as ``root/name/`` atomically; return the folder.

    *extra_files* (file name -> bytes) are written into the same folder before
    the rename (e.g. precomputed SHAP). Raises :class:`ModelError` if the name is
    invalid or taken (unless *overwrite*).
    """
    validate_model_name(name)
    base = models_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    final = base / name
    if final.exists() and not overwrite:
        raise ModelError(f"model {name!r} already exists in {base} (choose another --name)")
    card = build_card(model, name)
    if card["target"] is None:
        raise ModelError("the model has no target recorded (train it with train_model)")
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=base))
    tmp.chmod(0o755)  # mkdtemp makes it private; a model folder is shared
    try:
        model.booster_.save_model(str(tmp / MODEL_FILE))
        card["model_sha256"] = _sha256(tmp / MODEL_FILE)
        for file_name, data in (extra_files or {}).items():
            (tmp / validate_model_name(file_name)).write_bytes(data)
        (tmp / CARD_FILE).write_text(json.dumps(card, indent=1, default=_json_default) + "\n")
        _move_into_place(tmp, final, overwrite)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if activate:
        set_active_model(card["target"], name, root=root)
    return final


def _move_into_place(tmp: Path, final: Path, overwrite: bool) -> None:
    trash = final.parent / f".old-{final.name}-{uuid.uuid4().hex[:8]}"
    if overwrite:
        # Another process may move or replace it meanwhile: either way is fine.
        with contextlib.suppress(FileNotFoundError):
            os.replace(final, trash)
    try:
        os.replace(tmp, final)
    except OSError as exc:
        raise ModelError(f"model {final.name!r} was saved by another process meanwhile") from exc
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def load_card(name: str, *, root: str | Path | None = None) -> dict[str, Any]:
    """Read and check a model's card; raise :class:`ModelError` if absent or corrupt."""
    folder = models_dir(root) / validate_model_name(name)
    if not folder.is_dir():
        known = ", ".join(list_model_names(root=root)) or "none"
        raise ModelError(f"unknown model {name!r} (available: {known})")
    try:
        card = json.loads((folder / CARD_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"model {name!r}: card.json is missing or corrupt ({type(exc).__name__})"
        ) from exc
    needed = ("card_format", "target", "classes", "features", "model_sha256", "versions")
    if not isinstance(card, dict) or any(key not in card for key in needed):
        raise ModelError(f"model {name!r}: card.json lacks required fields")
    if card["card_format"] != CARD_FORMAT:
        raise ModelError(
            f"model {name!r} has card format {card['card_format']}, this sedviz reads {CARD_FORMAT}"
        )
    return card


def load_model(
    name: str | None = None, *, target: str | None = None, root: str | Path | None = None
) -> StarClassifier:
    """Load model *name* (or the active model of *target*) with checks; card in ``card_``.

    Raises :class:`ModelError` for an unknown name, a corrupt card or booster
    file, a feature list other than this sedviz's :data:`FEATURE_NAMES`, or a
    model written by a newer XGBoost major version.
    """
    if name is None:
        name = get_active_model_name(target or TARGETS[0], root=root)
    card = load_card(name, root=root)
    if target is not None and card["target"] != target:
        raise ModelError(f"model {name!r} predicts {card['target']}, not {target}")
    if list(card["features"]) != list(FEATURE_NAMES):
        raise ModelError(
            f"model {name!r} was trained on other features than this sedviz computes; retrain it"
        )
    saved_major = int(str(card["versions"].get("xgboost", "0")).split(".")[0])
    if saved_major > int(xgb.__version__.split(".")[0]):
        raise ModelError(
            f"model {name!r} needs XGBoost {card['versions']['xgboost']}, found {xgb.__version__}"
        )
    path = models_dir(root) / name / MODEL_FILE
    if not path.is_file() or _sha256(path) != card["model_sha256"]:
        raise ModelError(f"model {name!r}: {MODEL_FILE} is missing or corrupt (checksum mismatch)")
    try:
        booster = xgb.Booster(model_file=str(path))
    except xgb.core.XGBoostError as exc:
        raise ModelError(f"model {name!r}: cannot read {MODEL_FILE}") from exc
    if booster.num_features() != len(card["features"]):
        raise ModelError(f"model {name!r}: booster and card disagree on the features")
    params = {k: v for k, v in card.get("params", {}).items() if k != "classes"}
    model = StarClassifier.from_booster(booster, card["classes"], card["features"], params)
    model.card_ = card
    model.folder_ = models_dir(root) / name
    return model


def list_model_names(*, root: str | Path | None = None) -> list[str]:
    """Return the names of the model folders (those holding a card), sorted."""
    base = models_dir(root)
    if not base.is_dir():
        return []
    return sorted(
        p.name
        for p in base.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / CARD_FILE).is_file()
    )


def list_models_frame(*, root: str | Path | None = None) -> pd.DataFrame:
    """Return one row per model: name, target, created, accuracy, balanced accuracy, active."""
    rows = []
    for name in list_model_names(root=root):
        try:
            card = load_card(name, root=root)
        except ModelError:
            continue
        metrics = card.get("metrics", {})
        rows.append(
            {
                "name": name,
                "target": card["target"],
                "created_utc": card.get("created_utc", ""),
                "accuracy": metrics.get("accuracy"),
                "balanced_accuracy": metrics.get("balanced_accuracy"),
                "active": get_active_model_name(card["target"], root=root) == name,
            }
        )
    columns = ["name", "target", "created_utc", "accuracy", "balanced_accuracy", "active"]
    return pd.DataFrame(rows, columns=columns)


def _active_path(target: str, root: str | Path | None) -> Path:
    return models_dir(root) / f"active-{check_target(target)}.json"


def get_active_model_name(target: str, *, root: str | Path | None = None) -> str:
    """Return the active model of *target* (the shipped default unless another was set)."""
    path = _active_path(target, root)
    if path.is_file():
        try:
            return validate_model_name(json.loads(path.read_text())["name"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path.name} is corrupt; delete it to use the default") from exc
    return default_model_name(target)


def set_active_model(target: str, name: str, *, root: str | Path | None = None) -> None:
    """Record *name* as the active model of *target* (atomic write)."""
    card = load_card(name, root=root)
    if card["target"] != target:
        raise ModelError(f"model {name!r} predicts {card['target']}, not {target}")
    path = _active_path(target, root)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps({"name": name}) + "\n")
    os.replace(tmp, path)


def delete_model(name: str, *, root: str | Path | None = None) -> None:
    """Delete a user model (never a shipped default, never the active one)."""
    card = load_card(name, root=root)
    if name.startswith(DEFAULT_PREFIX):
        raise ModelError(f"model {name!r} is a shipped default and cannot be deleted")
    if get_active_model_name(card["target"], root=root) == name:
        raise ModelError(f"model {name!r} is active for {card['target']}; activate another first")
    folder = models_dir(root) / name
    trash = folder.parent / f".old-{name}-{uuid.uuid4().hex[:8]}"
    os.replace(folder, trash)
    shutil.rmtree(trash, ignore_errors=True)


def model_folder(name: str, *, root: str | Path | None = None) -> Path:
    """Return the folder of model *name* (validated name; may not exist)."""
    return models_dir(root) / validate_model_name(name)
