"""Reading a saved model folder's config.json, with one clear error for each way it can be wrong.

A model folder may come from anywhere: its config.json is read bounded (a regular UTF-8 file of at
most limits.MAX_CONFIG_BYTES), and every number in it is checked before a network is built from it
(a width of 100,000 would ask for gigabytes before a single weight is read).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import MISSING, fields
from pathlib import Path

from .. import limits
from ..lang import checks
from ..lang.errors import GendslError
from ..lang.textfile import json_object, read_text

FORMAT = 1  # the saved-folder format every model writes


def read_config_json(path) -> dict:
    """A model folder's config.json as a dict, its kind text and its numbers within bounds."""
    file = Path(path) / "config.json"
    saved = json_object(read_text(file, "model config", limits.MAX_CONFIG_BYTES), str(file))
    if not isinstance(saved.get("kind", ""), str):
        raise GendslError(f"{file} is damaged: its kind is {checks._show(saved['kind'])}, not a name")
    config = saved.get("config", {})
    if not isinstance(config, dict):
        raise GendslError(f"{file} is damaged: its config is {checks._show(config)}, not an object")
    _check_numbers(file, {**config, **({"size": saved["size"]} if "size" in saved else {})})
    return saved


def _check_numbers(file: Path, values: dict) -> None:
    try:
        for name, value in values.items():
            if name == "size":
                checks.size(value, '"size"')
            elif name in limits.MODEL_FIELD_MAX:  # what a network's shape is built from: whole numbers, bounded
                for item in value if isinstance(value, list) else [value]:
                    checks.whole(item, f'"{name}"', 1, limits.MODEL_FIELD_MAX[name])
            elif isinstance(value, numbers.Real) and not isinstance(value, bool):
                if not math.isfinite(value) or abs(value) > limits.MAX_MODEL_INT:
                    raise GendslError(f'"{name}" is {checks._show(value)}, past {limits.MAX_MODEL_INT:,}')
    except GendslError as error:
        raise GendslError(f"{file} is damaged: {error}") from None


def checked_config(config_class, saved: dict, path) -> dict:
    """The saved config's fields that `config_class` knows, each of the type of its default."""
    out = {}
    for f in fields(config_class):
        if f.name not in saved:
            continue
        value = saved[f.name]
        default = f.default if f.default is not MISSING else (
            f.default_factory() if f.default_factory is not MISSING else None)  # type: ignore[misc]
        if isinstance(default, tuple) and isinstance(value, list):
            value = tuple(value)
        if default is not None and not _same_kind(value, default):
            raise GendslError(f'{Path(path) / "config.json"} is damaged: "{f.name}" should be a '
                              f"{type(default).__name__}, not {checks._show(value)}")
        out[f.name] = value
    return out


def _same_kind(value, default) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, numbers.Integral):
        return isinstance(value, numbers.Integral)
    if isinstance(default, numbers.Real):
        return isinstance(value, numbers.Real)
    if isinstance(default, tuple):
        return isinstance(value, tuple) and all(_same_kind(v, default[0]) for v in value) if default else True
    return isinstance(value, type(default))


def read_saved(path, kind: str, weights_name: str) -> tuple[dict, Path]:
    """(the saved config.json, the weights file) of a `kind` model folder; refuses missing, damaged or foreign ones."""
    path = Path(path)
    config_file, weights = path / "config.json", path / weights_name
    if not config_file.is_file() or not weights.is_file():
        raise GendslError(f"{path} is not a saved {kind} model (it needs config.json and {weights_name})")
    saved = read_config_json(path)
    if saved.get("kind") != kind:
        raise GendslError(f"{path} holds a {checks._show(saved.get('kind'))} model, not {kind!r}")
    if saved.get("format") != FORMAT:
        raise GendslError(f"{path} was saved in format {checks._show(saved.get('format'))}; "
                          f"this gendsl reads format {FORMAT}")
    saved.setdefault("config", {})
    return saved, weights
