"""Reading a saved model folder's config.json, with one clear error for each way it can be wrong."""
from __future__ import annotations

import json
from pathlib import Path

from ..lang.errors import GendslError

FORMAT = 1  # the saved-folder format every model writes


def read_saved(path, kind: str, weights_name: str) -> tuple[dict, Path]:
    """(the saved config.json, the weights file) of a `kind` model folder; refuses missing, damaged or foreign ones."""
    path = Path(path)
    config_file, weights = path / "config.json", path / weights_name
    if not config_file.is_file() or not weights.is_file():
        raise GendslError(f"{path} is not a saved {kind} model (it needs config.json and {weights_name})")
    try:
        saved = json.loads(config_file.read_text())
    except json.JSONDecodeError as error:
        raise GendslError(f"{config_file} is damaged: {error}") from None
    if saved.get("kind") != kind:
        raise GendslError(f"{path} holds a {saved.get('kind')!r} model, not {kind!r}")
    if saved.get("format") != FORMAT:
        raise GendslError(f"{path} was saved in format {saved.get('format')}; this gendsl reads format {FORMAT}")
    return saved, weights
