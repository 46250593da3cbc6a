"""Every generative model behind one small protocol, found by name.

The registry maps a model name to "module:Class" and imports lazily, so that
`import gendsl` and `gendsl check` never pay for TensorFlow. A model is also
loaded from a saved folder (config.json names its kind).
"""
from __future__ import annotations

import importlib
import json
from pathlib import Path

from ..lang.errors import GendslError, suggestion_hint
from .protocol import GenerativeModel

# name -> "module:Class"; learned models join as their issues land.
REGISTRY = {
    "world": "gendsl.models.world:WorldModel",
    "cgan": "gendsl.models.cgan:CGAN",
    "cvae": "gendsl.models.cvae:CVAE",
}


def names() -> list[str]:
    return sorted(REGISTRY)


def _class(kind: str):
    module, _, attr = REGISTRY[kind].partition(":")
    return getattr(importlib.import_module(module), attr)


def check_name(name: str) -> None:
    """Raise a helpful error unless `name` is a registered model or a saved model folder."""
    if name in REGISTRY or (Path(name) / "config.json").is_file():
        return
    hint = suggestion_hint(name, names(), cutoff=0.5) or f"known models: {', '.join(names())}"
    raise GendslError(f'no model named "{name}" (and no saved model folder at {name}); {hint}')


def load(name_or_path: str, size: int | None = None) -> GenerativeModel:
    """A model by registered name, or from a folder written by `model.save(path)`."""
    check_name(name_or_path)
    path = Path(name_or_path)
    if name_or_path not in REGISTRY:
        try:
            kind = json.loads((path / "config.json").read_text()).get("kind")
        except (json.JSONDecodeError, AttributeError) as error:
            raise GendslError(f"{path}/config.json is damaged: {error}") from None
        if kind not in REGISTRY:
            raise GendslError(f"{path}/config.json names an unknown model kind {kind!r}")
        return _class(kind).load(path)
    return _class(name_or_path)(size=size) if size else _class(name_or_path)()
