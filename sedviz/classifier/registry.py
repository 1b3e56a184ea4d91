"""The model registry: one folder per model, saved atomically, never pickled.

Two folders, searched in this order:

- the **runtime folder** (writable): models kept from the app or trained with the
  command line, and the class default per target. ``$SEDVIZ_MODELS_DIR``, else
  ``$XDG_DATA_HOME/sedviz/models`` (``~/.local/share/sedviz/models``): outside
  the repository, so a class leaves ``git status`` clean;
- the **shipped folder** (read-only): the package's ``models/`` with the
  ``default-*`` models (``$SEDVIZ_SHIPPED_MODELS_DIR`` replaces it).

A ``root=`` argument (tools, tests) names one self-contained folder instead of
both. Layout of a folder::

    default-sp_class/      model.ubj (XGBoost's own binary format)
                           card.json (target, classes, features, split, metrics,
                                      versions, owner...)
                           catalog_shap.npz (optional: SHAP for the embedded catalogue)
    active-sp_class.json   {"name": "..."}: the class default per target

A save writes a temporary folder beside the target and renames it into place
(``os.replace``), so a reader never sees half a model and two processes saving
at once leave one complete model, not a mixture. The checks that depend on
the other models (name taken, owner, quotas: :mod:`sedviz.classifier.access`)
and the rename run under one file lock, so they hold across the processes of a
multi-process server. Loading checks the card's format version, the feature
list, the XGBoost major version and the SHA-256 of the booster file, and
refuses anything that does not match with one clear line.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

import pandas as pd
import xgboost as xgb

from sedviz import __version__
from sedviz.classifier.access import (
    AccessError,
    Editor,
    Quota,
    QuotaError,
    Usage,
    refusal_for_room,
    refusal_to_change,
)
from sedviz.classifier.features import FEATURE_NAMES
from sedviz.classifier.model import StarClassifier, check_is_fitted
from sedviz.classifier.targets import TARGETS, check_target
from sedviz.errors import SedvizError

#: Where ``pip install`` puts the shipped default models (pyproject ``data-files``).
INSTALLED_MODELS_DIR: Final = Path(sysconfig.get_path("data")) / "share" / "sedviz" / "models"
_CHECKOUT_MODELS_DIR: Final = Path(__file__).resolve().parents[2] / "models"
#: The shipped models folder (read-only defaults): ``models/`` of the repository when sedviz
#: runs from a checkout (or an editable install), else :data:`INSTALLED_MODELS_DIR`;
#: ``SEDVIZ_SHIPPED_MODELS_DIR`` replaces it.
MODELS_DIR: Final = _CHECKOUT_MODELS_DIR if _CHECKOUT_MODELS_DIR.is_dir() else INSTALLED_MODELS_DIR
LOCK_FILE: Final = ".lock"
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
    """Return the writable registry folder.

    *path*, else ``$SEDVIZ_MODELS_DIR``, else ``$XDG_DATA_HOME/sedviz/models``
    (``~/.local/share/sedviz/models``). It is created on the first save.
    """
    if path:
        return Path(path)
    if os.environ.get("SEDVIZ_MODELS_DIR"):
        return Path(os.environ["SEDVIZ_MODELS_DIR"])
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "sedviz" / "models"


def shipped_models_dir() -> Path:
    """Return the read-only folder of shipped models (``$SEDVIZ_SHIPPED_MODELS_DIR`` or models/)."""
    return Path(os.environ.get("SEDVIZ_SHIPPED_MODELS_DIR") or MODELS_DIR)


def _search_path(root: str | Path | None) -> list[Path]:
    if root:
        return [Path(root)]
    runtime, shipped = models_dir(), shipped_models_dir()
    if runtime.resolve() == shipped.resolve():
        return [runtime]
    return [runtime, shipped]


def _writable_dir(root: str | Path | None) -> Path:
    base = models_dir(root)
    if not root and base.resolve() == MODELS_DIR.resolve():
        raise ModelError(
            f"the runtime models folder is the repository's {MODELS_DIR}; "
            "set SEDVIZ_MODELS_DIR to a folder outside the repository"
        )
    return base


@contextlib.contextmanager
def _locked(base: Path) -> Iterator[None]:
    """Hold the registry's exclusive lock (all processes using *base*)."""
    base.mkdir(parents=True, exist_ok=True)
    with open(base / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        skip |= {"params", "n_trees", "model_sha256", "owner"}
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
    editor: Editor | None = None,
    quota: Quota | None = None,
) -> Path:
    """Save *model* as ``name/`` in the writable folder, atomically; return the folder.

    *extra_files* (file name -> bytes) are written into the same folder before
    the rename (e.g. precomputed SHAP). An *editor* (a session of the app)
    records its owner token in the card, may overwrite only its own models,
    never takes a ``default-`` name, and must fit in *quota* (if given).
    Without an editor (the command line) none of these rules apply.

    Raises :class:`ModelError` if the name is invalid or taken (unless
    *overwrite*), :class:`~sedviz.classifier.access.AccessError` if the model
    belongs to another session, :class:`~sedviz.classifier.access.QuotaError`
    if it does not fit.
    """
    validate_model_name(name)
    base = _writable_dir(root)
    if editor is not None and name.startswith(DEFAULT_PREFIX):
        raise AccessError(f"names starting with {DEFAULT_PREFIX!r} are kept for the shipped models")
    base.mkdir(parents=True, exist_ok=True)
    final = base / name
    if final.exists() and not overwrite:
        raise ModelError(f"model {name!r} already exists (choose another name)")
    card = build_card(model, name)
    if card["target"] is None:
        raise ModelError("the model has no target recorded (train it with train_model)")
    if editor is not None:
        card["owner"] = editor.owner
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{name}-", dir=base))
    tmp.chmod(0o755)  # mkdtemp makes it private; a model folder is shared
    try:
        model.booster_.save_model(str(tmp / MODEL_FILE))
        card["model_sha256"] = _sha256(tmp / MODEL_FILE)
        for file_name, data in (extra_files or {}).items():
            (tmp / validate_model_name(file_name)).write_bytes(data)
        (tmp / CARD_FILE).write_text(json.dumps(card, indent=1, default=_json_default) + "\n")
        with _locked(base):
            _check_save(base, name, overwrite, editor, quota, _folder_mb(tmp))
            _move_into_place(tmp, final, overwrite)
            if activate:
                _write_active(base, card["target"], name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _check_save(
    base: Path, name: str, overwrite: bool, editor: Editor | None, quota: Quota | None, mb: float
) -> None:
    """The checks that depend on the other models; run under the lock."""
    final = base / name
    if final.exists() and not overwrite:
        raise ModelError(f"model {name!r} already exists (choose another name)")
    if editor is None:
        return
    if final.exists():
        reason = refusal_to_change(_read_card_or_empty(final, name), editor, "overwrite")
        if reason:
            raise AccessError(reason)
    if quota is not None:
        mine, everyone = usage(editor.owner, root=base, exclude=name)
        reason = refusal_for_room(quota, editor, mine, everyone, mb)
        if reason:
            raise QuotaError(reason)


def _read_card_or_empty(folder: Path, name: str) -> dict[str, Any]:
    try:
        card = json.loads((folder / CARD_FILE).read_text())
    except (OSError, ValueError):
        card = {}
    return {"name": name, **card} if isinstance(card, dict) else {"name": name}


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 2**20


def usage(
    owner: str | None, *, root: str | Path | None = None, exclude: str | None = None
) -> tuple[Usage, Usage]:
    """Return the models kept by *owner* and by everyone in the writable folder (count, MB).

    *exclude* (a model about to be overwritten) is left out of both.
    """
    base = models_dir(root)
    mine, everyone = Usage(), Usage()
    if not base.is_dir():
        return mine, everyone
    for folder in base.iterdir():
        if folder.name.startswith(".") or folder.name == exclude or not folder.is_dir():
            continue
        if not (folder / CARD_FILE).is_file():
            continue
        mb = _folder_mb(folder)
        everyone = Usage(everyone.models + 1, everyone.mb + mb)
        if owner and _read_card_or_empty(folder, folder.name).get("owner") == owner:
            mine = Usage(mine.models + 1, mine.mb + mb)
    return mine, everyone


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


def _find_folder(name: str, root: str | Path | None) -> Path | None:
    for base in _search_path(root):
        folder = base / name
        if (folder / CARD_FILE).is_file() or folder.is_dir():
            return folder
    return None


def load_card(name: str, *, root: str | Path | None = None) -> dict[str, Any]:
    """Read and check a model's card; raise :class:`ModelError` if absent or corrupt."""
    folder = _find_folder(validate_model_name(name), root)
    if folder is None:
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
    folder = model_folder(name, root=root)
    path = folder / MODEL_FILE
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
    model.folder_ = folder
    return model


def list_model_names(*, root: str | Path | None = None) -> list[str]:
    """Return the names of the model folders (those holding a card), sorted, without repeats."""
    names: set[str] = set()
    for base in _search_path(root):
        if base.is_dir():
            names |= {
                p.name
                for p in base.iterdir()
                if p.is_dir() and not p.name.startswith(".") and (p / CARD_FILE).is_file()
            }
    return sorted(names)


#: Columns of :func:`list_models_frame`.
MODELS_FRAME_COLUMNS: Final = (
    "name", "target", "created_utc", "accuracy", "balanced_accuracy", "active", "owner",
    "shipped", "size_mb",
)  # fmt: skip


def list_models_frame(*, root: str | Path | None = None) -> pd.DataFrame:
    """Return one row per model (:data:`MODELS_FRAME_COLUMNS`).

    ``active``: the class default of its target; ``owner``: the session token
    that kept it (``""`` for shipped and command-line models); ``shipped``: it
    lives in the read-only folder; ``size_mb``: its size on disk.
    """
    rows = []
    for name in list_model_names(root=root):
        try:
            card = load_card(name, root=root)
        except ModelError:
            continue
        folder = model_folder(name, root=root)
        metrics = card.get("metrics", {})
        rows.append(
            {
                "name": name,
                "target": card["target"],
                "created_utc": card.get("created_utc", ""),
                "accuracy": metrics.get("accuracy"),
                "balanced_accuracy": metrics.get("balanced_accuracy"),
                "active": get_active_model_name(card["target"], root=root) == name,
                "owner": str(card.get("owner") or ""),
                "shipped": folder.parent != models_dir(root),
                "size_mb": round(_folder_mb(folder), 2),
            }
        )
    return pd.DataFrame(rows, columns=list(MODELS_FRAME_COLUMNS))


def _active_path(target: str, root: str | Path | None) -> Path:
    return models_dir(root) / f"active-{check_target(target)}.json"


def get_active_model_name(target: str, *, root: str | Path | None = None) -> str:
    """Return the class default of *target*: the one set, else the shipped default."""
    path = _active_path(target, root)
    if path.is_file():
        try:
            return validate_model_name(json.loads(path.read_text())["name"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path.name} is corrupt; delete it to use the default") from exc
    return default_model_name(target)


def set_active_model(
    target: str, name: str | None, *, root: str | Path | None = None, editor: Editor | None = None
) -> None:
    """Make *name* the class default of *target* (None: back to the shipped default).

    Stored in the writable folder (atomic write); every session that has not
    chosen a model uses it. From the app only the teacher may do this.
    """
    if editor is not None and not editor.teacher:
        raise AccessError("only the teacher can set the class default")
    if name is not None:
        card = load_card(name, root=root)
        if card["target"] != target:
            raise ModelError(f"model {name!r} predicts {card['target']}, not {target}")
    base = _writable_dir(root)
    with _locked(base):
        if name is None:
            _active_path(target, root).unlink(missing_ok=True)
        else:
            _write_active(base, target, name)


def _write_active(base: Path, target: str, name: str) -> None:
    path = base / f"active-{check_target(target)}.json"
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps({"name": name}) + "\n")
    os.replace(tmp, path)


def delete_model(
    name: str, *, root: str | Path | None = None, editor: Editor | None = None
) -> None:
    """Delete a kept model: never a shipped one, never a class default.

    An *editor* (a session of the app) may delete only its own models, the
    teacher any. Raises :class:`ModelError` or
    :class:`~sedviz.classifier.access.AccessError` with the reason.
    """
    base = _writable_dir(root)
    with _locked(base):
        card = load_card(name, root=root)
        folder = model_folder(name, root=root)
        if name.startswith(DEFAULT_PREFIX) or folder.parent != base:
            raise ModelError(f"model {name!r} is a shipped default and cannot be deleted")
        if get_active_model_name(card["target"], root=root) == name:
            raise ModelError(
                f"model {name!r} is the class default for {card['target']}; "
                "make another the default first"
            )
        if editor is not None:
            reason = refusal_to_change({"name": name, **card}, editor, "delete")
            if reason:
                raise AccessError(reason)
        trash = folder.parent / f".old-{name}-{uuid.uuid4().hex[:8]}"
        os.replace(folder, trash)
    shutil.rmtree(trash, ignore_errors=True)


def model_folder(name: str, *, root: str | Path | None = None) -> Path:
    """Return the folder of model *name*: where it is found, else where it would be saved."""
    return _find_folder(validate_model_name(name), root) or models_dir(root) / name
