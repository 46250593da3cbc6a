"""The judge protocol, and the judges a world has.

Every judge, whatever world it reads, is driven the same way:

    judge.kind                               # what its folder's config.json says it is
    judge.attributes                         # the columns of its table ("all" last: the whole scene right)
    judge.score(images, scenes, seeds)       # {attribute: (right, counted)}: bool (N, k) each, k per judge
    judge.read(images)                       # what it sees, as scenes, where it reads a picture alone
    judge.fingerprint()                      # which judge gave a report's figures

`score` says, per image, which of the attributes the true scene asks for the picture gets right (k cells
per image: one per item slot for the scene judge, one for most figures); `tally` turns that into shares.
A world names its judges (World.judges, shipped folders in gendsl/weights/); `load_judge` reads any judge
folder by the kind its config.json names, and `judges_of(world)` loads a world's.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError

WEIGHTS = Path(__file__).resolve().parents[1] / "weights"
# kind in config.json -> "module:Class", loaded lazily: the one table of judges
KINDS = {"judge": "gendsl.eval.judge:Judge", "box-judge": "gendsl.eval.box_judge:BoxJudge",
         "place-judge": "gendsl.eval.place_judge:PlaceJudge", "scene-judge": "gendsl.eval.composite_judge:CompositeJudge"}


def load_judge(name_or_path):
    """A judge by shipped name (gendsl/weights/NAME) or folder, of whichever kind its config.json names."""
    import importlib

    path = WEIGHTS / str(name_or_path) if (WEIGHTS / str(name_or_path) / "config.json").is_file() \
        else Path(name_or_path)
    config = path / "config.json"
    if not config.is_file():
        raise GendslError(f"{path} is not a saved judge (it has no config.json)")
    try:
        kind = json.loads(config.read_text(encoding="utf-8")).get("kind")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise GendslError(f"{config} is not valid JSON: {error}") from None
    if kind not in KINDS:
        raise GendslError(f"{path} holds a {kind!r}, not a judge ({', '.join(KINDS)})")
    module, _, attr = KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), attr).load(path)


def judges_of(world) -> list:
    """The shipped judges of a world, main one first; those missing from this copy are left out."""
    return [load_judge(name) for name in world.judges if (WEIGHTS / name / "config.json").is_file()]


def tally(scores: dict, keep=None) -> dict:
    """{attribute: {"accuracy": share right or None, "n": cases}} over the images `keep` selects."""
    out = {}
    for name, (right, counted) in scores.items():
        r, c = (right, counted) if keep is None else (right[keep], counted[keep])
        n = int(c.sum())
        out[name] = {"accuracy": float((r & c).sum() / n) if n else None, "n": n}
    return out


def mean_std(per_seed: list[dict], attributes) -> dict:
    """{attribute: {"mean", "std", "n"}} from one tally per noise seed (std over seeds)."""
    out = {}
    for name in attributes:
        values = np.array([d[name]["accuracy"] for d in per_seed if d[name]["accuracy"] is not None], np.float64)
        out[name] = {"mean": float(values.mean()) if len(values) else None,
                     "std": float(values.std()) if len(values) else None,
                     "n": int(sum(d[name]["n"] for d in per_seed))}
    return out
