"""Where each drawn instance goes: boxes in 0..1 canvas units, made from a Scene.

The plan, in three steps:
1. each item becomes a *group*: its count of instances side by side, at its size;
2. items joined by 'above'/'below' share a *column* and are stacked; the other
   relations order the columns from left to right (each new column goes right
   next to the one it refers to, so earlier constraints stay true);
3. columns are spaced across the canvas (explicit positions pull them towards
   x = 0.2 / 0.5 / 0.8), and each column gets its height: ground objects stand
   on the ground line, sky objects float.
Everything is shrunk together when it would not fit, so relative sizes survive.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import vocab
from .ir import Attr, Blend, Scene, dominant
from . import places
from .shapes import NATURAL, body_shade

# Body colours of the colour words.
PALETTE = {
    "red": (215, 30, 35), "orange": (250, 135, 20), "yellow": (250, 215, 25), "green": (40, 165, 50),
    "blue": (35, 85, 225), "purple": (135, 55, 185), "pink": (250, 125, 185), "brown": (135, 80, 40),
    "white": (246, 246, 246), "black": (28, 28, 30), "gray": (130, 130, 132),
}
# Width and height of each object at normal size, in canvas units: big enough to read at 32 px.
EXTENT = {
    "school bus": (0.62, 0.28), "car": (0.5, 0.23), "truck": (0.56, 0.31), "boat": (0.42, 0.38),
    "airplane": (0.62, 0.25), "house": (0.44, 0.47), "tree": (0.32, 0.54), "stop sign": (0.21, 0.52),
    "balloon": (0.19, 0.31), "elephant": (0.48, 0.38), "sun": (0.32, 0.32), "cloud": (0.44, 0.22),
}
# Scale of each size word, and how far the noise spreads it (x 1 -/+ SIZE_SPREAD): the ranges never meet,
# and a far object shrinks by at most DEPTH_SHRINK, so "small" still reads smaller than a far normal one.
SIZE_SCALE = {"small": 0.58, None: 0.95, "large": 1.38}
SIZE_SPREAD = 0.12
DEPTH_SHRINK = 0.1
COUNT = {"one": 1, "two": 2, "three": 3}
POSITION_X = {"left": 0.2, "center": 0.5, "right": 0.8}
POSITION_JITTER = 0.05  # a stated position puts its column within this of its x
HERD_SCALE = 0.6  # a herd's members are smaller than a lone animal
GROUP_SCALE = {1: 1.0, 2: 0.88, 3: 0.78}  # pairs and threes shrink a little, so they still fit side by side
MARGIN = 0.02  # kept free at the canvas edges
COLUMN_GAP = {"next to": 0.02, None: 0.05}  # others ('left of', 'right of'): clearly apart
CLEAR_GAP = 0.08
STACK_GAP = 0.03


@dataclass(frozen=True)
class Placement:
    """One drawn instance. Placements come back in drawing order (far first)."""

    item: int  # index of its item in scene.items
    object: str  # the heaviest object of a blend
    color: tuple[int, int, int]  # body colour as drawn (a shade of the word's colour)
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in 0..1 canvas units
    facing: str  # 'left' or 'right'
    grounded: bool = False  # stands on the ground (and casts a shadow there)
    instance: int = 0  # which of its item's instances
    said_color: tuple[int, int, int] = (0, 0, 0)  # the colour the scene says (or the object's own)
    objects: tuple = ()  # (object, weight) pairs: one pair, or a blend's parts


def body_color(obj: str, color: Attr) -> tuple[int, int, int]:
    """The body RGB: the named colour, the weighted mix of a blend, or the object's own colour."""
    if color is None:
        return NATURAL[obj]
    for value in (color.parts if isinstance(color, Blend) else [(color, 1.0)]):
        if value[0] not in PALETTE:
            raise ValueError(f"unknown color {value[0]!r}; colors are: {', '.join(PALETTE)}")
    if isinstance(color, Blend):
        mix = sum(np.array(PALETTE[v], float) * w for v, w in color.parts)
        return tuple(int(round(c)) for c in np.clip(mix, 0, 255))
    return PALETTE[color]


def size_scale(size: Attr) -> float:
    if isinstance(size, Blend):
        return sum(SIZE_SCALE.get(v, SIZE_SCALE[None]) * w for v, w in size.parts)
    return SIZE_SCALE.get(size, SIZE_SCALE[None])


def object_parts(obj: Attr) -> tuple[tuple[str, float], ...]:
    parts = obj.parts if isinstance(obj, Blend) else ((obj, 1.0),)
    for name, _ in parts:
        if name not in EXTENT:
            raise ValueError(f"unknown object {name!r}; objects are: {', '.join(EXTENT)}")
    return tuple(parts)


def extent(parts) -> tuple[float, float]:
    """Width and height of an object or a blend of objects (the weighted mix)."""
    return (sum(EXTENT[o][0] * w for o, w in parts) / sum(w for _, w in parts),
            sum(EXTENT[o][1] * w for o, w in parts) / sum(w for _, w in parts))


@dataclass
class _Group:
    """One item's instances. Offsets are in units of one instance's width and height,
    measured from the group's left edge and bottom, so rescaling keeps the arrangement."""

    item: int
    object: str
    parts: tuple
    said_color: tuple[int, int, int]
    color: tuple[int, int, int]
    scale: float
    floats: bool  # drawn in the sky rather than on the ground
    facing: str
    offsets: list  # (dx, dy) per instance; dy <= 0 (raised)
    x: float = 0.5  # centre
    bottom: float = 0.9
    grounded: bool = False

    @property
    def unit(self):
        w, h = extent(self.parts)
        return w * self.scale, h * self.scale

    @property
    def width(self):
        return self.unit[0] * (1 + max(dx for dx, _ in self.offsets))

    @property
    def height(self):
        return self.unit[1] * (1 - min(dy for _, dy in self.offsets))


def _offsets(n: int, floats: bool, rng) -> list[tuple[float, float]]:
    """Side by side for up to three; a herd stands in two staggered rows, the back row raised."""
    jx, jy = rng.uniform(0, 1, 6), rng.uniform(0, 1, 6)
    if n <= 3:
        lift = 0.3 if floats else 0.04
        return [(k * 1.06 + jx[k] * 0.06, -jy[k] * lift) for k in range(n)]
    step = 0.78
    return [((k // 2) * step + (k % 2) * step / 2 + jx[k] * 0.05, -(k % 2) * (0.45 if floats else 0.38) - jy[k] * 0.05)
            for k in range(n)]


def _groups(scene: Scene, ground: bool, rng) -> list[_Group]:
    groups = []
    for i, item in enumerate(scene.items):
        parts, obj = object_parts(item.object), dominant(item.object)
        if item.count != "many" and item.count not in COUNT:
            raise ValueError(f"unknown count {item.count!r}; counts are: one, two, three, many")
        r = rng.child(f"item{i}")
        n = int(r.integers(4, 7)) if item.count == "many" else COUNT[item.count]
        scale = size_scale(item.size) * (1 + r.uniform(-SIZE_SPREAD, SIZE_SPREAD)) * GROUP_SCALE.get(n, HERD_SCALE)
        floats = obj in vocab.SKY_OBJECTS or not ground
        facing = "right" if r.random() < 0.5 else "left"
        said = body_color(obj, item.color)
        groups.append(_Group(i, obj, parts, said, body_shade(said, r), scale, floats, facing,
                             _offsets(n, floats, r)))
    return groups


def _columns(scene: Scene, rng) -> tuple[list[list[int]], list[str | None]]:
    """Columns left to right (each a stack of item indices, top first) and the relation between neighbours."""
    cols: list[list[int]] = []
    order: list[int] = []  # column indices, left to right
    links: dict[tuple[int, int], str | None] = {}
    for i in range(len(scene.items)):
        rel = scene.items[i - 1].relation if i else None  # how item i-1 stands to item i
        if rel in ("above", "below"):
            col = cols[-1]
            at = col.index(i - 1)
            col.insert(at + 1 if rel == "above" else at, i)
            continue
        cols.append([i])
        new = len(cols) - 1
        if not i:
            order.append(new)
            continue
        right = {"left of": True, "right of": False, "next to": bool(rng.random() < 0.5)}.get(rel, True)
        at = order.index(new - 1)  # item i-1 lives in the previous column
        order.insert(at + 1 if right else at, new)
        links[(new - 1, new) if right else (new, new - 1)] = rel
    gaps = [links.get(pair) for pair in zip(order, order[1:])]
    return [cols[k] for k in order], gaps


def _gap(kind: str | None) -> float:
    return COLUMN_GAP.get(kind, CLEAR_GAP)


def _spread(widths, gaps, targets, rng) -> list[float]:
    """Column centres: spaced out, pulled to explicit positions, kept in order and on the canvas."""
    n = len(widths)
    need = sum(widths) + sum(_gap(g) for g in gaps)
    free = max(0.0, 1 - 2 * MARGIN - need)
    # Unrelated and 'left of' columns share out some free space; 'next to' stays close.
    loose = [g != "next to" for g in gaps]
    extra = free * 0.6 / (sum(loose) + 1) if n > 1 else 0.0
    xs, x = [], 0.0
    for k, w in enumerate(widths):
        if k:
            x += _gap(gaps[k - 1]) + (extra if loose[k - 1] else 0.0)
        xs.append(x + w / 2)
        x += w
    offset = 0.5 - x / 2 + rng.uniform(-1, 1) * max(0.0, (free - extra * sum(loose)) / 2)  # anywhere it fits
    xs = [c + offset for c in xs]
    for k, t in enumerate(targets):
        if t is not None:
            xs[k] = t + rng.uniform(-POSITION_JITTER, POSITION_JITTER)
    for k in range(n):  # push right: order and gaps
        lo = MARGIN + widths[k] / 2 if k == 0 else xs[k - 1] + (widths[k - 1] + widths[k]) / 2 + _gap(gaps[k - 1])
        xs[k] = max(xs[k], lo)
    for k in reversed(range(n)):  # push left: stay on the canvas
        hi = 1 - MARGIN - widths[k] / 2 if k == n - 1 else xs[k + 1] - (widths[k + 1] + widths[k]) / 2 - _gap(gaps[k])
        xs[k] = min(xs[k], hi)
    return xs


def _stack(groups: list[_Group], place: str | None, shift: float, rng) -> None:
    """Vertical placement of one column (top first): bottom group stands or floats, the rest pile up.
    A grounded column stands at a depth the noise picks: further back is higher up and a little smaller."""
    ground_y = places.GROUND_Y.get(place, 0.9) if place else 0.9
    horizon = places.horizon(place, shift)
    low = groups[-1]
    depth = rng.random()

    def span():
        return sum(g.height for g in groups) + STACK_GAP * (len(groups) - 1)

    if low.floats and ground_y is None:  # open sky: float anywhere
        h = low.height
        bottom = rng.uniform(0.4 + h / 2, 0.72 + h / 2)
        floor = 1 - MARGIN
    elif low.floats:  # sky objects keep above the horizon when they can
        h = low.height
        bottom = rng.uniform(0.12 + h, max(0.12 + h, horizon - 0.02))
        floor = ground_y
    else:
        far, near = places.standing_band(place, shift, afloat=low.object == "boat")
        bottom = near - depth * (near - far)
        for g in groups:
            g.scale *= 1 - DEPTH_SHRINK * depth
        floor = bottom
        low.grounded = True
    top_room = MARGIN + 0.01
    if bottom - span() < top_room:  # a tall pile: lower a floating base, then shrink the pile
        if low.floats:
            bottom = min(floor, top_room + span())
        if bottom - span() < top_room:
            f = (bottom - top_room - STACK_GAP * (len(groups) - 1)) / sum(g.height for g in groups)
            for g in groups:
                g.scale *= f
    for g in reversed(groups):
        if g is not low and g.floats and ground_y is not None:  # a sky thing on top rises into the sky
            bottom = min(bottom, max(horizon - 0.02, top_room + g.height))
        g.bottom = bottom
        bottom -= g.height + STACK_GAP


def layout(scene: Scene, rng, horizon_shift: float = 0.0) -> list[Placement]:
    """Boxes for every drawn instance of `scene`, in drawing order.

    The place decides where the ground is; a scene with no place is laid out on
    a generic ground (render.py picks the place first, from the same noise stream).
    `rng` is a lang.noise.Stream; `horizon_shift` moves the place's horizon (render.py draws it).
    """
    place = dominant(scene.place)
    ground = place != "blue sky"
    groups = _groups(scene, ground, rng)
    if not groups:
        return []
    columns, gaps = _columns(scene, rng.child("columns"))

    def widths():
        return [max(groups[i].width for i in col) for col in columns]

    need = sum(widths()) + sum(_gap(g) for g in gaps)
    if need > 1 - 2 * MARGIN:  # shrink everything alike, so 'small' stays smaller than 'large'
        f = (1 - 2 * MARGIN - sum(_gap(g) for g in gaps)) / sum(widths())
        for g in groups:
            g.scale *= f
    for col in columns:
        _stack([groups[i] for i in col], place, horizon_shift, rng.child(f"column{col[-1]}"))
    targets = [next((POSITION_X[scene.items[i].position] for i in col if scene.items[i].position), None)
               for col in columns]
    for col, x in zip(columns, _spread(widths(), gaps, targets, rng.child("spread"))):
        for i in col:
            groups[i].x = x

    out = []
    for g in groups:
        w, h = g.unit
        left = g.x - g.width / 2
        for k, (dx, dy) in enumerate(g.offsets):
            box = (left + dx * w, g.bottom + dy * h - h, left + dx * w + w, g.bottom + dy * h)
            sx = max(0.0, -box[0]) - max(0.0, box[2] - 1)  # keep inside the canvas
            sy = max(0.0, -box[1]) - max(0.0, box[3] - 1)
            box = (box[0] + sx, box[1] + sy, box[2] + sx, box[3] + sy)
            out.append(Placement(g.item, g.object, g.color, tuple(float(v) for v in box), g.facing,
                                 g.grounded, k, g.said_color, g.parts))
    # Sky things first, then the rest from far (high) to near (low), so near ones overlap far ones.
    out.sort(key=lambda p: (p.object not in vocab.SKY_OBJECTS, p.box[3]))
    return out
