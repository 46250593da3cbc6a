"""The Python API: scenes and sketches to images, for scripts and notebooks.

    import gendsl
    sketch = gendsl.Sketch.from_file("sketches/school_bus.sketch")
    images = sketch.render(seeds=range(8))               # list of gendsl.Image
    gendsl.generate("yellow school bus in parking lot", seeds=[1, 2, 3], model="cgan")

Each Image holds its pixels and the metadata that makes it again; models load
once per process and are kept (a script that renders in a loop pays once).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from . import limits
from .lang import ir
from .lang.compiler import compile_grid_text
from .lang.errors import GendslError
from .lang.compiler import compile_template_text
from .lang.expand import Expander
from .lang.ir import Grid
from .lang import load_sketch, parse_sketch
from .render import draw_jobs, job_metadata, model_fields, png_bytes, read_metadata, remake, upscale
from .render.files import check_upscale, write_png
from .render.grids import render_grid
from .render.jobs import Job, file_names, plan, sketch_model
from .render.morph import morph_frames, morph_metadata
from .render.seeds import Seeds, as_seeds, run_seeds
from .render.sketch import render_sketch


@dataclass(frozen=True)
class Image:
    """One rendered image: uint8 pixels (H, W, 3) and the metadata to make it again."""

    pixels: np.ndarray
    metadata: dict

    @property
    def seed(self) -> int:
        return self.metadata["seed"]

    @property
    def scene(self) -> str:
        return self.metadata.get("scene", "")

    def png(self) -> bytes:
        """The PNG file's bytes, metadata included."""
        return png_bytes(self.pixels, self.metadata)

    def save(self, path: str | Path) -> Path:
        """Write the PNG (atomically); returns its path."""
        return write_png(Path(path), self.pixels, self.metadata)[0]

    def to_pil(self):
        from PIL import Image as PILImage
        return PILImage.fromarray(self.pixels)

    def _repr_png_(self) -> bytes:  # shown inline in notebooks
        return self.png()

    def __repr__(self) -> str:
        what = f"{self.scene!r} seed {self.metadata.get('seed')}" if "seed" in self.metadata else self.metadata.get(
            "kind", "image")
        return f"<gendsl.Image {what}, {self.pixels.shape[1]}x{self.pixels.shape[0]}, {self.metadata.get('model')}>"


@lru_cache(maxsize=8)
def _cached_model(ref: str, size: int | None):
    from .models import load
    return load(ref, size=size)


def get_model(model=None, size: int | None = None):
    """A model instance from a model, a name or a folder (loaded once per process)."""
    if model is None or isinstance(model, (str, Path)):
        ref = str(model or limits.DEFAULT_MODEL)
        from .models import DRAWS_ANY_SIZE
        return _cached_model(ref, (size or limits.DEFAULT_SIZE) if ref in DRAWS_ANY_SIZE else None)
    return model


def _seeds(seeds, variation_seed, strength, seed_mode=None, count=None) -> Seeds:
    if isinstance(seeds, Seeds):
        return seeds
    if isinstance(seeds, int):
        return run_seeds(seeds, count or 1, seed_mode, variation_seed, strength)
    seeds = list(seeds)
    if variation_seed is None and not strength:
        return as_seeds(seeds)
    base = as_seeds(seeds)
    varied = run_seeds(seeds[0], len(seeds), "fixed", variation_seed, strength)
    return Seeds(base.seeds, varied.variation_seeds, varied.strength, "list")


class Sketch:
    """A sketch file or text, ready to render: images, grids and morphs."""

    def __init__(self, sketch: ir.Sketch):
        self.ir = sketch

    @classmethod
    def from_file(cls, path: str | Path) -> "Sketch":
        return cls(load_sketch(path))

    @classmethod
    def from_text(cls, text: str, path: str | Path | None = None) -> "Sketch":
        return cls(parse_sketch(text, path))

    @property
    def scenes(self) -> list[str]:
        return [d.name for d in self.ir.scenes]

    def __repr__(self) -> str:
        return f"<gendsl.Sketch {self.ir.title or self.ir.source.name!r}: scenes {', '.join(self.scenes)}>"

    def seeds(self, seed=None, variations=None, seed_mode=None, variation_seed=None, strength=0.0) -> Seeds:
        return run_seeds(self.ir.seed if seed is None else seed,
                         self.ir.variations if variations is None else variations, seed_mode, variation_seed, strength)

    def render(self, seeds: Iterable[int] | Seeds | None = None, scenes: Iterable[str] | None = None,
               model=None, mode: str | None = None, variation_seed: int | None = None, strength: float = 0.0,
               upscale_by: int = 1, resample: str = "nearest") -> list[Image]:
        """Images of the sketch's scenes (all, or `scenes`) at `seeds` (default: the sketch's own)."""
        drawer = get_model(model or sketch_model(self.ir), self.ir.size)
        seeds = self.seeds(variation_seed=variation_seed, strength=strength) if seeds is None else _seeds(
            seeds, variation_seed, strength)
        check_upscale(upscale_by, resample, drawer.size)
        mode = mode or self.ir.mode
        jobs = plan(self.ir, seeds, scenes, mode, drawer)
        fields = model_fields(drawer)
        return [Image(upscale(image, upscale_by, resample),
                      {**job_metadata(job, fields, self.ir, mode, upscale_by, resample), "file_name": name})
                for job, name, image in zip(jobs, file_names(jobs), draw_jobs(drawer, jobs))]

    def grid(self, spec: str | Grid, seeds=None, model=None, variation_seed: int | None = None,
             strength: float = 0.0) -> Image:
        """A labelled grid, e.g. sketch.grid("mix by place x seed")."""
        grid = compile_grid_text(spec) if isinstance(spec, str) else spec
        drawer = get_model(model or sketch_model(self.ir), self.ir.size)
        seeds = self.seeds(variation_seed=variation_seed, strength=strength) if seeds is None else _seeds(
            seeds, variation_seed, strength)
        sheet, meta = render_grid(self.ir, grid, seeds, drawer, lambda ref: get_model(ref, self.ir.size))
        return Image(sheet, {**meta, "sketch": self.ir.source.text})

    def morph(self, start: str, end: str, frames: int = limits.DEFAULT_MORPH_FRAMES, seed: int | None = None,
              end_seed: int | None = None, model=None) -> list[Image]:
        """Frames from one scene of the sketch to another (noise by slerp when the seeds differ)."""
        seed = self.ir.seed if seed is None else seed
        end_seed = seed if end_seed is None else end_seed
        drawer = get_model(model or sketch_model(self.ir), self.ir.size)
        first, = plan(self.ir, as_seeds([seed]), [start], "random", drawer)
        last, = plan(self.ir, as_seeds([end_seed]), [end], "random", drawer)
        return _morph(first, last, frames, drawer)

    def write(self, out_dir: str | Path, **options) -> list[Path]:
        """Render everything the sketch asks for into a folder (as `gendsl render` does)."""
        model = options.pop("model", None)
        return render_sketch(self.ir, out_dir, get_model(model or sketch_model(self.ir), self.ir.size), **options)


def _morph(first: Job, last: Job, frames: int, model) -> list[Image]:
    meta = morph_metadata(first.text, last.text, first.scene, last.scene, first.seed, last.seed, frames,
                          model_fields(model))
    return [Image(frame, {**meta, "frame": i})
            for i, frame in enumerate(morph_frames(model, first.scene, last.scene, frames, first.seed, last.seed,
                                                       first.world))]


def _jobs(text: str, seeds, model=None) -> list[Job]:
    """One scene text (which may hold variants) at each (seed, variation seed, strength), in the words of the
    model that draws it. The text is parsed once and each distinct expansion compiled once: per image, that
    was most of what gendsl.generate spent outside the network."""
    if not isinstance(text, str) or not text.strip():
        raise GendslError("a scene is some text, such as: a red car on the beach")
    if len(text) > limits.MAX_SCENE_CHARS:
        raise GendslError(f"a scene is at most {limits.MAX_SCENE_CHARS} characters, not {len(text)}")
    source = ir.Source(text)
    world = getattr(model, "world", None)
    expander, template = Expander({}, source, language=world), compile_template_text(text, source)
    compiled: dict = {}
    jobs = []
    for seed, variation_seed, strength in seeds:
        expansion = expander.pick(template, seed)
        if expansion.text not in compiled:
            compiled[expansion.text] = expansion.compile()
        jobs.append(Job("scene", " ".join(expansion.text.split()), compiled[expansion.text], seed, variation_seed,
                        strength, world=world))
    return jobs


def _job(text: str, seed: int, variation_seed=None, strength: float = 0.0, model=None) -> Job:
    return _jobs(text, [(seed, variation_seed, strength)], model)[0]


def generate(scene: str, seeds: Iterable[int] | int = (0,), model=limits.DEFAULT_MODEL, size: int | None = None,
             variation_seed: int | None = None, strength: float = 0.0, upscale_by: int = 1,
             resample: str = "nearest") -> list[Image]:
    """Images of one scene (variants allowed: `a {red | blue} car`), one per seed."""
    seeds = _seeds(seeds, variation_seed, strength)
    drawer = get_model(model, size)
    jobs = _jobs(scene, [(seed, vseed, seeds.strength if vseed is not None else 0.0) for seed, vseed in seeds], drawer)
    check_upscale(upscale_by, resample, drawer.size)
    fields = model_fields(drawer)
    return [Image(upscale(image, upscale_by, resample), job_metadata(job, fields, None, "random", upscale_by, resample))
            for job, image in zip(jobs, draw_jobs(drawer, jobs))]


def morph(start: str, end: str, frames: int = limits.DEFAULT_MORPH_FRAMES, seed: int = 0,
          end_seed: int | None = None, model=limits.DEFAULT_MODEL, size: int | None = None) -> list[Image]:
    """Frames from one scene to another, through conditioning space and (slerp) noise space."""
    end_seed = seed if end_seed is None else end_seed
    drawer = get_model(model, size)
    return _morph(_job(start, seed, model=drawer), _job(end, end_seed, model=drawer), frames, drawer)


def restore(path_or_bytes, model=None, force: bool = False) -> Image:
    """The image a gendsl PNG describes, made again (the same pixels, or a clear error why not)."""
    restored = remake(read_metadata(path_or_bytes), model, force)
    return Image(restored.image, restored.metadata)
