"""Layout maps painted inside a TensorFlow graph, from plans drawn once: conditioning for a tf.data pipeline.

The planner (worlds/scene/render.py: plan_scene) is Python, one image at a time, about a millisecond each;
what it decides for a training example (its boxes, what each says, the place's parts) is a
pure function of the example's scene and seed, so a training run plans each example once
(`plan_arrays`, a few floats per box) and the pipeline paints the maps of every batch in the
graph (`paint`), in parallel and off the GIL, on whatever device runs it. The arithmetic is
layout_maps.paint's, in float32, op for op: the maps are the same bytes
(tests/test_speed_train.py).
"""
from __future__ import annotations

import numpy as np

from ..worlds.scene.encode import decode
from ..worlds.scene.render import plan_scene
from ..worlds.scene.layout_maps import CHANNELS, INSTANCE_CHANNELS, PLACE_CHANNEL, _OBJECTS, _PLACES, _span, details, \
    instance_noise


def plan_arrays(cond: np.ndarray, seeds, size: int, slots: int | None = None, parts: int | None = None,
                with_details: bool = False) -> dict:
    """Each example's plan as padded arrays: per box slot its pixel rows and columns [start, stop), its
    corner and size (float32), object weights, said colour and own noise (layout_maps.instance_noise); per
    place part its index, weight and horizon (+inf: none); the night amount; with_details, the backdrop's
    detail maps as bytes (layout_maps.details, which are whole 255ths: a byte each, a quarter of float32's
    memory). `slots`/`parts` pad to at least that many."""
    plans = [plan_scene(decode(c), s) for c, s in zip(cond, seeds)]
    slots = max([slots or 1, *(len(p.placements) for p in plans)])
    parts = max([parts or 1, *(len(p.parts) for p in plans)])
    n = len(plans)
    out = {"rows": np.zeros((n, slots, 2), np.int32), "cols": np.zeros((n, slots, 2), np.int32),
           "x0": np.zeros((n, slots), np.float32), "y0": np.zeros((n, slots), np.float32),
           "width": np.ones((n, slots), np.float32), "height": np.ones((n, slots), np.float32),
           "objects": np.zeros((n, slots, PLACE_CHANNEL - 6), np.float32),
           "color": np.zeros((n, slots, 3), np.float32),
           "instance": np.zeros((n, slots, INSTANCE_CHANNELS), np.float32), "part_place": np.zeros((n, parts), np.int32),
           "part_weight": np.zeros((n, parts), np.float32),
           "part_horizon": np.full((n, parts), np.inf, np.float32), "night": np.zeros(n, np.float32)}
    centers = (np.arange(size, dtype=np.float32) + 0.5) / size
    for i, plan in enumerate(plans):
        for k, p in enumerate(plan.placements):
            x0, y0, x1, y1 = (np.array([v]) for v in p.box)
            for key, low, high in (("cols", x0, x1), ("rows", y0, y1)):
                span = np.flatnonzero(_span(centers, low, high, size)[0])
                out[key][i, k] = span[0], span[-1] + 1
            out["x0"][i, k], out["y0"][i, k] = np.float32(p.box[0]), np.float32(p.box[1])
            out["width"][i, k] = np.float32(max(p.box[2] - p.box[0], 1e-6))
            out["height"][i, k] = np.float32(max(p.box[3] - p.box[1], 1e-6))
            weights = p.objects or ((p.object, 1.0),)
            total = sum(w for _, w in weights)
            for name, weight in weights:
                out["objects"][i, k, _OBJECTS[name]] = weight / total
            out["color"][i, k] = np.asarray(p.said_color, np.float32) / 127.5 - 1.0
            out["instance"][i, k] = np.asarray(instance_noise(plan, p), np.float32)
        for k, (name, weight) in enumerate(plan.parts):
            horizon = plan.horizon(name)
            out["part_place"][i, k], out["part_weight"][i, k] = _PLACES[name], weight
            out["part_horizon"][i, k] = np.inf if horizon is None else horizon
        out["night"][i] = plan.night
    if with_details:
        out["details"] = np.stack([np.rint(details(p, size) * 255).astype(np.uint8) for p in plans])
    return out


def paint(arrays: dict, size: int, instances: bool = False, with_details: bool = False):
    """The (B, size, size, CHANNELS) float32 maps of a batch of plan_arrays rows, as TensorFlow ops; with
    instances, each instance's own noise follows (CHANNELS + INSTANCE_CHANNELS); with details (which brings
    instances), the backdrop's detail maps after that."""
    import tensorflow as tf

    centers = (tf.range(size, dtype=tf.float32) + 0.5) / size
    pixel = tf.range(size, dtype=tf.int32)
    n = tf.shape(arrays["night"])[0]
    rows, cols = arrays["rows"], arrays["cols"]  # (n, slots, 2)
    in_rows = (pixel[None, None] >= rows[..., :1]) & (pixel[None, None] < rows[..., 1:])  # (n, slots, size)
    in_cols = (pixel[None, None] >= cols[..., :1]) & (pixel[None, None] < cols[..., 1:])
    inside = in_rows[:, :, :, None] & in_cols[:, :, None, :]  # (n, slots, size, size)
    slots = tf.range(tf.shape(rows)[1])
    # drawing order: a later box paints over an earlier one, so a pixel shows the last box that covers it
    last = tf.reduce_max(tf.where(inside, slots[None, :, None, None], -1), axis=1)  # (n, size, size)
    slot = tf.maximum(last, 0)
    u = (centers[None, None] - arrays["x0"][..., None]) / arrays["width"][..., None] * 2 - 1  # (n, slots, columns)
    v = (centers[None, None] - arrays["y0"][..., None]) / arrays["height"][..., None] * 2 - 1  # (n, slots, rows)
    said = tf.concat([arrays["objects"], arrays["color"], tf.ones_like(arrays["color"][..., :1])], -1)
    at_u = tf.transpose(tf.gather(tf.transpose(u, [0, 2, 1]), tf.transpose(slot, [0, 2, 1]), batch_dims=2), [0, 2, 1])
    at_v = tf.gather(tf.transpose(v, [0, 2, 1]), slot, batch_dims=2)
    values = tf.concat([tf.gather(said, slot, batch_dims=1), at_u[..., None], at_v[..., None]], -1)
    first = tf.where((last >= 0)[..., None], values, 0.0)
    places = tf.zeros((n, size, size, CHANNELS - 2 - PLACE_CHANNEL), tf.float32)
    below = tf.zeros((n, size), tf.float32)
    for k in range(arrays["part_place"].shape[1]):  # parts added in order, as the numpy paint adds them
        weight = arrays["part_weight"][:, k]
        places += (tf.one_hot(arrays["part_place"][:, k], CHANNELS - 2 - PLACE_CHANNEL) * weight[:, None])[:, None, None]
        below += tf.where(centers[None] >= arrays["part_horizon"][:, k, None], weight[:, None], 0.0)
    night = tf.broadcast_to(arrays["night"][:, None, None, None], (n, size, size, 1))
    maps = [first, places, night, tf.broadcast_to(below[:, :, None, None], (n, size, size, 1))]
    if instances or with_details:
        maps.append(tf.where((last >= 0)[..., None], tf.gather(arrays["instance"], slot, batch_dims=1), 0.0))
    if with_details:
        maps.append(tf.cast(arrays["details"], tf.float32) / 255.0)
    return tf.concat(maps, -1)
