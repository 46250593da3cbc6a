"""Scene + seed -> spatial conditioning maps, for models that draw at the scene's layout.

Why: a generator conditioned on one flat scene vector memorises object x place
pairs and fails on compositions it never saw (the flat probe in issue 3). Here
the scene is laid out first, by the same planner the world uses
(world.render.plan_scene, seeded by the image's seed), and each object's
identity, colour and orientation are painted into its own box; place and time
are painted everywhere. A convolutional generator then draws each box from
what is in it, so 'school bus' and 'beach' are learnt apart and compose by
construction (the layout-to-image idea of sg2im).

Channels (float32, in this order):
    0-11   object one-hot inside its box (later instances paint over earlier ones, as the world draws)
    12-14  body colour, RGB scaled to [-1, 1], inside the box
    15     box mask
    16-17  position inside the box, u and v in [-1, 1] (where in the silhouette this pixel is)
    18     facing: +1 right, -1 left
    19-25  place weights (a blend paints its weights), everywhere
    26     night amount (0 day .. 1 night), everywhere
    27     below the horizon (weighted over the place's parts), everywhere
"""
from __future__ import annotations

import numpy as np

from ..lang import vocab
from ..lang.encode import decode
from ..lang.ir import dominant
from ..world import places
from ..world.render import plan_scene

CHANNELS = 28
_OBJECTS = {name: i for i, name in enumerate(vocab.OBJECT.values)}
_PLACES = {name: i for i, name in enumerate(vocab.PLACE.values)}


def layout_maps(scene, seed: int, size: int) -> np.ndarray:
    """The (size, size, CHANNELS) conditioning maps of a scene drawn with this seed."""
    plan = plan_scene(scene, seed)
    maps = np.zeros((size, size, CHANNELS), np.float32)
    centers = (np.arange(size, dtype=np.float32) + 0.5) / size  # pixel centres in 0..1
    for p in plan.placements:
        x0, y0, x1, y1 = p.box
        cols = np.flatnonzero((centers >= x0) & (centers < x1))
        rows = np.flatnonzero((centers >= y0) & (centers < y1))
        if not len(cols) or not len(rows):  # thinner than a pixel: take the nearest one
            cols = cols if len(cols) else np.array([min(int((x0 + x1) / 2 * size), size - 1)])
            rows = rows if len(rows) else np.array([min(int((y0 + y1) / 2 * size), size - 1)])
        region = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
        box = maps[region]
        box[..., :19] = 0.0
        box[..., _OBJECTS[dominant(p.object)]] = 1.0
        box[..., 12:15] = np.asarray(p.color, np.float32) / 127.5 - 1.0
        box[..., 15] = 1.0
        box[..., 16] = ((centers[cols] - x0) / max(x1 - x0, 1e-6) * 2 - 1)[None, :]
        box[..., 17] = ((centers[rows] - y0) / max(y1 - y0, 1e-6) * 2 - 1)[:, None]
        box[..., 18] = 1.0 if p.facing == "right" else -1.0
    for name, weight in plan.parts:
        maps[..., 19 + _PLACES[name]] += weight
        horizon = places.HORIZON[name]
        if horizon is not None:
            maps[centers >= horizon, :, 27] += weight
    maps[..., 26] = plan.night
    return maps


def batch_maps(cond: np.ndarray, seeds, size: int) -> np.ndarray:
    """Maps for a batch of conditioning vectors and their seeds."""
    return np.stack([layout_maps(decode(c), int(s), size) for c, s in zip(cond, seeds)])
