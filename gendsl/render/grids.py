"""Grids: contact sheets, and labelled grids over any parameter of a scene.

`grid "mix" by place x seed` draws one row per option of the scene's place
variant and one column per seed. An axis is `seed`, `strength` (variation
strength, mixing in the variation seed), `model`, a variable of the sketch
(`vehicle`), or a kind of word (`place`, `color`, `time` …) naming the one
variant of the scene whose options are all of that kind. Values in brackets
choose which: `strength [0, 0.25, 0.5]`, `model [world, cgan]`,
`place [beach, road]`. Variants no axis pins are picked from each cell's seed.
Labels use Pillow's built-in bitmap font, so a grid's bytes do not depend on
the fonts a machine has.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .. import limits
from ..worlds.scene import vocab
from ..lang.errors import GendslError, Location, SketchError, suggestion_hint
from ..lang.expand import Choice, Expander
from ..lang.ir import Grid, GridAxis, Sketch
from ..sheets import contact_sheet  # noqa: F401  (render.contact_sheet: re-exported)
from .draw import draw_jobs, model_fields
from .jobs import Job, chosen_scenes, sketch_world
from .seeds import Seeds

SPECIAL_AXES = ("seed", "strength", "model")
DEFAULT_STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)
DEFAULT_MODELS = ("world", "cgan", "cvae")
MIN_CELL = 128  # pixels: cells are enlarged (nearest) to at least this, so labels fit beside them
INK, PAPER = (30, 30, 30), (245, 245, 245)


@dataclass(frozen=True)
class Cell:
    seed: int
    variation_seed: int | None
    strength: float
    model: str | None  # None: the run's model
    fixed: tuple[tuple[Choice, int], ...] = ()


@dataclass(frozen=True)
class AxisValue:
    label: str
    apply: Callable[[Cell], Cell]


def _axis_error(sketch: Sketch, axis: GridAxis, message: str, hint: str | None = None) -> SketchError:
    source = axis.source or sketch.source  # a --grid option's axis points into the option, not the sketch
    if source.text and axis.offset < len(source.text):
        return SketchError(message, Location(source, axis.offset, len(axis.name)), hint)
    return SketchError(message + (f"; {hint}" if hint else ""))


def _find_choice(sketch: Sketch, axis: GridAxis, choices: list[Choice], scene: str) -> Choice:
    by_name = [c for c in choices if c.key is None and c.name == axis.name]
    by_kind = [c for c in choices if c.key is not None and c.labels
               and all(vocab.kind_of_phrase(label) == axis.name for label in c.labels)]
    found = by_name or by_kind
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise _axis_error(sketch, axis, f'scene "{scene}" has {len(found)} variants of {axis.name}s',
                          f"name the one you mean with a variable (let {axis.name}s = …) and use it as the axis")
    known = [*SPECIAL_AXES, *(c.name for c in choices if c.key is None),
             *(k for c in choices if c.key is not None and c.labels
               for k in {vocab.kind_of_phrase(label) for label in c.labels} if k and len(
                   {vocab.kind_of_phrase(label) for label in c.labels}) == 1)]
    hint = suggestion_hint(axis.name, known, cutoff=0.5) or f"axes for this scene: {', '.join(known)}"
    raise _axis_error(sketch, axis, f'scene "{scene}" has no variant or variable to grid by "{axis.name}"', hint)


def axis_values(sketch: Sketch, axis: GridAxis, choices: list[Choice], scene: str, seeds: Seeds) -> list[AxisValue]:
    """The labelled values of one axis, each a change to a cell."""
    if axis.name == "seed":
        values = list(axis.values) or list(dict.fromkeys(seeds.seeds))
        for v in values:
            if not isinstance(v, int) or not 0 <= v <= limits.MAX_SEED:
                raise _axis_error(sketch, axis, f"a seed axis takes seeds (0 to {limits.MAX_SEED}), not {v!r}")
        return [AxisValue(f"seed {v}", lambda c, v=v: replace(c, seed=v)) for v in values]
    if axis.name == "strength":
        values = list(axis.values) or list(DEFAULT_STRENGTHS)
        for v in values:
            if not isinstance(v, (int, float)) or not 0 <= v <= 1:
                raise _axis_error(sketch, axis, f"a strength axis takes numbers from 0 to 1, not {v!r}")
        base = seeds.variation_seeds[0]
        return [AxisValue(f"strength {v:g}", lambda c, v=v: replace(
            c, strength=float(v), variation_seed=base if base is not None else (c.seed + 1) % (limits.MAX_SEED + 1)))
            for v in values]
    if axis.name == "model":
        from ..models import check_name
        values = [str(v) for v in axis.values] or list(DEFAULT_MODELS)
        for v in values:
            check_name(v)
        return [AxisValue(v, lambda c, v=v: replace(c, model=v)) for v in values]
    choice = _find_choice(sketch, axis, choices, scene)
    indices = list(range(len(choice.labels)))
    if axis.values:
        wanted = [vocab.normalize_phrase(str(v)) for v in axis.values]
        labels = [vocab.normalize_phrase(label) for label in choice.labels]
        for v in wanted:
            if v not in labels:
                raise _axis_error(sketch, axis, f'"{v}" is not an option of {choice.name}',
                                  suggestion_hint(v, labels, cutoff=0.5))
        indices = [labels.index(v) for v in wanted]
    return [AxisValue(choice.labels[i], lambda c, i=i: replace(c, fixed=(*c.fixed, (choice, i)))) for i in indices]


def grid_cells(sketch: Sketch, grid: Grid, seeds: Seeds) -> tuple[list[list[AxisValue]], list[Cell]]:
    """The axes' values and the cells, row by row."""
    chosen_scenes(sketch, [grid.scene])
    expander = Expander.for_sketch(sketch)  # the variants' structure only: nothing is compiled here
    choices = expander.choices(sketch.scene(grid.scene).template)
    if not grid.axes:
        raise GendslError("a labelled grid needs at least one axis (by …)")
    axes = [axis_values(sketch, axis, choices, grid.scene, seeds) for axis in grid.axes]
    rows, cols = (axes if len(axes) == 2 else [[AxisValue("", lambda c: c)], axes[0]])
    for values in (rows, cols):
        if len(values) > limits.MAX_GRID_SIDE:
            raise GendslError(f"a grid side has at most {limits.MAX_GRID_SIDE} values, not {len(values)}")
    base = Cell(seeds.first, seeds.variation_seeds[0], seeds.strength, None)
    return [rows, cols], [c.apply(r.apply(base)) for r in rows for c in cols]


def render_grid(sketch: Sketch, grid: Grid, seeds: Seeds, model, load_model: Callable[[str], object]
                ) -> tuple[np.ndarray, dict]:
    """A labelled grid image and its metadata; `load_model` loads (and caches) the models an axis names."""
    (rows, cols), cells = grid_cells(sketch, grid, seeds)
    world = sketch_world(sketch, model)
    expander = Expander.for_sketch(sketch, world)
    template = sketch.scene(grid.scene).template
    jobs = []
    for cell in cells:
        expansion = expander.pick(template, cell.seed, dict(cell.fixed))
        jobs.append(Job(grid.scene, " ".join(expansion.text.split()), expansion.compile(), cell.seed,
                        cell.variation_seed, cell.strength, world=world))
    images: list[np.ndarray | None] = [None] * len(cells)
    fields: dict[str | None, dict] = {}
    for ref in dict.fromkeys(cell.model for cell in cells):
        drawer = model if ref is None else load_model(ref)
        fields[ref] = model_fields(drawer)
        mine = [i for i, cell in enumerate(cells) if cell.model == ref]
        for i, image in zip(mine, draw_jobs(drawer, [jobs[i] for i in mine])):
            images[i] = image
    titles = [axis.name for axis in grid.axes]
    sheet = labelled_sheet(images, [r.label for r in rows], [c.label for c in cols],
                           titles[0] if len(titles) == 2 else "", titles[-1])
    meta = {"kind": "grid", "scene_name": grid.scene, "axes": titles, "rows": [r.label for r in rows],
            "cols": [c.label for c in cols], **model_fields(model),
            "cells": [{"scene_text": j.text, "scene": str(j.scene), "seed": j.seed,
                       "variation_seed": j.variation_seed if j.varied else None, "strength": j.strength if j.varied
                       else 0.0, "model": fields[cell.model]["model"],
                       "model_fingerprint": fields[cell.model]["model_fingerprint"]}
                      for j, cell in zip(jobs, cells)]}
    return sheet, meta


def _fit(text: str, width: int, font) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "..") > width:
        text = text[:-1]
    return text + ".."


def labelled_sheet(images: Sequence[np.ndarray], row_labels: Sequence[str], col_labels: Sequence[str],
                   row_title: str, col_title: str, gap: int = 4) -> np.ndarray:
    """Cells row by row: the axes named on the first line, column labels above, row labels at the left."""
    font = ImageFont.load_default_imagefont()
    side = max(image.shape[0] for image in images)
    scale = max(1, math.ceil(MIN_CELL / side))
    cell, line = side * scale, 14
    left = gap + (int(max(font.getlength(label) for label in row_labels)) + gap if any(row_labels) else 0)
    top = 2 * line + gap
    width = left + len(col_labels) * (cell + gap)
    height = top + len(row_labels) * (cell + gap)
    canvas = Image.new("RGB", (width, height), PAPER)
    pen = ImageDraw.Draw(canvas)
    title = f"rows: {row_title}   columns: {col_title}" if row_title else f"columns: {col_title}"
    pen.text((gap, 2), _fit(title, width - 2 * gap, font), fill=INK, font=font)
    for c, label in enumerate(col_labels):
        x = left + c * (cell + gap)
        text = _fit(label, cell, font)
        pen.text((x + (cell - font.getlength(text)) // 2, line + 2), text, fill=INK, font=font)
    for r, label in enumerate(row_labels):
        y = top + r * (cell + gap)
        pen.text((gap, y + cell // 2 - line // 2), label, fill=INK, font=font)
        for c in range(len(col_labels)):
            image = Image.fromarray(np.asarray(images[r * len(col_labels) + c], np.uint8))
            canvas.paste(image.resize((cell, cell), Image.Resampling.NEAREST), (left + c * (cell + gap), y))
    return np.asarray(canvas)
