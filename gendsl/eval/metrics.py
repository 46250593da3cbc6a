"""Figures of a generative model, as the judge sees them.

    scenes = eval_scenes(100, held_out=False, items=1, seed=0)   # deterministic, no dataset needed
    acc = judged_accuracy(judge, images, scenes)                # share right per attribute
    frechet_distance(feats_a, feats_b)                          # FID in the judge's feature space
    diversity(feats)                                            # (scenes, seeds, F) -> mean pairwise distance

Seen scenes come from the world's sampler with held-out (object, place) pairs
rejected; held-out scenes are built around one of them (world.sample). Each
scene is drawn at several noise seeds, and each seed's image seed is derived
from (noise seed, scene index), so two scenes never share noise by accident.
"""
from __future__ import annotations

import inspect
from typing import Sequence

import numpy as np

from ..worlds.scene.encode import encode_batch
from ..worlds.scene.ir import Scene
from ..lang.seeds import stream
from ..limits import MAX_SEED
from ..worlds.scene.sample import scenes_of_items
from .augment import blur as gaussian_blur
from .judge import INPUT, Judge, to_input
from .score import ATTRIBUTES, accuracy, counts, match

GENERATE_BATCH = 64  # images per model.generate call


def eval_scenes(n: int, held_out: bool, items: int, seed: int = 0) -> list[Scene]:
    """n scenes with exactly `items` items, all seen compositions or all held-out ones (worlds/scene/sample.py)."""
    return scenes_of_items(n, held_out, items, seed)


def image_seeds(noise_seed: int, n: int, role: str = "model") -> list[int]:
    """The image seed of each of n scenes under one noise seed; role 'reference' gives other seeds."""
    return [int(stream(noise_seed, "eval-image", role, str(i)).integers(MAX_SEED + 1)) for i in range(n)]


def generate(model, scenes: Sequence[Scene], seeds: Sequence[int], world=None, steps: int | None = None,
             batch: int = GENERATE_BATCH) -> np.ndarray:
    """model.generate over scenes[i] at seeds[i], in batches (a batch equals one at a time, by protocol). Scenes
    are encoded by `world` (default: the scene language); `steps` goes to models whose sampler takes it (the
    RBM's Gibbs sweeps)."""
    cond = world.encode_batch(list(scenes)) if world is not None else encode_batch(list(scenes))
    options = {"steps": steps} if steps and "steps" in inspect.signature(model.generate).parameters else {}
    parts = [np.asarray(model.generate(cond[s:s + batch], list(seeds[s:s + batch]), **options), np.uint8)
             for s in range(0, len(scenes), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, model.size, model.size, 3), np.uint8)


def judged_accuracy(judge: Judge, images, scenes: Sequence[Scene], blur: float = 0.0, by_items: bool = False) -> dict:
    """Accuracy per attribute (score.ATTRIBUTES) of images of `scenes`, and how many cases each is over.
    blur: Gaussian sigma in 32-px pixels applied after downsampling (the judge's own robustness check).
    by_items: also the same figures for the scenes of 1, 2 and 3 items apart."""
    if blur > 0:
        x = gaussian_blur(to_input(images), blur)
        images = np.clip(np.round(x * 255), 0, 255).astype(np.uint8)
    j = match(judge.predict(images), scenes)
    out = {"accuracy": accuracy(j), "n": counts(j)}
    if by_items:
        sizes = np.array([len(s.items) for s in scenes])
        out["by_items"] = {str(k): {"accuracy": accuracy(j.subset(sizes == k)), "n": counts(j.subset(sizes == k))}
                           for k in sorted(set(sizes.tolist()))}
    return out


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets (N, F): 0 for a set with itself.

    tr(sqrt(Sa Sb)) is computed as the sum of square roots of the eigenvalues of
    sqrt(Sa) Sb sqrt(Sa), which is symmetric, so no complex sqrtm is needed."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or len(a) < 2 or len(b) < 2:
        raise ValueError(f"need two feature sets (N >= 2, F) of one width, not {a.shape} and {b.shape}")
    mu = a.mean(0) - b.mean(0)
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(sa)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    cross = np.linalg.eigvalsh(root_a @ sb @ root_a)
    value = mu @ mu + np.trace(sa) + np.trace(sb) - 2 * np.sqrt(np.clip(cross, 0, None)).sum()
    return float(max(value, 0.0))


def diversity(features: np.ndarray) -> float:
    """Mean pairwise Euclidean distance among the seeds of each scene, averaged over scenes.
    features: (scenes, seeds, F) with seeds >= 2."""
    f = np.asarray(features, np.float64)
    if f.ndim != 3 or f.shape[1] < 2:
        raise ValueError(f"diversity needs features (scenes, seeds >= 2, F), not {f.shape}")
    d = np.sqrt(((f[:, :, None] - f[:, None, :]) ** 2).sum(-1))
    k = f.shape[1]
    return float(d.sum(axis=(1, 2)).mean() / (k * (k - 1)))


__all__ = ["INPUT", "diversity", "eval_scenes", "frechet_distance", "generate", "image_seeds", "judged_accuracy"]
