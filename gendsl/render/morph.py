"""Morphs: frames that move from one scene and seed to another.

Conditioning moves in a straight line (the encoding is linear: half way is a
blend, and a blend of objects is drawn as an in-between); the noise moves along
the spherical path from the first seed's to the second's (lang/noise.py), so
composition, details and a model's latent glide together.
"""
from __future__ import annotations

import numpy as np

from .. import limits, worlds
from .._version import __version__
from ..io import atomic_path
from ..lang.errors import GendslError
from ..worlds.scene.ir import Scene
from ..lang.noise import Noise
from .noise import has_noise


def morph_frames(model, start: Scene, end: Scene, frames: int, seed: int, end_seed: int | None = None,
                 world: worlds.World | None = None) -> np.ndarray:
    """uint8 frames (frames, H, W, 3); the first is the start scene's image at `seed`, the last the end's.
    `world`: the one the scenes were compiled in (default: the model's, else the scene world)."""
    if not 2 <= frames <= limits.MAX_FRAMES:
        raise GendslError(f"a morph has between 2 and {limits.MAX_FRAMES} frames, not {frames}")
    end_seed = seed if end_seed is None else end_seed
    t = np.linspace(0.0, 1.0, frames)
    t[0], t[-1] = 0.0, 1.0
    encode = (world or getattr(model, "world", None) or worlds.default()).encode
    cond = ((1 - t)[:, None] * encode(start) + t[:, None] * encode(end)).astype(np.float32)
    cond[0], cond[-1] = encode(start), encode(end)  # the ends are exactly the two scenes
    if end_seed == seed or not has_noise(model):  # nothing to glide: the seed switches half way
        return model.generate(cond, [seed if x < 0.5 else end_seed for x in t])
    noise = [seed] + [Noise(seed, end_seed, float(x)) for x in t[1:-1]] + [end_seed]
    return model.generate(cond, noise)


def morph_metadata(start_text: str, end_text: str, start: Scene, end: Scene, seed: int, end_seed: int,
                   frames: int, model: dict) -> dict:
    return {"gendsl_version": __version__, "kind": "morph", "start_text": start_text, "end_text": end_text,
            "start": str(start), "end": str(end), "seed": seed, "end_seed": end_seed, "frames": frames, **model}


def write_gif(path, frames: np.ndarray, frame_ms: int = 100) -> None:
    """An animated GIF that loops, written atomically."""
    import imageio.v3 as iio

    with atomic_path(path) as tmp:
        iio.imwrite(tmp, list(frames), extension=".gif", duration=frame_ms, loop=0)
