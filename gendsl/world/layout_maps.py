"""Scene + seed -> spatial conditioning maps, for models that draw at the scene's layout.

Why: a generator conditioned on one flat scene vector memorises object x place
pairs and fails on compositions it never saw (the flat probe in issue 3). Here
the scene is laid out first, by the same planner the world uses
(world.render.plan_scene, seeded by the image's seed), and each object's
identity, colour and orientation are painted into its own box; place and time
are painted everywhere. A convolutional generator then draws each box from
what is in it, so 'school bus' and 'beach' are learnt apart and compose by
construction (the layout-to-image idea of sg2im).

The maps say what the scene says and where the seed's noise put things (the
boxes, the horizon); never how an instance looks. Facing, design, shade and the
place's details are the model's own noise to decide, or its latent would have
nothing left to do (issue 12: a cGAN handed the exact shade and facing drew one
picture per layout).

Channels (float32, in this order):
    0-11   object weights inside its box (one-hot; a blend paints its weights, so the model draws an in-between)
    12-14  the colour the scene says (the object's own when it says none), RGB scaled to [-1, 1], inside the box
    15     box mask
    16-17  position inside the box, u and v in [-1, 1] (where in the box this pixel is)
    18-24  place weights (a blend paints its weights), everywhere
    25     night amount (0 day .. 1 night), everywhere
    26     below the horizon (weighted over the place's parts), everywhere
"""
from __future__ import annotations

import numpy as np

from ..lang import vocab
from ..lang.encode import decode
from .render import plan_scene

CHANNELS = 27
MASK_CHANNEL = 15
PLACE_CHANNEL = 18
OLD_FACING_CHANNEL = 18  # format 1 maps had a facing channel here (28 channels); see cgan_init.py
_OBJECTS = {name: i for i, name in enumerate(vocab.OBJECT.values)}
_PLACES = {name: i for i, name in enumerate(vocab.PLACE.values)}


def layout_maps(scene, seed, size: int) -> np.ndarray:
    """The (size, size, CHANNELS) conditioning maps of a scene drawn with this seed (an int or a Noise)."""
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
        box[..., :PLACE_CHANNEL] = 0.0
        parts = p.objects or ((p.object, 1.0),)
        total = sum(w for _, w in parts)
        for name, weight in parts:
            box[..., _OBJECTS[name]] = weight / total
        box[..., 12:15] = np.asarray(p.said_color, np.float32) / 127.5 - 1.0
        box[..., MASK_CHANNEL] = 1.0
        box[..., 16] = ((centers[cols] - x0) / max(x1 - x0, 1e-6) * 2 - 1)[None, :]
        box[..., 17] = ((centers[rows] - y0) / max(y1 - y0, 1e-6) * 2 - 1)[:, None]
    for name, weight in plan.parts:
        maps[..., PLACE_CHANNEL + _PLACES[name]] += weight
        horizon = plan.horizon(name)
        if horizon is not None:
            maps[centers >= horizon, :, CHANNELS - 1] += weight
    maps[..., CHANNELS - 2] = plan.night
    return maps


def batch_maps(cond: np.ndarray, seeds, size: int) -> np.ndarray:
    """Maps for a batch of conditioning vectors and their seeds (ints or Noises)."""
    return np.stack([layout_maps(decode(c), s, size) for c, s in zip(cond, seeds)])
