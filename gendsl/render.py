"""Rendering sketches to files: one PNG per scene and seed, grids, morph GIFs.

Every PNG carries, in a text chunk named "gendsl", the JSON needed to make it
again: the sketch source, the scene as expanded and in canonical form, its
seed, the model and its fingerprint, the gendsl version. Every file is
written atomically.
"""
from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from . import limits
from ._version import __version__
from .io import atomic_path, atomic_write_bytes
from .lang.encode import encode, encode_batch
from .lang.errors import GendslError, suggestion_hint
from .lang.expand import Expander
from .lang.ir import Scene, Sketch
from .models import load
from .models.protocol import GenerativeModel

BATCH = 64  # images per model call


@dataclass(frozen=True)
class Job:
    """One image to make: which scene, which seed, and the concrete scene it expands to."""

    scene_name: str
    seed: int
    text: str
    scene: Scene


def sketch_seeds(sketch: Sketch, seed: int | None = None, variations: int | None = None) -> list[int]:
    """The seeds of a sketch's variations: its seed, then the next ones."""
    start = sketch.seed if seed is None else seed
    count = sketch.variations if variations is None else variations
    if not 1 <= count <= limits.MAX_VARIATIONS:
        raise GendslError(f"variations must be between 1 and {limits.MAX_VARIATIONS}, not {count}")
    if start + count - 1 > limits.MAX_SEED:
        raise GendslError(f"seeds {start}..{start + count - 1} run past the largest seed {limits.MAX_SEED}")
    return list(range(start, start + count))


def plan(sketch: Sketch, seeds: Sequence[int], scene_names: Iterable[str] | None = None) -> list[Job]:
    """Expand every chosen scene of a sketch at every seed."""
    names = [d.name for d in sketch.scenes]
    chosen = list(scene_names) if scene_names else names
    for name in chosen:
        if name not in names:
            raise GendslError(f'the sketch has no scene named "{name}"; '
                              + (suggestion_hint(name, names, cutoff=0.5) or f"its scenes: {', '.join(names)}"))
    if len(chosen) * len(seeds) > limits.MAX_IMAGES_PER_RUN:
        raise GendslError(f"{len(chosen)} scenes x {len(seeds)} seeds is {len(chosen) * len(seeds)} images; "
                          f"one run makes at most {limits.MAX_IMAGES_PER_RUN}")
    expander = Expander.for_sketch(sketch)
    jobs = []
    for name in chosen:
        template = sketch.scene(name).template
        for seed in seeds:
            expansion = expander.pick(template, seed)
            jobs.append(Job(name, seed, expansion.text.strip(), expansion.compile()))
    return jobs


def generate(model: GenerativeModel, jobs: Sequence[Job]) -> list[np.ndarray]:
    """The images of the jobs, in batches; a batch gives exactly what single seeds give."""
    images = []
    for start in range(0, len(jobs), BATCH):
        batch = jobs[start:start + BATCH]
        images.extend(model.generate(encode_batch([j.scene for j in batch]), [j.seed for j in batch]))
    return images


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-").lower() or "scene"


def png_bytes(image: np.ndarray, metadata: dict) -> bytes:
    info = PngInfo()
    info.add_text("gendsl", json.dumps(metadata, sort_keys=True))
    info.add_text("Software", f"gendsl {__version__}")
    if "scene" in metadata:
        info.add_text("Title", metadata["scene"])
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_metadata(path: str | Path) -> dict:
    """The gendsl metadata of a PNG this module wrote."""
    with Image.open(path) as image:
        text = image.text.get("gendsl") if hasattr(image, "text") else None
    if text is None:
        raise GendslError(f"{path} holds no gendsl metadata")
    return json.loads(text)


def _metadata(sketch: Sketch, model: GenerativeModel, **fields) -> dict:
    return {"gendsl_version": __version__, "sketch": sketch.source.text,
            "sketch_path": str(sketch.source.path) if sketch.source.path else None,
            "model": model.name, "model_fingerprint": model.fingerprint(), "size": model.size, **fields}


def contact_sheet(images: Sequence[np.ndarray], rows: int | None = None, cols: int | None = None,
                  gap: int = 2) -> np.ndarray:
    """Images in a grid, row by row, with a light gap between them."""
    n = len(images)
    if rows and not cols:
        cols = math.ceil(n / rows)
    cols = cols or math.ceil(math.sqrt(n))
    rows = rows or math.ceil(n / cols)
    h, w = images[0].shape[:2]
    sheet = np.full((rows * h + (rows + 1) * gap, cols * w + (cols + 1) * gap, 3), 235, np.uint8)
    for i, image in enumerate(images[:rows * cols]):
        r, c = divmod(i, cols)
        sheet[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = image
    return sheet


def morph_frames(model: GenerativeModel, start: Scene, end: Scene, frames: int, seed: int) -> np.ndarray:
    """Frames that move through conditioning space from one scene to another, on one noise seed."""
    if not 2 <= frames <= limits.MAX_FRAMES:
        raise GendslError(f"a morph has between 2 and {limits.MAX_FRAMES} frames, not {frames}")
    t = np.linspace(0.0, 1.0, frames, dtype=np.float32)[:, None]
    cond = (1 - t) * encode(start) + t * encode(end)
    return model.generate(cond, [seed] * frames)


def render_sketch(sketch: Sketch, out_dir: str | Path, model: GenerativeModel | None = None,
                  seeds: Sequence[int] | None = None, scene_names: Iterable[str] | None = None,
                  progress=None) -> list[Path]:
    """Render a sketch's scenes, grids and morphs into out_dir; returns the files written."""
    out_dir = Path(out_dir)
    model = model or load(sketch.model, size=sketch.size)
    seeds = list(seeds) if seeds is not None else sketch_seeds(sketch)
    jobs = plan(sketch, seeds, scene_names)
    written: list[Path] = []
    by_scene: dict[str, list[np.ndarray]] = {}
    for start in range(0, len(jobs), BATCH):
        batch = jobs[start:start + BATCH]
        for job, image in zip(batch, generate(model, batch)):
            meta = _metadata(sketch, model, scene_name=job.scene_name, scene_text=job.text, scene=str(job.scene),
                             seed=job.seed)
            path = out_dir / f"{slug(job.scene_name)}-{job.seed:04d}.png"
            written.append(atomic_write_bytes(path, png_bytes(image, meta)))
            by_scene.setdefault(job.scene_name, []).append(image)
        if progress:
            progress(len(batch))
    for grid in sketch.grids:
        if grid.scene in by_scene:
            sheet = contact_sheet(by_scene[grid.scene], grid.rows, grid.cols)
            meta = _metadata(sketch, model, scene_name=grid.scene, seeds=seeds, grid=[grid.rows, grid.cols])
            written.append(atomic_write_bytes(out_dir / f"{slug(grid.scene)}-grid.png", png_bytes(sheet, meta)))
    if scene_names is None:
        written += _render_morphs(sketch, model, seeds[0], out_dir)
    return written


def _render_morphs(sketch: Sketch, model: GenerativeModel, seed: int, out_dir: Path) -> list[Path]:
    import imageio.v3 as iio

    written = []
    for morph in sketch.morphs:
        first, last = plan(sketch, [seed], [morph.start, morph.end])
        frames = morph_frames(model, first.scene, last.scene, morph.frames, seed)
        path = out_dir / f"{slug(morph.start)}-to-{slug(morph.end)}.gif"
        with atomic_path(path) as tmp:
            iio.imwrite(tmp, list(frames), extension=".gif", duration=100, loop=0)
        written.append(path)
    return written
