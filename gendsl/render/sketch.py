"""Rendering a whole sketch into a folder: its images, grids and morphs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .._version import __version__
from ..lang.errors import GendslError
from ..lang.ir import Grid, Sketch
from ..models import load
from .draw import BATCH, draw_jobs, job_metadata, model_fields
from .files import check_upscale, upscale as enlarge, write_png
from .grids import contact_sheet, grid_cells, render_grid
from .jobs import file_names, plan, sketch_model, slug
from .morph import morph_frames, morph_metadata, write_gif
from .writer import PngWriter
from .noise import has_noise
from .seeds import Seeds, as_seeds, run_seeds


def sketch_seeds(sketch: Sketch, seed: int | None = None, variations: int | None = None, seed_mode: str | None = None,
                 variation_seed: int | None = None, strength: float = 0.0, entropy: int | None = None) -> Seeds:
    """The seeds of a sketch's run: its `seed` and `variations` unless overridden."""
    return run_seeds(sketch.seed if seed is None else seed, sketch.variations if variations is None else variations,
                     seed_mode, variation_seed, strength, entropy)


def check_grids(sketch: Sketch, grids: Sequence[Grid], seeds: Seeds) -> None:
    for grid in grids:
        if grid.axes:
            grid_cells(sketch, grid, seeds)


def model_loader(size: int) -> Callable[[str], object]:
    """load(), remembering each model it has loaded."""
    cache: dict[str, object] = {}

    def load_model(ref: str):
        if ref not in cache:
            cache[ref] = load(ref, size=size)
        return cache[ref]
    return load_model


def checked_models(runs: Sequence[tuple[object, Sketch, Seeds]], model: str | None, upscale: int = 1,
                   resample: str = "nearest", size: int | None = None) -> dict:
    """Each run's model (key: the run's first item), loaded and checked before anything is written.

    One run: a model that cannot draw what is asked (a bad folder, upscaling past the display limit,
    a variation seed for a model with no noise to vary) raises. Several (a batch): that run's value
    is the error, and the others still render.
    """
    loaders: dict[int, Callable] = {}
    models: dict = {}
    for key, sketch, seeds in runs:
        try:
            load_model = loaders.setdefault(size or sketch.size, model_loader(size or sketch.size))
            drawer = models[key] = load_model(model or sketch_model(sketch))
            if size and drawer.size != size:  # --size asked for; a learned model draws its own size only
                raise GendslError(f'model "{model or sketch_model(sketch)}" draws {drawer.size} px, not {size}: --size is for '
                                  "models that draw any size (the worlds' renderers)")
            check_upscale(upscale, resample, drawer.size)
            if seeds.strength and not has_noise(drawer):
                raise GendslError(f'the "{drawer.kind}" model has no noise to vary; variation seeds and strengths '
                                  "work with the world and the conditional models (cgan, cvae)")
        except GendslError as error:
            if len(runs) == 1:
                raise
            models[key] = error
    return models


@dataclass(frozen=True)
class RenderOptions:
    """How a sketch is rendered, beyond the sketch itself: one object, not ten arguments (diffusers' pipeline
    call arguments). None keeps the sketch's own seeds, scenes and mode."""

    seeds: Seeds | Sequence[int] | None = None
    scene_names: Iterable[str] | None = None
    mode: str | None = None
    upscale: int = 1
    resample: str = "nearest"
    sidecar: bool = False
    grids: Sequence[Grid] = ()  # drawn besides the sketch's own
    batch_size: int = BATCH


def render_sketch(sketch: Sketch, out_dir: str | Path, model=None, options: RenderOptions | None = None,
                  progress: Callable[[int], None] | None = None, **fields) -> list[Path]:
    """Render a sketch's scenes (and its grids and morphs, and any extra `options.grids`) into out_dir.

    Returns the files written, each complete (atomic writes). `model` is a model, a model name
    or folder, or None for the sketch's `use`. Options come as a RenderOptions, or as its fields by name.
    """
    o = options or RenderOptions(**fields)
    seeds, scene_names, mode, upscale, resample, sidecar, grids, batch_size = (
        o.seeds, o.scene_names, o.mode, o.upscale, o.resample, o.sidecar, o.grids, o.batch_size)
    out_dir = Path(out_dir)
    load_model = model_loader(sketch.size)
    model = load_model(model or sketch_model(sketch)) if model is None or isinstance(model, str) else model
    seeds = sketch_seeds(sketch) if seeds is None else as_seeds(seeds)
    mode = mode or sketch.mode
    check_upscale(upscale, resample, model.size)
    jobs = plan(sketch, seeds, scene_names, mode, model)
    chosen = {job.scene_name for job in jobs}
    grids = [grid for grid in (*sketch.grids, *grids) if grid.scene in chosen]
    check_grids(sketch, grids, seeds)  # a bad axis is reported before any file is written
    names = file_names(jobs)
    fields = model_fields(model)
    written: list[Path] = []
    by_scene: dict[str, list] = {}
    writer = PngWriter()  # PNGs are encoded and written while the next batch draws
    for start in range(0, len(jobs), batch_size):
        batch = jobs[start:start + batch_size]
        for job, name, image in zip(batch, names[start:start + batch_size], draw_jobs(model, batch, batch_size)):
            meta = job_metadata(job, fields, sketch, mode, upscale, resample)
            writer.write(out_dir / name, enlarge(image, upscale, resample), meta, sidecar)
            by_scene.setdefault(job.scene_name, []).append(image)
        if progress:
            progress(len(batch))
    written += writer.finish()
    for grid in grids:
        if grid.axes:
            sheet, meta = render_grid(sketch, grid, seeds, model, load_model)
            name = f"{slug(grid.scene)}-by-{'-x-'.join(slug(a.name) for a in grid.axes)}.png"
        else:
            sheet = enlarge(contact_sheet(by_scene[grid.scene], grid.rows, grid.cols), upscale, resample)
            meta = {"kind": "sheet", "scene_name": grid.scene, "seeds": list(seeds.seeds),
                    "grid": [grid.rows, grid.cols], **fields}
            name = f"{slug(grid.scene)}-grid.png"
        meta.update(sketch=sketch.source.text, gendsl_version=__version__)
        written += write_png(out_dir / name, sheet, meta, sidecar)
    if scene_names is None:
        written += render_morphs(sketch, model, seeds.first, out_dir, upscale, resample)
    return written


def render_morphs(sketch: Sketch, model, seed: int, out_dir: Path, upscale: int = 1,
                  resample: str = "nearest") -> list[Path]:
    """Each morph of the sketch as a looping GIF, and its frames as PNGs (with metadata) beside it."""
    written = []
    fields = model_fields(model)
    for morph in sketch.morphs:
        start_seed = seed if morph.start_seed is None else morph.start_seed
        end_seed = start_seed if morph.end_seed is None else morph.end_seed
        first, = plan(sketch, as_seeds([start_seed]), [morph.start], "random", model)
        last, = plan(sketch, as_seeds([end_seed]), [morph.end], "random", model)
        frames = [enlarge(f, upscale, resample)
                  for f in morph_frames(model, first.scene, last.scene, morph.frames, start_seed, end_seed,
                                         first.world)]
        stem = f"{slug(morph.start)}-to-{slug(morph.end)}"
        path = out_dir / f"{stem}.gif"
        write_gif(path, frames)
        written.append(path)
        meta = morph_metadata(first.text, last.text, first.scene, last.scene, start_seed, end_seed, morph.frames,
                              fields)
        for i, frame in enumerate(frames):
            written += write_png(out_dir / stem / f"frame-{i:03d}.png", frame, {**meta, "frame": i})
    return written
