"""Finding a captioner or a hashing model by name or folder.

These models read pictures rather than draw them, so they stay out of the
generative registry (gendsl.models.REGISTRY, whose every entry must draw); they are
listed in the one table of loadable models (gendsl.models.KINDS) and shipped
beside the others in gendsl/weights/.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..lang.errors import GendslError, suggestion_hint
from ..models import KINDS as MODEL_KINDS, WEIGHTS, class_of, shipped

SHIPPED = shipped(draws=False)
KINDS = tuple(name for name, kind in MODEL_KINDS.items() if not kind.draws)


def folder_of(name_or_path: str) -> Path:
    if name_or_path in SHIPPED:
        folder = WEIGHTS / SHIPPED[name_or_path]
        if not (folder / "config.json").is_file():
            kind = name_or_path.split("-")[0]
            raise GendslError(f'no trained "{name_or_path}" is shipped in this copy of gendsl ({folder} is missing); '
                              f"train one with: gendsl train {kind} --out runs/{kind}")
        return folder
    path = Path(name_or_path)
    if not (path / "config.json").is_file():
        hint = suggestion_hint(name_or_path, list(SHIPPED), cutoff=0.5) or f"known: {', '.join(SHIPPED)}"
        raise GendslError(f'no captioner or hashing model named "{name_or_path}" (and no saved model folder there); '
                          f"{hint}")
    return path


def kind_of(name_or_path: str) -> str | None:
    """'captioner' or 'hashing' when the name or folder holds one, else None (never raises)."""
    if name_or_path in SHIPPED:
        return name_or_path.split("-")[0]
    try:
        kind = json.loads((Path(name_or_path) / "config.json").read_text()).get("kind")
    except (OSError, ValueError, AttributeError):
        return None
    return kind if kind in KINDS else None


def load(name_or_path: str, kind: str):
    """The captioner or hashing model (`kind`) a name or saved folder holds; a clear error otherwise."""
    folder = folder_of(name_or_path)
    found = kind_of(str(folder))
    if found != kind:
        raise GendslError(f"{name_or_path} holds a {found or 'non-retrieval'} model, not a {kind}")
    model = class_of(kind).load(folder)
    model.ref = name_or_path
    return model
