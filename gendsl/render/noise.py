"""Noise as a creative tool: each image's noise from its seed, a variation seed mixed in at a strength.

An image's noise (lang/noise.py) is every random choice of that image: where the world
puts things, their designs and shades, the sky, and a learned model's latent. A variation
seed and a strength move all of it together along the spherical path between the two
seeds' noises: at 0 the image of the seed, at 1 the image of the variation seed, and
in between composition, details and latent glide (discrete choices switch on the way).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..lang.noise import Noise


def slerp(a: np.ndarray, b: np.ndarray, t) -> np.ndarray:
    """Row-wise spherical interpolation of (N, D) noises from a (t=0) to b (t=1); the ends are exact."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.broadcast_to(np.asarray(t, np.float64), (len(a),))[:, None]
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    cos = np.clip(np.sum(a * b, axis=1) / np.maximum(norms, 1e-12), -1.0, 1.0)[:, None]
    theta = np.arccos(cos)
    sin = np.sin(theta)
    parallel = sin < 1e-6  # (nearly) the same direction: the straight line is the same path
    safe = np.where(parallel, 1.0, sin)
    wa = np.where(parallel, 1.0 - t, np.sin((1.0 - t) * theta) / safe)
    wb = np.where(parallel, t, np.sin(t * theta) / safe)
    out = np.where(t == 0.0, a, np.where(t == 1.0, b, wa * a + wb * b))
    return out.astype(np.float32)


def has_noise(model) -> bool:
    """Whether the model draws from an image's Noise (the world and the learned conditional models do)."""
    return bool(getattr(model, "takes_noise", False))


def noises(seeds: Sequence[int], variation_seeds: Sequence[int | None] | None = None,
           strengths: Sequence[float] | None = None) -> list:
    """One entry per image: its plain seed, or a Noise with its variation seed mixed in at its strength."""
    out = []
    for i, seed in enumerate(seeds):
        v = None if variation_seeds is None else variation_seeds[i]
        s = 0.0 if strengths is None else float(strengths[i])
        out.append(Noise(int(seed), v, s) if v is not None and s > 0 else seed)
    return out


def draw(model, cond: np.ndarray, seeds: Sequence[int], variation_seeds: Sequence[int | None] | None = None,
         strengths: Sequence[float] | None = None) -> np.ndarray:
    """Images of `cond` at `seeds`, with each image's variation seed mixed in at its strength."""
    from ..lang.errors import GendslError

    mixed = noises(seeds, variation_seeds, strengths)
    if all(not isinstance(n, Noise) for n in mixed):
        return model.generate(cond, list(seeds))
    if not has_noise(model):
        raise GendslError(f'the "{model.kind}" model has no noise to vary; variation seeds and strengths work with '
                          "the world and the conditional models (cgan, cvae)")
    return model.generate(cond, mixed)
