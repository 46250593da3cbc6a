"""The drawing of every object: one function per object, several designs each, and body shades.

Every function has the signature `draw(d, box, color, facing_right, rng)`:
`d` is an ImageDraw on the supersampled canvas, `box` is (x0, y0, x1, y1) in
canvas pixels, `color` the body RGB, `rng` a lang.noise.Stream. The first draw of
each function picks its design (vehicles.py, things.py); each draws a fixed
number of values whatever the box size, so one seed lays out the same picture
at every image size.
"""
from __future__ import annotations

import numpy as np

from .pen import RGB, shade
from .things import balloon, cloud, elephant, house, stop_sign, sun, tree
from .vehicles import airplane, boat, car, school_bus, truck

# Natural body colours, used when a scene names no colour.
NATURAL: dict[str, RGB] = {
    "school bus": (250, 190, 15),
    "car": (200, 35, 35),
    "truck": (45, 95, 185),
    "boat": (240, 240, 240),
    "airplane": (225, 228, 235),
    "house": (225, 195, 145),
    "tree": (45, 145, 45),
    "stop sign": (205, 25, 30),
    "balloon": (220, 40, 50),
    "elephant": (135, 135, 140),
    "sun": (255, 210, 30),
    "cloud": (250, 250, 252),
}


# How far a body's shade may wander within its colour word: lighter or darker, and a little warmer
# or cooler, never so far that it reads as a neighbouring word (orange stays orange, not brown).
SHADE_RANGE = (0.8, 1.14)
TINT = 14


def body_shade(color: RGB, rng) -> RGB:
    """One shade of `color`: two noise values, lightness and tint."""
    f, t = rng.uniform(*SHADE_RANGE), rng.uniform(-1.0, 1.0)
    rgb = np.asarray(shade(color, f), float) + np.array([t, 0.0, -t]) * TINT
    return tuple(int(v) for v in np.clip(np.rint(rgb), 0, 255))


DRAW = {
    "school bus": school_bus,
    "car": car,
    "truck": truck,
    "boat": boat,
    "airplane": airplane,
    "house": house,
    "tree": tree,
    "stop sign": stop_sign,
    "balloon": balloon,
    "elephant": elephant,
    "sun": sun,
    "cloud": cloud,
}
