"""What a drawing leaves unshown: stated sizes and positions that the layout had to give up.

    unshown(compile_scene("two large school buses"), seed=7)   # {0: frozenset({'size'})}

A lone group is measured only against the canvas, so the layout sometimes
cannot draw what a word asks for (layout.py; items beside each other are also
measured against each other, and are left alone here):
- size: a large group too wide for the canvas is shrunk to fit, like the same
  group at normal size (two large buses and two buses both fill the width);
- position: a wide group on the 'left' cannot have its centre at x = 0.2, and
  the canvas edge pushes it back towards the middle.
This module measures that from the world's own plan at the image's seed, so an
evaluation that reads pictures back into words (retrieval/scoring.py) can count
such an attribute as drawn like no word at all, the same allowance it gives a
car with no colour for being drawn red.

The other way round, a lone group whose sentence gives no position stands
anywhere it fits; where it lands where a position word would have put it, the
picture shows that word (`seen_position`, `as_seen`). A captioner learns to say
what it sees from such texts: a person cannot tell "a car" drawn on the left
from "a car on the left". The `nearest` rule says a word wherever the group
stands, the one whose x is nearest its centre: then a stated position, which
lies within the jitter of its word, is never near the edge of a window, as it
is under the `jitter` rule (a car 0.06 from x = 0.2 is said nowhere, one 0.04
away on the left: 1.6 px apart at 32 px).

The rules, each the midpoint between the word and its absence:
- size: the item's drawn width over its width in the same scene without the
  size word, at the same seed (the layout's random draws do not depend on the
  size), is nearer 1 than the word's scale (layout.SIZE_SCALE), in log terms;
- position: the group's centre is nearer the middle (0.5) than the word's own
  x (layout.POSITION_X).
"""
from __future__ import annotations

import math
from dataclasses import replace

from .ir import Scene, canonical
from .layout import POSITION_JITTER, POSITION_X, SIZE_SCALE
from .render import plan_scene

SEEN_RULES = ("jitter", "nearest")  # seen_position: within the jitter of a word's x, or the nearest word


def _extent(placements, item: int) -> tuple[float, float]:
    """(mean instance width, centre of the group's span) of one item's instances."""
    boxes = [p.box for p in placements if p.item == item]
    width = sum(b[2] - b[0] for b in boxes) / len(boxes)
    return width, (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2


def unshown(scene: Scene, seed: int) -> dict[int, frozenset[str]]:
    """{item index: the stated attributes the world's drawing of `scene` at `seed` does not show}
    (items of canonical(scene); items that show everything are left out)."""
    scene = canonical(scene)
    out: dict[int, frozenset[str]] = {}
    if len(scene.items) != 1:  # items beside each other are measured against each other too
        return out
    placements = plan_scene(scene, seed).placements
    for i, item in enumerate(scene.items):
        if not any(p.item == i for p in placements):
            continue
        width, centre = _extent(placements, i)
        hidden = set()
        if isinstance(item.size, str) and item.size in SIZE_SCALE:
            plain = replace(scene, items=tuple(replace(it, size=None) if k == i else it
                                               for k, it in enumerate(scene.items)))
            ratio = width / _extent(plan_scene(plain, seed).placements, i)[0]
            if abs(math.log(ratio)) < abs(math.log(SIZE_SCALE[item.size])) / 2:
                hidden.add("size")
        target = POSITION_X.get(item.position) if isinstance(item.position, str) else None
        if target is not None and target != 0.5 and abs(centre - 0.5) < abs(target - 0.5) / 2:
            hidden.add("position")
        if hidden:
            out[i] = frozenset(hidden)
    return out


def seen_position(scene: Scene, seed: int, rule: str = "jitter") -> str | None:
    """The position word a lone group with no stated position was drawn at, at `seed`. Rule "jitter": the
    word whose x (layout.POSITION_X) its centre lies within the layout's own jitter of, None when it stands
    between them; rule "nearest": the word whose x is nearest its centre. None when a position is stated,
    and for scenes of several items (their columns depend on each other)."""
    if rule not in SEEN_RULES:
        raise ValueError(f"unknown rule {rule!r}; use {' or '.join(SEEN_RULES)}")
    scene = canonical(scene)
    if len(scene.items) != 1 or scene.items[0].position is not None:
        return None
    placements = plan_scene(scene, seed).placements
    if not placements:
        return None
    centre = _extent(placements, 0)[1]
    if rule == "nearest":
        return min(POSITION_X, key=lambda word: abs(centre - POSITION_X[word]))
    return next((word for word, x in POSITION_X.items() if abs(centre - x) <= POSITION_JITTER), None)


def with_backdrop(scene: Scene, seed: int) -> Scene:
    """`scene` with the place its picture at `seed` shows (render.plan_scene picks one from the seed) and the
    time (day) stated, where it had none: a person cannot tell "a car" drawn on a beach from "a car on the beach"."""
    if scene.place is not None and scene.time is not None:
        return scene
    drawn = plan_scene(scene, seed).scene.place if scene.place is None else scene.place
    return canonical(replace(scene, place=drawn, time=scene.time or "day"))


def as_seen(scene: Scene, seed: int, rule: str = "jitter") -> Scene:
    """`scene` with the position its picture at `seed` shows stated (seen_position), where it had none."""
    word = seen_position(scene, seed, rule)
    if word is None:
        return scene
    scene = canonical(scene)
    return replace(scene, items=(replace(scene.items[0], position=word),))
