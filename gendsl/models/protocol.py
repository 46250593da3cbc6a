"""The protocol every generative model follows (DESIGN.md, 'The model protocol')."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class GenerativeModel(Protocol):
    kind: str  # registered kind, e.g. "world", "cgan" (a Keras model's `name` is Keras's own, and equals it)
    size: int  # native image size in pixels

    def generate(self, cond: np.ndarray, seeds: Sequence[int]) -> np.ndarray:
        """uint8 images (len(seeds), size, size, 3); image i depends on cond[i] and seeds[i] alone.

        `cond` is float32 (len(seeds), DIM), or one vector (DIM,) shared by every seed.
        Unconditional models ignore it.
        """

    def fingerprint(self) -> str:
        """A short hash naming exactly what draws the images (code version, weights)."""

    def save(self, path: str | Path) -> Path:
        """Write the model as a folder: config.json, weights, model card."""
