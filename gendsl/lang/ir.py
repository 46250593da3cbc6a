"""The sketch IR: frozen dataclasses the compiler returns and everything else reads.

A `Sketch` holds directives and named scene *templates*, which may still contain variants,
variables and wildcards; expand.py turns a template and a seed into the text of one scene,
which the sketch's world compiles into its own concrete scene (worlds/scene/ir.py: `Scene`).
A `Blend` of weighted words is the language's own: any world's kinds may mix.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import numpy as np


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
