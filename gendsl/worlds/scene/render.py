"""render_scene: the ground truth picture of a Scene.

One seed gives one picture. All randomness comes from the image's Noise
(lang/noise.py: the seed, or a seed with a variation seed mixed in), drawn by
name in independent streams (place, layout, each instance's shape, background),
so that the layout and the objects' designs are the same at every image size
and only the background grain differs, and a variation moves each of them
continuously.

Drawing happens on a supersampled canvas and is box-filtered down, which is
both the anti-aliasing and the cheapest good downsampler Pillow has.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import ImageDraw

from PIL import Image

from .ir import Scene
from ...lang.noise import Noise, as_noise
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
    horizon_shift: float
    noise: Noise

    def horizon(self, place: str) -> float | None:
        return places.horizon(place, self.horizon_shift)


def plan_scene(scene: Scene, seed) -> Plan:
    """The plan of `scene` drawn with `seed` (an integer seed or a lang.noise.Noise)."""
    noise = as_noise(seed)
    parts = places.place_parts(scene.place, noise.stream("place"))  # a missing place is picked once per seed
    if scene.place is None:
        scene = replace(scene, place=parts[0][0])
    shift = noise.stream("horizon").uniform(*places.HORIZON_SHIFT)
    placements = layout(scene, noise.stream("layout"), shift)
    return Plan(scene, parts, places.night_amount(scene.time), placements, shift, noise)


def render_scene(scene: Scene, seed, size: int = 64) -> np.ndarray:
    """Draw `scene` as a (size, size, 3) uint8 RGB image; same scene and seed (or Noise), same bytes."""
    if size not in SIZES:
        raise ValueError(f"the world renders at sizes {', '.join(map(str, SIZES))}, not {size!r}")
    plan = plan_scene(scene, seed)
    ss = SUPERSAMPLE[size]
    canvas = places.background(plan.parts, plan.night, size, ss, plan.noise.stream(f"back{size}"),
                               plan.horizon_shift)
    draw_placements(canvas, plan.placements, size * ss, plan.night, plan.noise)
    return np.asarray(canvas.reduce(ss))


def draw_placements(canvas: Image.Image, placements: list[Placement], S: int, night: float, noise: Noise) -> None:
    """Draw each instance in its box on a canvas of S x S pixels; a blend of objects overlays its parts,
    each drawn whole and seen through at its weight (the learned models draw their own in-betweens)."""
    d = ImageDraw.Draw(canvas, "RGBA")
    dim = 1 - NIGHT_DIM * night
    for p in placements:
        x0, y0, x1, y1 = p.box
        if p.grounded:  # a soft contact shadow sets the object on the ground, whatever its colour
            d.ellipse(((x0 - 0.03 * (x1 - x0)) * S, (y1 - 0.035 * (y1 - y0)) * S,
                       (x1 + 0.03 * (x1 - x0)) * S, (y1 + 0.035 * (y1 - y0)) * S), fill=(0, 0, 0, 80))
        color = p.color if p.object == "sun" else tuple(int(c * dim) for c in p.color)  # the sun shines
        box, right = (x0 * S, y0 * S, x1 * S, y1 * S), p.facing == "right"
        parts = p.objects or ((p.object, 1.0),)
        if len(parts) == 1:
            DRAW[p.object](d, box, color, right, noise.stream(f"shape/{p.item}/{p.instance}"))
            continue
        total = sum(w for _, w in parts)
        colour, alpha = 0.0, 0.0
        for obj, weight in parts:  # each part drawn whole on its own layer, shown at its weight
            layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
            DRAW[obj](ImageDraw.Draw(layer, "RGBA"), box, color, right, noise.stream(f"shape/{p.item}/{p.instance}/{obj}"))
            rgba = np.asarray(layer, np.float32) / 255.0
            a = rgba[..., 3:] * (weight / total)
            colour, alpha = colour + rgba[..., :3] * a, alpha + a
        rgb = colour / np.maximum(alpha, 1e-6)
        mixed = np.concatenate([rgb, alpha], axis=-1)
        overlay = Image.fromarray(np.clip(np.rint(mixed * 255), 0, 255).astype(np.uint8), "RGBA")
        canvas.paste(overlay, (0, 0), overlay)
