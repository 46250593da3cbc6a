"""The playground's "Classic models" tab as plain functions: an RBM's Gibbs chain for a scene of its world.

    gif, last, line = gibbs_chain("the digit 3 is at the top of the digit 9", seed=1, steps=200)

The shipped conditional RBM (gendsl/weights/rbm-digits) runs one seeded chain
with the scene's label units clamped (the digits world's: each digit in its
place); the frames, every `steps // 40` sweeps, become an animated GIF beside
the last frame and the world's own drawing of the scene. Only capabilities that ship weights are offered.
"""
from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import numpy as np


MAX_STEPS = 2000  # sweeps one request may ask for (about a second per 100 on a shared CPU)
FRAMES = 40  # frames of the animation, whatever the number of sweeps
ZOOM = 6  # 32 px canvases shown at 192 px


@cache
def _rbm():
    from .models import load
    return load("rbm")


def available() -> bool:
    """Whether the tab has something to show: the shipped conditional RBM."""
    from .models import SHIPPED, WEIGHTS
    return (WEIGHTS / SHIPPED["rbm"] / "config.json").is_file()


def sparse_atoms() -> Path | None:
    """The shipped photo dictionary's atoms (PNG), or None when no sparse model ships."""
    from .models import SHIPPED, WEIGHTS
    path = WEIGHTS / SHIPPED.get("sparse", "sparse-photos") / "atoms.png"
    return path if path.is_file() else None


def gibbs_chain(scene: str, seed=0, steps=200, frame_ms: int = 80) -> tuple[Path, Path, str]:
    """(animated GIF of the chain, PNG of its last frame beside the world's drawing, one line about it)."""
    from .playground import outputs, whole
    from .render.jobs import slug
    from .render.morph import write_gif

    started = time.perf_counter()
    seed = whole(seed, "the seed")
    steps = whole(steps, "the number of Gibbs sweeps", 1, MAX_STEPS)
    rbm = _rbm()
    world = rbm.world
    parsed = world.compile(scene or "")
    frames = rbm.chain(world.encode(parsed), seed, steps, every=max(1, steps // FRAMES))
    folder = outputs().folder()
    name = f"gibbs-{slug(str(parsed))[:40]}-{seed}-{steps}"
    gif = folder / f"{name}.gif"
    write_gif(gif, [_zoom(f) for f in frames], frame_ms)
    drawn = world.render(parsed, seed, rbm.size)
    png = folder / f"{name}.png"
    _write_png(png, np.concatenate([_zoom(frames[-1]), np.full((32 * ZOOM, 8, 3), 235, np.uint8), _zoom(drawn)], 1))
    return gif, png, (f"{parsed} · seed {seed} · {steps} sweeps, {len(frames)} frames · right: the {world.name} "
                      f"world's drawing · {time.perf_counter() - started:.1f} s")


def _zoom(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, np.uint8)
    f = max(1, 32 * ZOOM // image.shape[0])
    return image.repeat(f, axis=0).repeat(f, axis=1)


def _write_png(path: Path, image: np.ndarray) -> None:
    from .commands.classic import write_png
    write_png(path, image)


__all__ = ["FRAMES", "MAX_STEPS", "available", "gibbs_chain", "sparse_atoms"]
