"""The mean of the weights of several runs of one network (a "model soup", Wortsman et al. 2022).

Runs fine-tuned from one shared start stay in one basin of the loss, and the mean of their weights often reads or
draws better than any one of them, at no cost when it runs. Runs trained from different starts do not average
(their units are not in the same order): only `gendsl eval` can say whether a mean is better, so the card it writes
names its parents and asks for one. Keras models with a sampler (the cGAN, the cVAE, the captioner, the hashing
model) average; the first folder's config is kept, and the config fields that differ are listed in the card.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .. import limits
from ..lang.errors import GendslError
from . import WEIGHTS, class_of, shipped
from .conditional import fingerprint_of
from .folder import read_config_json

AVERAGED = ("cgan", "cvae", "captioner", "hashing")


def folder_of(name_or_path: str) -> Path:
    """A shipped model's folder by name (`captioner-world-32`, `captioner`), or a saved model folder."""
    names = {**shipped(True), **shipped(False)}
    path = WEIGHTS / names[name_or_path] if name_or_path in names else Path(name_or_path)
    if not (path / "config.json").is_file():
        raise GendslError(f'no saved model folder (with a config.json) at "{name_or_path}", and no shipped model of '
                          f"that name")
    return path


def average(names: list[str], out) -> tuple[object, Path]:
    """Load every model named, check that they can be averaged, and save the mean of their weights in `out`."""
    if not 2 <= len(names) <= limits.MAX_AVERAGED:
        raise GendslError(f"average takes 2 to {limits.MAX_AVERAGED} models, not {len(names)}")
    folders, out = [folder_of(name) for name in names], Path(out)
    if (out / "config.json").exists():
        raise GendslError(f"{out} already holds a model; choose another --out")
    saved = [read_config_json(folder) for folder in folders]
    kinds = {s.get("kind") for s in saved}
    if len(kinds) != 1 or not kinds <= set(AVERAGED):
        raise GendslError(f"average takes models of one kind among {', '.join(AVERAGED)}; these are "
                          f"{', '.join(sorted(map(str, kinds)))}")
    if any(s.get("world") != saved[0].get("world") for s in saved):
        raise GendslError("these models speak different worlds (their config.json differ in \"world\"); "
                          "only copies of one network average")
    kind = kinds.pop()
    models = [class_of(kind).load(folder) for folder in folders]
    weights = [model.sampler.get_weights() for model in models]
    shapes = [[w.shape for w in ws] for ws in weights]
    if any(s != shapes[0] for s in shapes):
        raise GendslError("these models' networks differ in shape (their configs build different layers); only "
                          "copies of one network average")
    mean = [np.mean([ws[i] for ws in weights], axis=0, dtype=np.float64).astype(first.dtype)
            if np.issubdtype(first.dtype, np.floating) else first  # counters and seeds: the first model's
            for i, first in enumerate(weights[0])]
    parents = [(name, m.fingerprint()) for name, m in zip(names, models)]
    model = models[0]
    model.sampler.set_weights(mean)
    model._loaded_fingerprint = fingerprint_of(model.sampler)  # what the saved folder will load as, not the first's
    model.save(out, card(kind, parents, saved, out))
    return model, out


def card(kind: str, parents: list[tuple[str, str]], saved: list[dict], out: Path) -> str:
    names = [name for name, _ in parents]
    rows = "\n".join(f"| {name} | {fingerprint} |" for name, fingerprint in parents)
    first = saved[0]["config"]
    differ = sorted({k for s in saved[1:] for k, v in s["config"].items() if first.get(k) != v})
    kept = (f"\nTheir configs differ in {', '.join(differ)}; this model keeps the first's "
            f"({json.dumps({k: first.get(k) for k in differ})}).\n" if differ else "")
    return (f"# {kind}: the mean of {len(names)} models' weights\n\n"
            f"Made by `gendsl average {' '.join(names)} --out {out}` (a model soup: the mean of the weights of runs "
            f"fine-tuned from one start). Measure it before you use it: `gendsl eval {out}`.\n\n"
            f"| averaged | fingerprint |\n|---|---|\n{rows}\n{kept}")
