"""Scene <-> conditioning vector: a pure function of the scene and the vocabulary.

Layout (float32, D = 3 * 37 + 9 = 120 with the current vocabulary):

    for each of the 3 item slots, in the scene's canonical item order:
        object   one-hot over vocab.OBJECT.values    (12)  all zero: the slot is empty
        color    one-hot over vocab.COLOR.values     (11)  all zero: the object's own color
        size     one-hot over vocab.SIZE.values       (2)  all zero: normal size
        count    one-hot over vocab.COUNT.values      (4)
        position one-hot over vocab.POSITION.values   (3)  all zero: anywhere
        relation one-hot over vocab.RELATION.values   (5)  how this item stands to the next
    place        one-hot over vocab.PLACE.values      (7)  all zero: any place
    time         one-hot over vocab.TIME.values       (2)  all zero: any time

A blend writes its weights into its block, so `(yellow:0.6, red:0.4)` is the
weighted mix of the yellow and red vectors, and interpolating two vectors is
a blend. `decode(encode(s)) == canonical(s)` for every scene. `decode` also
reads mixed vectors (a morph's in-between frames): a slot or setting counts
as present once its block holds at least half a unit, blendable blocks become
blends, the others take their heaviest value.
"""
from __future__ import annotations

import numpy as np

from . import vocab
from .ir import Attr, Blend, Item, Scene, canonical

_ITEM_FIELDS = ("object", "color", "size", "count", "position", "relation")
ITEM_WIDTH = sum(len(c.values) for c in vocab.ITEM_CATEGORIES)
DIM = vocab.MAX_ITEMS * ITEM_WIDTH + sum(len(c.values) for c in vocab.SCENE_CATEGORIES)
_BLENDABLE = {c.name for c in vocab.BLENDABLE}


def blocks() -> list[tuple[str, int, int]]:
    """The documented layout as (name, start, stop) rows, e.g. ('item1.color', 12, 23)."""
    rows, start = [], 0
    for slot in range(vocab.MAX_ITEMS):
        for cat in vocab.ITEM_CATEGORIES:
            rows.append((f"item{slot + 1}.{cat.name}", start, start + len(cat.values)))
            start += len(cat.values)
    for cat in vocab.SCENE_CATEGORIES:
        rows.append((cat.name, start, start + len(cat.values)))
        start += len(cat.values)
    return rows


def _write(block: np.ndarray, category: vocab.Category, attr: Attr) -> None:
    if attr is None:
        return
    parts = attr.parts if isinstance(attr, Blend) else ((attr, 1.0),)
    for value, weight in parts:
        block[category.index(value)] = weight


def encode(scene: Scene) -> np.ndarray:
    """The conditioning vector of a scene-world scene (float32[DIM]); every world encodes its own (World.encode)."""
    scene = canonical(scene)
    if len(scene.items) > vocab.MAX_ITEMS:
        raise ValueError(f"a scene holds at most {vocab.MAX_ITEMS} items")
    vector = np.zeros(DIM, np.float32)
    start = 0
    for slot in range(vocab.MAX_ITEMS):
        item = scene.items[slot] if slot < len(scene.items) else None
        for cat, field in zip(vocab.ITEM_CATEGORIES, _ITEM_FIELDS):
            if item is not None:
                _write(vector[start:start + len(cat.values)], cat, getattr(item, field))
            start += len(cat.values)
    for cat in vocab.SCENE_CATEGORIES:
        _write(vector[start:start + len(cat.values)], cat, getattr(scene, cat.name))
        start += len(cat.values)
    return vector


def _read(block: np.ndarray, category: vocab.Category) -> Attr:
    if block.sum() < 0.5:
        return None
    nonzero = [(category.values[i], float(block[i])) for i in np.flatnonzero(block > 0)]
    if category.name not in _BLENDABLE:
        return max(nonzero, key=lambda p: p[1])[0]
    return Blend.of(nonzero)


def decode(vector) -> Scene:
    """The canonical scene a conditioning vector means; the inverse of `encode`."""
    vector = np.asarray(vector, np.float32)
    if vector.shape != (DIM,):
        raise ValueError(f"a conditioning vector has shape ({DIM},), not {vector.shape}")
    items, start = [], 0
    for _ in range(vocab.MAX_ITEMS):
        fields = {}
        for cat, field in zip(vocab.ITEM_CATEGORIES, _ITEM_FIELDS):
            fields[field] = _read(vector[start:start + len(cat.values)], cat)
            start += len(cat.values)
        if fields["object"] is not None:
            fields["count"] = fields["count"] or "one"
            items.append(Item(**fields))
    scene_fields = {}
    for cat in vocab.SCENE_CATEGORIES:
        scene_fields[cat.name] = _read(vector[start:start + len(cat.values)], cat)
        start += len(cat.values)
    return canonical(Scene(items=tuple(items), **scene_fields))


def encode_batch(scenes) -> np.ndarray:
    return np.stack([encode(s) for s in scenes]) if scenes else np.zeros((0, DIM), np.float32)
