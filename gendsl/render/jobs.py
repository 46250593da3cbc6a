"""Planning a run: which scene text each image gets, by generation mode.

- random: each image's variants are picked from its seed (the default);
- combinatorial: every combination of the scene's variants, each at every seed
  (refused with a message past limits.MAX_COMBINATIONS);
- cyclic: image i takes option i (mod its count) of every variant, in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .. import limits, worlds
from ..lang.errors import GendslError, suggestion_hint
from ..lang.expand import Expander
from ..worlds.scene.ir import Scene
from ..lang.ir import Sketch
from .seeds import Seeds


@dataclass(frozen=True)
class Job:
    """One image to make: its scene (as expanded and compiled), its seeds, and its name in a run."""

    scene_name: str
    text: str
    scene: Scene
    seed: int
    variation_seed: int | None = None
    strength: float = 0.0
    tag: str = ""  # what tells it apart from its scene's other images at the same seed
    world: worlds.World | None = None  # the world its scene was compiled in; None: the scene world

    @property
    def varied(self) -> bool:
        return self.variation_seed is not None and self.strength > 0


def sketch_world(sketch: Sketch, model=None, folders: bool = True) -> worlds.World:
    """The world a sketch's scenes speak: its `world` line, else the world of the model that draws it (`model`,
    or the one its `use` names: a saved model carries its words), else the scene world. `folders=False` (a
    request from the playground) never reads a model folder a sketch's text names."""
    if sketch.world is not None:
        return named_world(sketch)
    if isinstance(model, str):  # a model asked for by name or folder, not loaded yet
        return model_world(model, folders) or worlds.default()
    if model is not None:
        return getattr(model, "world", None) or worlds.default()
    return (model_world(sketch.model, folders) if sketch.model else None) or worlds.default()


def named_world(sketch: Sketch) -> worlds.World:
    """The world a sketch's `world` line names, or a located error with a did-you-mean."""
    try:
        return worlds.get(sketch.world)
    except GendslError:
        from ..lang.errors import Location, SketchError, suggestion_hint
        hint = suggestion_hint(sketch.world, worlds.names(), cutoff=0.5)
        raise SketchError(f'unknown world "{sketch.world}"; worlds: {", ".join(worlds.names())}',
                          Location(sketch.source, sketch.world_at or 0, len(sketch.world)), hint) from None


def sketch_model(sketch: Sketch) -> str:
    """The model a sketch draws with: its `use`, else its world's default model."""
    return sketch.model or sketch_world(sketch).default_model


def model_world(ref: str, folders: bool = True) -> worlds.World | None:
    """The world a model by name or folder speaks, or None when it is not known here (its error comes later)."""
    from ..models import names, world_of
    if not folders and ref not in names():
        return None
    try:
        return world_of(ref)
    except GendslError:
        return None


def chosen_scenes(sketch: Sketch, scene_names: Iterable[str] | None) -> list[str]:
    names = [d.name for d in sketch.scenes]
    chosen = list(scene_names) if scene_names else names
    for name in chosen:
        if name not in names:
            raise GendslError(f'the sketch has no scene named "{name}"; '
                              + (suggestion_hint(name, names, cutoff=0.5) or f"its scenes: {', '.join(names)}"))
    return chosen


def plan(sketch: Sketch, seeds: Seeds, scene_names: Iterable[str] | None = None,
         mode: str | None = None, model=None) -> list[Job]:
    """Every image of a run: each chosen scene at each seed, its variants chosen by `mode`, in the words of the
    model that draws them (`model`, or the sketch's; sketch_world)."""
    mode = mode or sketch.mode
    if mode not in limits.MODES:
        raise GendslError(f'unknown mode "{mode}"; modes: {", ".join(limits.MODES)}')
    if mode == "random" and seeds.mode == "fixed" and len(seeds) > 1 and not seeds.strength:
        raise GendslError(f"a fixed seed with random variants draws the same image {len(seeds)} times; use the "
                          "increment or random seed mode, a variation seed and strength, or mode combinatorial")
    world = sketch_world(sketch, model)
    expander = Expander.for_sketch(sketch, world)
    jobs: list[Job] = []
    for name in chosen_scenes(sketch, scene_names):
        template = sketch.scene(name).template
        if mode == "combinatorial":
            combos = list(expander.every(template, limits.MAX_COMBINATIONS + 1))
            if len(combos) > limits.MAX_COMBINATIONS:
                raise GendslError(f'scene "{name}" has more than {limits.MAX_COMBINATIONS} combinations of its '
                                  "variants; narrow them, or use mode random or cyclic")
            expansions = [(f"c{k:03d}", combo, seed, vseed) for k, combo in enumerate(combos)
                          for seed, vseed in seeds]
        elif mode == "cyclic":
            fixed = len(set(seeds.seeds)) < len(seeds)
            expansions = [(f"i{i:03d}" if fixed else "", expander.cycle(template, i), seed, vseed)
                          for i, (seed, vseed) in enumerate(seeds)]
        else:
            expansions = [("", expander.pick(template, seed), seed, vseed) for seed, vseed in seeds]
        if len(jobs) + len(expansions) > limits.MAX_IMAGES_PER_RUN:
            raise GendslError(f"this run would make more than {limits.MAX_IMAGES_PER_RUN} images; "
                              "render fewer scenes, seeds or combinations at a time")
        for tag, expansion, seed, vseed in expansions:
            jobs.append(Job(name, " ".join(expansion.text.split()), expansion.compile(), seed, vseed,
                            seeds.strength if vseed is not None else 0.0, tag, world))
    return jobs


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "scene"


def file_names(jobs: list[Job]) -> list[str]:
    """`{scene}[-{tag}]-{seed:04d}[-v{variation seed}-s{strength}].png`, made unique in order."""
    names, seen = [], set()
    for job in jobs:
        stem = "-".join(p for p in (slug(job.scene_name), job.tag, f"{job.seed:04d}") if p)
        if job.varied:
            stem += f"-v{job.variation_seed:04d}-s{round(job.strength * 100):03d}"
        name, n = stem, 1
        while name in seen:
            n += 1
            name = f"{stem}-{n}"
        seen.add(name)
        names.append(f"{name}.png")
    return names
