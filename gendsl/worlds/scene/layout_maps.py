"""Scene + seed -> spatial conditioning maps, for models that draw at the scene's layout.

Why: a generator conditioned on one flat scene vector memorises object x place
pairs and fails on compositions it never saw (the flat probe in issue 3). Here
the scene is laid out first, by the same planner the world uses
(worlds/scene/render.py: plan_scene, seeded by the image's seed), and each object's
identity, colour and orientation are painted into its own box; place and time
are painted everywhere. A convolutional generator then draws each box from
what is in it, so 'school bus' and 'beach' are learnt apart and compose by
construction (the layout-to-image idea of sg2im).

The maps say what the scene says and where the seed's noise put things (the
boxes, the horizon); never how an instance looks. Shade and the place's details
are the model's latent to decide (issue 12: a cGAN handed the exact shade and
facing drew one picture per layout).

With `instances`, three more channels carry each instance's own noise into its
box (per-instance noise, like the per-instance style codes of LostGAN and SEAN,
but drawn from the image's seed rather than encoded): which way the seed turned
it, and the first two values of its shape stream, which the world's drawing
reads as its design and its first proportion (with the cuts that make them
choices). They say nothing the sentence
says, and they move with a variation seed as the boxes do. Why: a latent shared
by the whole picture never learnt designs. With free bits, and with its
regression training the encoder, the cGAN's redraws still showed one tree, one
house, one truck per sentence (issue 12's note). A per-box noise value that
decides the design gives the generator the design's variable in the design's place.

Channels (float32, in this order):
Channels (float32, in this order):
    0-11   object weights inside its box (one-hot; a blend paints its weights, so the model draws an in-between)
    12-14  the colour the scene says (the object's own when it says none), RGB scaled to [-1, 1], inside the box
    15     box mask
    16-17  position inside the box, u and v in [-1, 1] (where in the box this pixel is)
    18-24  place weights (a blend paints its weights), everywhere
    25     night amount (0 day .. 1 night), everywhere
    26     below the horizon (weighted over the place's parts), everywhere
  with instances:
    27     facing, +1 right and -1 left, inside the box
    28-29  the instance's first two shape-stream values, in [-1, 1], inside the box
    30-37  which side of each of the world's cuts those two values fall on (+-1), inside the box
  with details (which brings the instances' channels too):
    38     where the place's lines and shapes are drawn (markings, hedges, hills, waves), coverage in [0, 1]
    39     where its sky's are (clouds, the moon)
    40     each star's brightness times the night amount

Details: the world's backdrop draws its markings and shapes from the seed too (the parking bays' phase and
fan, the road's dashes, hills, clouds), and without them the cGAN drew one smudged set of bay lines at every
seed: SSIM between its seeds was 0.64 on the ground and 0.55 in the sky against the world's 0.47 and 0.45
(benchmarks/ssim_regions.py). Painted as coverage they are a stuff layout, as SPADE's segmentation maps hold stuff
beside things; what colour they are (white or yellow paint, hedge or wall) is still the latent's.
"""
from __future__ import annotations

import numpy as np

from . import vocab
from .encode import decode
from .places import detail_masks
from .render import SUPERSAMPLE, plan_scene

CHANNELS = 27
# Where the world's drawing cuts an instance's first two shape values into discrete choices (in [-1, 1]):
# a design among 2, 3 or 4 is the first value's half, third or quarter; the second picks among 2 or 3 (a
# house's roof, a bus's window count). Each cut is painted as its own +-1 channel, so a choice is one
# channel's sign rather than a band of a continuous value.
FIRST_CUTS = (-0.5, -1 / 3, 0.0, 1 / 3, 0.5)
SECOND_CUTS = (-1 / 3, 0.0, 1 / 3)
INSTANCE_CHANNELS = 3 + len(FIRST_CUTS) + len(SECOND_CUTS)  # appended after CHANNELS ("instances")
DETAIL_CHANNELS = 3  # appended after those ("details")
MASK_CHANNEL = 15
PLACE_CHANNEL = 18
OLD_FACING_CHANNEL = 18  # format 1 maps had a facing channel here (28 channels); see cgan_init.py
_OBJECTS = {name: i for i, name in enumerate(vocab.OBJECT.values)}
_PLACES = {name: i for i, name in enumerate(vocab.PLACE.values)}


def instance_noise(plan, placement) -> tuple[float, ...]:
    """A placement's own noise, each in [-1, 1]: its facing, the first two values its shape is drawn with
    (render.py draws a single object from this stream; a blend's parts each have their own), and
    which side of each cut (FIRST_CUTS, SECOND_CUTS) those two fall on."""
    shape = plan.noise.stream(f"shape/{placement.item}/{placement.instance}")
    first, second = shape.random() * 2 - 1, shape.random() * 2 - 1
    return (1.0 if placement.facing == "right" else -1.0, first, second,
            *(1.0 if first > cut else -1.0 for cut in FIRST_CUTS), *(1.0 if second > cut else -1.0 for cut in SECOND_CUTS))


def details(plan, size: int) -> np.ndarray:
    """(size, size, DETAIL_CHANNELS) float32: where the world's backdrop of this plan draws its lines and shapes,
    and its sky's, at this size (the backdrop's noise stream is named by the size). Quantised to 1/255, so a
    training run can keep them as bytes (models/layout_graph.py) and paint the same maps."""
    masks = detail_masks(plan.parts, plan.night, size, SUPERSAMPLE.get(size, 4), plan.noise.stream(f"back{size}"),
                         plan.horizon_shift)
    return np.rint(masks * np.float32(255)).astype(np.float32) / np.float32(255)


def layout_maps(scene, seed, size: int, instances: bool = False, with_details: bool = False) -> np.ndarray:
    """The (size, size, CHANNELS) conditioning maps of a scene drawn with this seed (an int or a Noise);
    with instances, CHANNELS + INSTANCE_CHANNELS; with details, DETAIL_CHANNELS more."""
    return paint([plan_scene(scene, seed)], size, instances, with_details)[0]


def batch_maps(cond: np.ndarray, seeds, size: int, instances: bool = False, with_details: bool = False) -> np.ndarray:
    """Maps for a batch of conditioning vectors and their seeds (ints or Noises)."""
    scenes: dict[bytes, object] = {}  # a batch is mostly one scene at many seeds: decode each vector once
    for c in cond:
        key = np.asarray(c, np.float32).tobytes()
        if key not in scenes:
            scenes[key] = decode(c)
    return paint([plan_scene(scenes[np.asarray(c, np.float32).tobytes()], s) for c, s in zip(cond, seeds)], size,
                 instances, with_details)


def paint(plans, size: int, instances: bool = False, with_details: bool = False) -> np.ndarray:
    """The maps of planned scenes, painted over the whole batch at once (numpy): one pass per placement
    slot and place part, not per image. The arithmetic is that of painting one box at a time in float32
    (tests/test_speed_maps.py keeps the one-image loop as the reference), so the maps are the same bytes."""
    n = len(plans)
    instances = instances or with_details
    own = CHANNELS + (INSTANCE_CHANNELS if instances else 0)
    maps = np.zeros((n, size, size, own + (DETAIL_CHANNELS if with_details else 0)), np.float32)
    centers = (np.arange(size, dtype=np.float32) + 0.5) / size  # pixel centres in 0..1
    for k in range(max((len(p.placements) for p in plans), default=0)):
        here = [i for i, p in enumerate(plans) if len(p.placements) > k]  # drawing order: a later box paints over
        slot = [plans[i].placements[k] for i in here]
        x0, y0, x1, y1 = (np.array([p.box[j] for p in slot]) for j in range(4))
        cols, rows = _span(centers, x0, x1, size), _span(centers, y0, y1, size)
        inside = rows[:, :, None] & cols[:, None, :]  # (m, size, size)
        values = np.zeros((len(slot), size, size, PLACE_CHANNEL), np.float32)
        for j, p in enumerate(slot):
            parts = p.objects or ((p.object, 1.0),)
            total = sum(w for _, w in parts)
            for name, weight in parts:
                values[j, ..., _OBJECTS[name]] = weight / total
        values[..., 12:15] = (np.array([p.said_color for p in slot], np.float32) / 127.5 - 1.0)[:, None, None, :]
        values[..., MASK_CHANNEL] = 1.0
        values[..., 16] = _unit(centers, x0, x1)[:, None, :]
        values[..., 17] = _unit(centers, y0, y1)[:, :, None]
        maps[here, ..., :PLACE_CHANNEL] = np.where(inside[..., None], values, maps[here, ..., :PLACE_CHANNEL])
        if instances:
            noise = np.array([instance_noise(plans[i], p) for i, p in zip(here, slot)], np.float32)[:, None, None, :]
            maps[here, ..., CHANNELS:own] = np.where(inside[..., None], noise, maps[here, ..., CHANNELS:own])
    for k in range(max((len(p.parts) for p in plans), default=0)):
        for i, p in enumerate(plans):  # few parts per image: a cheap loop of whole-channel adds
            if len(p.parts) > k:
                name, weight = p.parts[k]
                maps[i, ..., PLACE_CHANNEL + _PLACES[name]] += weight
                horizon = p.horizon(name)
                if horizon is not None:
                    maps[i, centers >= horizon, :, CHANNELS - 1] += weight
    maps[..., CHANNELS - 2] = np.array([p.night for p in plans], np.float32)[:, None, None]
    if with_details:
        maps[..., own:] = np.stack([details(p, size) for p in plans]) if plans else 0.0
    return maps


def _span(centers: np.ndarray, low: np.ndarray, high: np.ndarray, size: int) -> np.ndarray:
    """(m, size) masks of the pixels whose centres lie in [low, high); a box thinner than a pixel
    takes the nearest one."""
    inside = (centers[None, :] >= low.astype(np.float32)[:, None]) & (centers[None, :] < high.astype(np.float32)[:, None])
    empty = ~inside.any(axis=1)
    if empty.any():
        nearest = np.minimum(((low + high) / 2 * size).astype(np.int64), size - 1)
        inside[empty, nearest[empty]] = True
    return inside


def _unit(centers: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Where each pixel centre lies in its box, -1 .. 1 (float32, as one box at a time computed it)."""
    width = np.maximum(high - low, 1e-6).astype(np.float32)
    return (centers[None, :] - low.astype(np.float32)[:, None]) / width[:, None] * 2 - 1
