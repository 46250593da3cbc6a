"""What the judge predicts, as integer targets: per item slot and per scene, -1 where the scene says nothing.

    slot, scene = targets(compile_scene("two red cars next to a house in the road"))
    slot.shape == (3, 4)   # object, color, size, count for each of the 3 slots
    scene.shape == (2,)    # place, time

Slots follow the scene's canonical item order; slots past the last item hold
the object EMPTY and nothing else. An attribute the scene leaves open (no
color, no size, no place, no time) is -1, masked out of the loss and of every
figure, even where the world draws it a definite way (no size draws normal
size, no time draws day): a "normal" size class would be unlearnable, since a
large group shrunk to fit the canvas is drawn at normal size (about 9% of
sized items), and the language has no word for it.

Training also reads *cell* targets (cell_targets): the same four item
attributes on a coarse grid over the picture, from the layout the world drew
(worlds/scene/render.py: plan_scene), with EMPTY where no object stands. That dense
signal teaches the network what each object looks like wherever it stands,
independent of the place around it; with the slot loss alone it learns slowly
and leans on the place (a parking lot "means" car).

Pure numpy: the scoring in score.py and the training in fit.py share it.
"""
from __future__ import annotations

import itertools

import numpy as np

from ..worlds.scene import vocab
from ..worlds.scene.ir import Scene, dominant

EMPTY = "empty"  # the object of a slot with no item
SLOTS = vocab.MAX_ITEMS
# (head name, its classes); the order of the columns of a slot target.
SLOT_HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("object", (*vocab.OBJECT.values, EMPTY)),
    ("color", vocab.COLOR.values),
    ("size", vocab.SIZE.values),
    ("count", vocab.COUNT.values),
)
SCENE_HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("place", vocab.PLACE.values),
    ("time", vocab.TIME.values),
)
SLOT_WIDTH = sum(len(v) for _, v in SLOT_HEADS)  # logits per slot
SCENE_WIDTH = sum(len(v) for _, v in SCENE_HEADS)
OUTPUTS = SLOTS * SLOT_WIDTH + SCENE_WIDTH  # the judge's logits, slot by slot, then the scene
EMPTY_INDEX = len(vocab.OBJECT.values)
CENTRES = len(SLOT_HEADS)  # the column of cell_targets that counts instance centres
PERMUTATIONS = np.array(list(itertools.permutations(range(SLOTS))), np.int64)  # (6, 3)


def head_slices(heads) -> dict[str, slice]:
    """Where each head's logits sit in a slot's (or the scene's) block."""
    out, start = {}, 0
    for name, values in heads:
        out[name] = slice(start, start + len(values))
        start += len(values)
    return out


SLOT_SLICES = head_slices(SLOT_HEADS)
SCENE_SLICES = head_slices(SCENE_HEADS)


def _index(values: tuple[str, ...], attr) -> int:
    value = dominant(attr)
    return -1 if value is None else values.index(value)


def targets(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """int64 slot targets (SLOTS, 4) and scene targets (2,), -1 where unspecified."""
    if len(scene.items) > SLOTS:
        raise ValueError(f"a scene holds at most {SLOTS} items")
    slot = np.full((SLOTS, len(SLOT_HEADS)), -1, np.int64)
    slot[:, 0] = EMPTY_INDEX
    for i, item in enumerate(scene.items):
        for k, (name, values) in enumerate(SLOT_HEADS):
            slot[i, k] = _index(values, getattr(item, name))
    scene_t = np.array([_index(values, getattr(scene, name)) for name, values in SCENE_HEADS], np.int64)
    return slot, scene_t


def cell_targets(scene: Scene, seed: int, grid: int) -> np.ndarray:
    """int64 (grid, grid, 5): the slot attributes of the object drawn at each cell, -1 where unspecified,
    then (column CENTRES) how many instances have their box's centre in the cell.

    A cell belongs to the last-drawn instance whose box holds the cell's centre; an instance
    too small to hold any cell centre still claims the cell its own centre falls in."""
    from ..worlds.scene.render import plan_scene

    plan = plan_scene(scene, seed)
    per_item = targets(plan.scene)[0]
    out = np.full((grid, grid, len(SLOT_HEADS) + 1), -1, np.int64)
    out[..., 0], out[..., CENTRES] = EMPTY_INDEX, 0
    centres = (np.arange(grid) + 0.5) / grid
    for p in plan.placements:  # drawing order: later ones cover earlier ones
        x0, y0, x1, y1 = p.box
        r, c = _cell((y0 + y1) / 2, grid), _cell((x0 + x1) / 2, grid)  # the cell its centre falls in
        out[r, c, CENTRES] += 1
        rows = np.flatnonzero((centres >= y0) & (centres < y1))
        cols = np.flatnonzero((centres >= x0) & (centres < x1))
        if len(rows) and len(cols):
            out[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1, :CENTRES] = per_item[p.item]
        else:
            out[r, c, :CENTRES] = per_item[p.item]
    return out


def _cell(at: float, grid: int) -> int:
    """The cell (row or column) a canvas coordinate in 0..1 falls in, clamped to the grid."""
    return min(grid - 1, max(0, int(at * grid)))


def targets_batch(scenes) -> tuple[np.ndarray, np.ndarray]:
    """Stacked targets: (N, SLOTS, 4) and (N, 2)."""
    pairs = [targets(s) for s in scenes]
    if not pairs:
        return np.zeros((0, SLOTS, len(SLOT_HEADS)), np.int64), np.zeros((0, len(SCENE_HEADS)), np.int64)
    return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])
