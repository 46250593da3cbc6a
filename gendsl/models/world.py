"""The procedural world as a model: decodes each conditioning vector and draws it exactly.

It is the ground truth the learned models are trained on and judged against,
and a model a sketch can `use` like any other.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import limits
from ..io import atomic_write_text
from ..lang.encode import DIM, decode
from ..lang.errors import GendslError
from ..lang.noise import as_noise

WORLD_VERSION = "2"  # bump when the renderer draws any scene differently (2: wide seeded variation)


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
    atomic_write_text(path / "config.json", json.dumps({"kind": model.name, "size": model.size}, indent=2))
    atomic_write_text(path / "README.md", f"# {model.name}\n\n{what} No weights, nothing trained.\n")
    return path


class WorldModel:
    name = "world"
    takes_noise = True  # generate() takes lang.noise.Noise seeds: variations move the whole picture

    def __init__(self, size: int = limits.DEFAULT_SIZE):
        if size not in limits.SIZES:
            raise GendslError(f"the world draws sizes {', '.join(map(str, limits.SIZES))}, not {size}")
        self.size = size

    def generate(self, cond, seeds: Sequence[int]) -> np.ndarray:
        from ..world.render import render_scene

        seeds = [as_noise(s) for s in seeds]  # ints, or Noises with a variation seed mixed in
        cond = broadcast_cond(cond, len(seeds))
        images = np.zeros((len(seeds), self.size, self.size, 3), np.uint8)
        for i, (vector, seed) in enumerate(zip(cond, seeds)):
            images[i] = render_scene(decode(vector), seed, self.size)
        return images

    def fingerprint(self) -> str:
        return hashlib.sha256(f"world-{WORLD_VERSION}-{self.size}".encode()).hexdigest()[:12]

    def save(self, path) -> Path:
        return save_renderer(self, path, "The procedural renderer: draws every scene exactly.")

    @classmethod
    def load(cls, path) -> "WorldModel":
        config = json.loads((Path(path) / "config.json").read_text())
        return cls(size=config.get("size", limits.DEFAULT_SIZE))
