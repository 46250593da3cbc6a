"""Random concrete scenes for training data, and the compositions held out of training.

    sample_scene(np.random.default_rng(0)) -> Scene(...)   # canonical, no blends

A held-out composition is an (object, place) pair that never appears in the
train or test splits, only in the `heldout` split, so a model's handling of new
combinations of known words can be measured.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from . import vocab
from .ir import Item, Scene, canonical, dominant
from ...lang.seeds import stream

# Object x place compositions that never appear in train or test: every object and every place is in
# at least one, so that one hard pair cannot swing a held-out figure.
HELD_OUT = (
    ("stop sign", "blue sky"), ("school bus", "beach"), ("elephant", "blue sky"), ("boat", "parking lot"),
    ("car", "lake"), ("truck", "snowy field"), ("airplane", "road"), ("house", "grass field"),
    ("tree", "parking lot"), ("balloon", "lake"), ("sun", "snowy field"), ("cloud", "road"),
)

ITEMS_P = (0.55, 0.35, 0.10)  # 1, 2 or 3 items
COLOR_P = 0.8
SIZE_P = 0.4
COUNT_P = {"one": 0.70, "two": 0.12, "three": 0.08, "many": 0.10}
POSITION_P = 0.3  # single-item scenes only
PLACE_P = 0.9
TIME_P = 0.85


def _maybe(rng: np.random.Generator, p: float, values) -> str | None:
    return values[int(rng.integers(len(values)))] if rng.random() < p else None


def sample_item(rng: np.random.Generator, position: bool = False) -> Item:
    obj = vocab.OBJECT.values[int(rng.integers(len(vocab.OBJECT.values)))]
    color = _maybe(rng, COLOR_P, vocab.COLOR.values)
    size = _maybe(rng, SIZE_P, vocab.SIZE.values)
    count = str(rng.choice(list(COUNT_P), p=list(COUNT_P.values())))
    where = _maybe(rng, POSITION_P, vocab.POSITION.values) if position else None
    return Item(object=obj, color=color, size=size, count=count, position=where)


def sample_scene(rng: np.random.Generator) -> Scene:
    """A random canonical concrete scene: 1–3 items, relations between neighbours, maybe a place and time."""
    n = int(rng.choice(len(ITEMS_P), p=ITEMS_P)) + 1
    items = [sample_item(rng, position=n == 1) for _ in range(n)]
    relations = vocab.RELATION.values
    items = [replace(it, relation=relations[int(rng.integers(len(relations)))]) if i < n - 1 else it
             for i, it in enumerate(items)]
    place = _maybe(rng, PLACE_P, vocab.PLACE.values)
    time = _maybe(rng, TIME_P, vocab.TIME.values)
    return canonical(Scene(items=tuple(items), place=place, time=time))


def held_out_pairs(scene: Scene) -> list[tuple[str, str]]:
    """The held-out (object, place) pairs a scene contains."""
    place = dominant(scene.place)
    return [pair for pair in HELD_OUT if pair[1] == place and any(dominant(it.object) == pair[0]
                                                                  for it in scene.items)]


def is_held_out(scene: Scene) -> bool:
    """True when any item's (dominant) object pairs with the scene's place in HELD_OUT."""
    return bool(held_out_pairs(scene))


def sample_held_out_scene(rng: np.random.Generator) -> Scene:
    """A random scene made to hold one held-out pair: one of its items and its place are forced."""
    scene = sample_scene(rng)
    obj, place = HELD_OUT[int(rng.integers(len(HELD_OUT)))]
    slot = int(rng.integers(len(scene.items)))
    items = tuple(replace(it, object=obj) if i == slot else it for i, it in enumerate(scene.items))
    return canonical(replace(scene, items=items, place=place))


def scenes_of_items(n: int, held_out: bool, items: int, seed: int = 0) -> list[Scene]:
    """n scenes with exactly `items` items, all seen compositions or all held-out ones (an evaluation's)."""
    kind = "heldout" if held_out else "seen"
    out: list[Scene] = []
    tries = 0
    while len(out) < n:
        rng = stream(seed, "eval-scenes", kind, str(items), str(tries))
        tries += 1
        scene = sample_held_out_scene(rng) if held_out else sample_scene(rng)
        if len(scene.items) == items and is_held_out(scene) == held_out:
            out.append(scene)
        if tries > 10_000 + 100 * n:
            raise RuntimeError(f"could not sample {n} {kind} scenes of {items} items")
    return out
