"""The playground's "Caption" tab as plain functions: any picture back to a scene the language parses.

    best, phrasings, scene = caption_image("out/classic-2026.png", seed=0)

The shipped captioner (gendsl/weights/captioner-world-32) reads 32-px images;
a larger or non-square picture is centre-cropped and box-filtered down to
32 px first. Beam search gives the canonical phrasing; seeded sampling gives
other phrasings (the same seed, the same words).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import limits
from .lang.errors import GendslError

SIDE = 32  # what the shipped captioner reads
PHRASINGS = 3


def available() -> bool:
    """Whether the tab has something to show: the shipped captioner."""
    return (Path(__file__).resolve().parent / "weights" / "captioner-world-32" / "config.json").is_file()


def as_input(path) -> np.ndarray:
    """uint8 (1, 32, 32, 3): the picture centre-cropped to a square and box-filtered to 32 px."""
    from PIL import Image, UnidentifiedImageError

    if not path:
        raise GendslError("drop a picture to caption (PNG or JPEG)")
    try:
        with Image.open(path) as image:
            image = image.convert("RGB")
    except (OSError, UnidentifiedImageError) as error:
        raise GendslError(f"cannot read that picture: {error}") from None
    w, h = image.size
    side = min(w, h)
    box = ((w - side) // 2, (h - side) // 2, (w - side) // 2 + side, (h - side) // 2 + side)
    image = image.resize((SIDE, SIDE), Image.Resampling.BOX, box=box)
    return np.asarray(image, np.uint8)[None]


def caption_image(path, seed: int = 0) -> tuple[str, list[str], str]:
    """(the beam caption, seeded phrasings, the canonical scene it parses to)."""
    from .worlds.scene.compiler import compile_scene
    from .retrieval import caption

    if isinstance(seed, bool) or not isinstance(seed, (int, float)) or not 0 <= int(seed) <= limits.MAX_SEED:
        raise GendslError(f"the seed goes from 0 to {limits.MAX_SEED}, not {seed!r}")
    image = as_input(path)
    best = caption(image, "beam")[0]  # the likeliest of 4: beats judged re-ranking since 364ff3d39dad (its card)
    seeds = [int(seed) + i for i in range(PHRASINGS)]
    phrasings = caption(np.repeat(image, PHRASINGS, 0), "sample", seeds=seeds)
    return best, phrasings, str(compile_scene(best))
