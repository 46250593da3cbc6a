"""render_scene: the ground truth picture of a Scene.

One seed gives one picture. All randomness comes from `noise_rng(seed)`, split
into independent child streams (layout, shapes, background), so that the
layout and the objects' small variations are the same at every image size and
only the background grain differs.

Drawing happens on a supersampled canvas and is box-filtered down, which is
both the anti-aliasing and the cheapest good downsampler Pillow has.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import ImageDraw

from ..lang.ir import Scene
from ..lang.seeds import noise_rng
from . import places
from .layout import Placement, layout
from .shapes import DRAW

SIZES = (32, 64, 128)
SUPERSAMPLE = {32: 4, 64: 4, 128: 2}
NIGHT_DIM = 0.15  # how much objects darken at full night: a little, so their colours still read


@dataclass(frozen=True)
class Plan:
    """What render_scene decides before drawing: the place it settled on, and where everything goes.

    Learned models that draw at the scene's layout (layout-to-image) read the same plan, so a
    seed gives them the same composition the world draws.
    """

    scene: Scene  # with a missing place filled in
    parts: list  # the place's weighted background parts
    night: float
    placements: list[Placement]
    shape_rng: np.random.Generator
    back_rng: np.random.Generator


def plan_scene(scene: Scene, seed: int) -> Plan:
    rng = noise_rng(seed)
    parts = places.place_parts(scene.place, rng)  # a missing place is picked here, once per seed
    if scene.place is None:
        scene = replace(scene, place=parts[0][0])
    layout_rng, shape_rng, back_rng = rng.spawn(3)
    return Plan(scene, parts, places.night_amount(scene.time), layout(scene, layout_rng), shape_rng, back_rng)


def render_scene(scene: Scene, seed: int, size: int = 64) -> np.ndarray:
    """Draw `scene` as a (size, size, 3) uint8 RGB image; same scene and seed, same bytes."""
    if size not in SIZES:
        raise ValueError(f"the world renders at sizes {', '.join(map(str, SIZES))}, not {size!r}")
    plan = plan_scene(scene, seed)
    ss = SUPERSAMPLE[size]
    canvas = places.background(plan.parts, plan.night, size, ss, plan.back_rng)
    draw_placements(ImageDraw.Draw(canvas, "RGBA"), plan.placements, size * ss, plan.night, plan.shape_rng)
    return np.asarray(canvas.reduce(ss))


def draw_placements(d: ImageDraw.ImageDraw, placements: list[Placement], S: int, night: float,
                    rng: np.random.Generator) -> None:
    """Draw each instance in its box on a canvas of S x S pixels."""
    dim = 1 - NIGHT_DIM * night
    for p in placements:
        x0, y0, x1, y1 = p.box
        if p.grounded:  # a soft contact shadow sets the object on the ground, whatever its colour
            d.ellipse(((x0 - 0.03 * (x1 - x0)) * S, (y1 - 0.035 * (y1 - y0)) * S,
                       (x1 + 0.03 * (x1 - x0)) * S, (y1 + 0.035 * (y1 - y0)) * S), fill=(0, 0, 0, 80))
        color = p.color if p.object == "sun" else tuple(int(c * dim) for c in p.color)  # the sun shines
        DRAW[p.object](d, (x0 * S, y0 * S, x1 * S, y1 * S), color, p.facing == "right", rng)
