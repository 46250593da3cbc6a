"""Noise as a creative tool: a model's noise from seeds, variation seeds mixed in by slerp.

Slerp (spherical interpolation) keeps a Gaussian vector's length, so a mix of
two noises still looks like one noise to the model: linear mixing would shrink
it towards the mean and wash the image out half way.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..lang.errors import GendslError


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
    """Whether the model draws from a noise vector that can be mixed (learned models do; the world does not)."""
    return callable(getattr(model, "noise", None))


def draw(model, cond: np.ndarray, seeds: Sequence[int], variation_seeds: Sequence[int | None] | None = None,
         strengths: Sequence[float] | None = None) -> np.ndarray:
    """Images of `cond` at `seeds`, with each image's variation seed mixed in at its strength."""
    seeds = list(seeds)
    strengths = np.zeros(len(seeds)) if strengths is None else np.asarray(strengths, np.float64)
    if not strengths.any():
        return model.generate(cond, seeds)
    if not has_noise(model):
        raise GendslError(f'the "{model.name}" model has no noise to vary (its seed only places things); '
                          "variation seeds and strengths work with learned models such as cgan and cvae")
    noise = model.noise(seeds)
    mixed = [i for i, s in enumerate(strengths) if s > 0]
    other = model.noise([variation_seeds[i] for i in mixed])
    noise[mixed] = slerp(noise[mixed], other, strengths[mixed])
    return model.generate(cond, seeds, noise=noise)
