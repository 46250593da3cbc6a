"""A world's renderer as a model: decodes each conditioning vector and draws it exactly.

It is the ground truth the learned models are trained on and judged against,
and a model a sketch can `use` like any other: `world` is the scene world's
renderer, `digits` the digits world's (32 x 32 canvases; at 64 or 128 px each
pixel becomes a square block).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import limits, worlds
from ..io import atomic_write_text
from ..worlds.scene.encode import DIM
from ..lang.errors import GendslError
from ..lang.noise import as_noise

WORLD_VERSION = "2"  # the scene world's version (worlds/scene.py), kept here for older imports


def broadcast_cond(cond, n: int, dim: int = DIM) -> np.ndarray:
    """cond as float32 (n, dim): one vector is shared by every seed (dim: the model's world's, the scene's by default)."""
    cond = np.asarray(cond, np.float32)
    if cond.shape == (dim,):
        cond = np.broadcast_to(cond, (n, dim))
    if cond.shape != (n, dim):
        raise GendslError(f"conditioning must have shape ({dim},) or ({n}, {dim}), not {cond.shape}")
    return cond


def save_renderer(model, path, what: str) -> Path:
    """The folder of a model with no weights (a renderer): its kind and size, and a card saying `what` it is."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path / "config.json", json.dumps({"kind": model.kind, "size": model.size}, indent=2))
    atomic_write_text(path / "README.md", f"# {model.kind}\n\n{what} No weights, nothing trained.\n")
    return path


class WorldModel:
    """The scene world's renderer (kind "world"); subclasses name another world's."""

    kind = "world"
    world_name = "scene"
    takes_noise = True  # generate() takes lang.noise.Noise seeds: variations move the whole picture
    what = "The procedural renderer: draws every scene exactly."

    def __init__(self, size: int = limits.DEFAULT_SIZE):
        if size not in limits.SIZES:
            raise GendslError(f"the {self.kind} renderer draws sizes {', '.join(map(str, limits.SIZES))}, not {size}")
        self.size = size

    @property
    def world(self) -> worlds.World:
        return worlds.get(self.world_name)

    def generate(self, cond, seeds: Sequence[int]) -> np.ndarray:
        world = self.world
        seeds = [as_noise(s) for s in seeds] if self.takes_noise else list(seeds)
        cond = np.asarray(cond, np.float32)
        if cond.shape[-1:] != (world.dim,):
            raise GendslError(f"the {world.name} world reads {world.name} scenes: conditioning must have shape "
                              f"({world.dim},) or ({len(seeds)}, {world.dim}), not {cond.shape}; write the sketch "
                              f"with `world {world.name}`")
        cond = broadcast_cond(cond, len(seeds), world.dim)
        images = np.zeros((len(seeds), self.size, self.size, 3), np.uint8)
        for i, (vector, seed) in enumerate(zip(cond, seeds)):
            images[i] = world.render(world.decode(vector), seed, self.size)
        return images

    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.kind}-{self.world.version}-{self.size}".encode()).hexdigest()[:12]

    def save(self, path) -> Path:
        return save_renderer(self, path, self.what)

    @classmethod
    def load(cls, path) -> "WorldModel":
        config = json.loads((Path(path) / "config.json").read_text())
        return cls(size=config.get("size", limits.DEFAULT_SIZE))


class DigitsWorldModel(WorldModel):
    """The digits world's renderer: scikit-learn's digits placed by the caption (the default model of a sketch
    that says `world digits`)."""

    kind = "digits"
    world_name = "digits"
    takes_noise = True  # a variation switches each digit's glyph and jitter to the variation seed's on the way
    what = "The digits world's renderer: scikit-learn's digits placed by the caption."

    def __init__(self, size: int = 32):
        super().__init__(size)
