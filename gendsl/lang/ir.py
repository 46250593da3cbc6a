"""The sketch IR: frozen dataclasses the compiler returns and everything else reads.

Two levels:
- a concrete `Scene` (items, place, time) is what a model draws;
- a `Sketch` holds directives and named scene *templates*, which may still
  contain variants, variables and wildcards; expand.py turns a template and a
  seed into a concrete Scene.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Union

import numpy as np

from . import vocab


@dataclass(frozen=True)
class Blend:
    """A weighted mix of values of one category: (yellow:0.6, red:0.4)."""

    parts: tuple[tuple[str, float], ...]  # (value, weight), canonical: sorted by value, weights sum to 1

    @staticmethod
    def of(parts) -> "Attr":
        """Canonical blend from (value, weight) pairs; a single value stays a plain string."""
        merged: dict[str, float] = {}
        for value, weight in parts:
            merged[value] = merged.get(value, 0.0) + float(weight)
        total = sum(merged.values())
        if not math.isfinite(total):  # weights of 1e308 overflow: refused rather than mixed into nan
            raise ValueError("blend weights are too large")
        if total <= 0:
            raise ValueError("blend weights must add up to more than zero")
        if len(merged) == 1:
            return next(iter(merged))
        # Weights are stored at float32 precision, and weights that already add up to 1 are kept
        # as they are, so that decode(encode(b)) == b exactly.
        scale = 1.0 if abs(total - 1.0) < 1e-6 else 1.0 / total
        return Blend(tuple((v, float(np.float32(w * scale))) for v, w in sorted(merged.items())))

    def dominant(self) -> str:
        return max(self.parts, key=lambda p: (p[1], p[0]))[0]

    def __str__(self) -> str:
        return _attr_text(self)


Attr = Union[str, Blend, None]


def dominant(attr: Attr) -> str | None:
    """The single value an attribute mostly means (the heaviest part of a blend)."""
    return attr.dominant() if isinstance(attr, Blend) else attr


@dataclass(frozen=True)
class Item:
    """One object group in a scene: 'two small red cars on the left'."""

    object: str | Blend
    color: Attr = None
    size: Attr = None
    count: str = "one"  # one | two | three | many
    position: str | None = None  # left | center | right
    relation: str | None = None  # how this item stands to the next one: left of, above, next to ...

    def __str__(self) -> str:
        """Canonical text that the language parses back to this item."""
        plural = self.count != "one"
        words = [_attr_text(a) for a in (self.size, self.color) if a is not None]
        if isinstance(self.object, Blend):
            words.append(_attr_text(self.object))
        else:
            words.append(vocab.OBJECT.plural[self.object] if plural else self.object)
        words.insert(0, article(words[0]) if not plural else _COUNT_WORDS[self.count])
        if self.position:
            words.append(_POSITION_WORDS[self.position])
        return " ".join(words)


_COUNT_WORDS = {"two": "two", "three": "three", "many": "many"}


def article(next_word: str) -> str:
    """'an' before a vowel ('an orange car', 'an elephant'), else 'a'; the language reads both alike."""
    return "an" if next_word[:1] in "aeiou" else "a"
_POSITION_WORDS = {"left": "on the left", "center": "in the center", "right": "on the right"}
_TIME_WORDS = {"day": "by day", "night": "at night"}


def _attr_text(attr: "str | Blend") -> str:
    if isinstance(attr, Blend):
        # float32 weights print in their shortest form, which parses back to the same float32
        return "(" + ", ".join(f"{v}:{np.format_float_positional(np.float32(w), trim='-')}"
                               for v, w in attr.parts) + ")"
    return attr


@dataclass(frozen=True)
class Scene:
    """A concrete scene: up to vocab.MAX_ITEMS items, a place and a time of day."""

    items: tuple[Item, ...]
    place: Attr = None
    time: Attr = None

    def __str__(self) -> str:
        """Canonical text: compile_scene(str(scene)) == canonical(scene). It reads as English:
        'a boat on the beach', 'a bus in the parking lot' (vocab.PLACE_PREPOSITIONS)."""
        return self._text(legacy=False)

    def legacy_text(self) -> str:
        """The canonical text before gendsl 0.x said 'on the beach': every place 'in the …'. Images made
        then store it; restore accepts it as the same scene."""
        return self._text(legacy=True)

    def _text(self, legacy: bool) -> str:
        parts = []
        for index, item in enumerate(self.items):
            parts.append(str(item))
            if index < len(self.items) - 1:
                parts.append(item.relation or "and")
        if self.place is not None:
            prep = "in" if legacy else vocab.PLACE_PREPOSITIONS[dominant(self.place)]
            parts.append(f"{prep} the {_attr_text(self.place)}")
        if self.time is not None:
            parts.append(f"at {_attr_text(self.time)}" if isinstance(self.time, Blend) else _TIME_WORDS[self.time])
        return " ".join(parts)


def canonical(scene: Scene) -> Scene:
    """The one form of a scene that every phrasing of it compiles to.

    Two-item scenes are written with mirrored relations turned round:
    'A right of B' becomes 'B left of A', 'A below B' becomes 'B above A'.
    The last item never carries a relation.
    """
    items = list(scene.items)
    if items:
        items[-1] = replace(items[-1], relation=None)
    if len(items) == 2 and items[0].relation in vocab.MIRRORED_RELATIONS:
        first, second = items
        items = [replace(second, relation=vocab.MIRRORED_RELATIONS[first.relation]), replace(first, relation=None)]
    return replace(scene, items=tuple(items))


# ---- templates: scene text that still holds variants, variables and wildcards ----

@dataclass(frozen=True)
class Text:
    text: str
    offset: int  # where the text starts in the source


@dataclass(frozen=True)
class Option:
    weight: float
    pieces: tuple["Piece", ...]
    offset: int


@dataclass(frozen=True)
class Variant:
    """{a | b | 2:c}: one option picked per image, by weight."""

    options: tuple[Option, ...]
    offset: int
    source: str  # the variant as written, which names its random stream


@dataclass(frozen=True)
class VarRef:
    name: str
    offset: int


@dataclass(frozen=True)
class Wildcard:
    name: str
    offset: int


Piece = Union[Text, Variant, VarRef, Wildcard]


@dataclass(frozen=True)
class Template:
    pieces: tuple[Piece, ...]
    offset: int


# ---- the sketch program ----

@dataclass(frozen=True)
class SceneDecl:
    name: str
    template: Template
    line: int


@dataclass(frozen=True)
class GridAxis:
    """One labelled axis of a grid: `seed`, `strength`, `model`, a variable or a kind of word, with values."""

    name: str
    values: tuple[str | int | float, ...]
    offset: int  # where it was written, so a bad axis is reported there
    source: "Source | None" = field(default=None, compare=False, repr=False)  # the sketch, or a --grid option


@dataclass(frozen=True)
class Grid:
    scene: str
    rows: int | None
    cols: int | None
    line: int
    axes: tuple[GridAxis, ...] = ()  # rows axis first; none: the scene's images in seed order


@dataclass(frozen=True)
class Morph:
    start: str
    end: str
    frames: int
    line: int
    start_seed: int | None = None  # None: the run's first seed
    end_seed: int | None = None


@dataclass(frozen=True)
class Source:
    """The text a template was written in, so errors can point into it."""

    text: str
    path: Path | None = None

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<scene>"


@dataclass(frozen=True)
class Sketch:
    title: str | None
    model: str | None  # what its `use` line names; None: its world's default model (render.jobs.sketch_model)
    size: int
    seed: int
    variations: int
    variables: dict[str, Template]
    scenes: tuple[SceneDecl, ...]
    grids: tuple[Grid, ...] = ()
    morphs: tuple[Morph, ...] = ()
    mode: str = "random"  # how variants are chosen: random (per seed), combinatorial, cyclic
    world: str | None = None  # the world its scenes speak, by name (worlds.get), when its `world` line says
    world_at: int | None = None  # where that name stands in the source, for a located error
    source: Source = field(default_factory=lambda: Source(""))

    def scene(self, name: str) -> SceneDecl:
        for decl in self.scenes:
            if decl.name == name:
                return decl
        raise KeyError(name)
