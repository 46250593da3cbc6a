"""Diversity as a person sees it: how different the renditions of one sentence look.

    d = diversity_report(model, n_scenes=50, seeds=8)
    d["intra"]["model"], d["intra"]["world"], d["between"]["model"]   # mean SSIM; lower is more varied
    d["variation"]["model"]["0.1"]                                     # SSIM to the original at strength 0.1
    d["latent_only"]                                                   # seeds of the latent alone, layout fixed

All on one-object scenes of seen compositions, at the model's own size, SSIM as in
similarity.py. Every model figure stands beside the world's, drawn at the same scenes
and seeds: the world is what the learned models are trained to be. 'between' is the
same SSIM for different scenes (the floor); 'variation' follows AUTOMATIC1111's
variation seed: strength 0 is the seed's image, 1 the variation seed's, and the curve
beside 'two seeds' (two different seeds of one scene) says whether 1.0 gets there.
"""
from __future__ import annotations

import numpy as np

from ..lang.noise import Noise
from .metrics import generate, image_seeds
from .similarity import between_scene_ssim, intra_scene_ssim, ssim_batch

STRENGTHS = (0.1, 0.25, 0.5, 1.0)


class _Reference:
    """A world's own pictures, drawn like a model's (World.reference)."""

    takes_noise = True

    def __init__(self, world, size: int):
        self.world, self.size = world, size

    def generate(self, cond, seeds):
        return self.world.reference([self.world.decode(c) for c in cond], list(seeds), self.size)


def _grid(model, world, scenes: list, seeds: np.ndarray) -> np.ndarray:
    """(scenes, k, H, W, 3): scene i drawn at seeds[i, j]."""
    n, k = seeds.shape
    flat = generate(model, [s for s in scenes for _ in range(k)], [int(s) for s in seeds.reshape(-1)], world)
    return flat.reshape(n, k, *flat.shape[1:])


def _variation_curve(model, world, scenes: list, base: list[int], other: list[int]) -> dict:
    original = generate(model, scenes, base, world)
    curve = {}
    for t in STRENGTHS:
        varied = generate(model, scenes, [Noise(s, v, t) for s, v in zip(base, other)], world)
        curve[str(t)] = float(ssim_batch(original, varied).mean())
    curve["two seeds"] = float(ssim_batch(original, generate(model, scenes, other, world)).mean())
    return curve


def _latent_only(model, cond: np.ndarray, base: list[int], k: int) -> float | None:
    """Intra-scene SSIM when only the latent changes: every image keeps its scene's first seed (its layout)."""
    if not callable(getattr(model, "noise", None)):
        return None
    n = len(base)
    others = [int(s) for j in range(k) for s in image_seeds(10_000 + j, n, "latent")]
    latents = model.noise(others).reshape(k, n, -1).transpose(1, 0, 2).reshape(n * k, -1)
    seeds = [s for s in base for _ in range(k)]
    images = np.concatenate([np.asarray(model.generate(np.repeat(cond, k, 0)[i:i + 64], seeds[i:i + 64],
                                                       noise=latents[i:i + 64]), np.uint8)
                             for i in range(0, n * k, 64)])
    return intra_scene_ssim(images.reshape(n, k, *images.shape[1:]))


def diversity_report(model, world, n_scenes: int = 50, seeds: int = 8, scene_seed: int = 0) -> dict:
    """The figures above for `model` beside its world (World.reference) at the model's size, on the scenes of
    the world's first evaluation group (one thing each)."""
    if seeds < 2 or n_scenes < 2:
        raise ValueError("diversity needs at least 2 scenes and 2 seeds")
    scenes = next(iter(world.evaluation_scenes(2 * n_scenes, False, scene_seed).values()))[:n_scenes]
    n_scenes = len(scenes)
    cond = world.encode_batch(scenes)
    grid = np.array([image_seeds(1000 + j, n_scenes, "diversity") for j in range(seeds)], np.int64).T
    drawers = {"model": model}
    if not isinstance(model, _Reference) and getattr(model, "world_name", None) != world.name:
        drawers["world"] = _Reference(world, model.size)
    base, other = [int(s) for s in grid[:, 0]], [int(s) for s in image_seeds(2000, n_scenes, "variation")]
    out = {"scenes": n_scenes, "seeds": seeds, "size": model.size, "intra": {}, "between": {}, "variation": {}}
    for who, drawer in drawers.items():
        images = _grid(drawer, world, scenes, grid)
        out["intra"][who] = intra_scene_ssim(images)
        out["between"][who] = between_scene_ssim(images)
        if getattr(drawer, "takes_noise", False):
            out["variation"][who] = _variation_curve(drawer, world, scenes, base, other)
    out["latent_only"] = _latent_only(model, cond, base, seeds)
    return out


def format_diversity(d: dict, name: str) -> list[str]:
    """Markdown lines for a report."""
    who = [w for w in ("model", "world") if w in d["intra"]]
    label = {"model": name, "world": "world renders"}
    lines = [f"Diversity as a person sees it: mean SSIM at {d['size']} px among {d['seeds']} seeds of each of "
             f"{d['scenes']} one-object scenes (lower: more varied), beside different scenes (the floor).", "",
             "| drawn by | among seeds of a scene | between scenes | " +
             " | ".join(f"variation {t}" for t in STRENGTHS) + " | two seeds |",
             "|---|---|---|" + "---|" * (len(STRENGTHS) + 1)]
    for w in who:
        v = d["variation"].get(w)
        cells = [f"{v[str(t)]:.3f}" for t in STRENGTHS] + [f"{v['two seeds']:.3f}"] if v else ["—"] * (len(STRENGTHS) + 1)
        lines.append(f"| {label[w]} | {d['intra'][w]:.3f} | {d['between'][w]:.3f} | " + " | ".join(cells) + " |")
    if d.get("latent_only") is not None:
        lines += ["", f"From the latent alone (each scene's layout fixed at its first seed): {d['latent_only']:.3f}"]
    return lines
