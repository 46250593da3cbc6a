"""The digits world as a model: decodes each digits conditioning vector and draws it exactly.

The ground truth of the digits world (gendsl/world/digits.py), and the
default model of a sketch that says `world digits`. It draws 32 x 32
canvases; at 64 or 128 px each pixel becomes a square block.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import limits
from ..lang.digits import DIM, decode
from ..lang.errors import GendslError
from ..lang.seeds import check_seed
from . import classic
from .world import save_renderer


class DigitsWorldModel:
    name = "digits"

    def __init__(self, size: int = 32):
        if size not in limits.SIZES:
            raise GendslError(f"the digits world draws sizes {', '.join(map(str, limits.SIZES))}, not {size}")
        self.size = size

    def generate(self, cond, seeds: Sequence[int]) -> np.ndarray:
        from ..world.digits import render, to_rgb

        seeds = [check_seed(s) for s in seeds]
        cond = np.asarray(cond, np.float32)
        if cond.shape == (DIM,):
            cond = np.broadcast_to(cond, (len(seeds), DIM))
        if cond.shape != (len(seeds), DIM):
            raise GendslError(f"the digits world reads digits scenes: conditioning must have shape ({DIM},) or "
                              f"({len(seeds)}, {DIM}), not {cond.shape}; write the sketch with `world digits`")
        canvases = np.stack([render(decode(v), s) for v, s in zip(cond, seeds)]) if seeds else np.zeros((0, 32, 32))
        return classic.upscale(to_rgb(canvases), self.size).reshape(len(seeds), self.size, self.size, 3)

    def fingerprint(self) -> str:
        from ..world.digits import VERSION
        return hashlib.sha256(f"digits-{VERSION}-{self.size}".encode()).hexdigest()[:12]

    def save(self, path) -> Path:
        return save_renderer(self, path, "The digits world's renderer: scikit-learn's digits placed by the caption.")

    @classmethod
    def load(cls, path) -> "DigitsWorldModel":
        return cls(size=json.loads((Path(path) / "config.json").read_text()).get("size", 32))
