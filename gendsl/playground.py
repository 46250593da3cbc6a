"""The playground's glue: plain functions that app.py wires to widgets.

Nothing here imports Gradio or starts anything, so each function is tested on
its own (tests/test_app.py). Every bad input raises GendslError with the same
located message the CLI prints; app.py shows that text inline.

Images are written as PNG files (metadata included) and the gallery is given
their paths: Gradio then serves the files as they are, where arrays or PIL
images would be re-encoded (to WebP by default) and lose the metadata.
"""
from __future__ import annotations

import atexit
import itertools
import json
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .api import Image, Sketch, generate, get_model, morph
from .lang.errors import GendslError
from .lang.expand import Expander
from .render.files import read_metadata, read_pixels
from .render.jobs import plan, slug
from .render.morph import write_gif
from .render.noise import has_noise
from .render.restore import remake
from .render.seeds import run_seeds

# A shared server draws for many people: one request draws at most this many images
# (the CLI's own ceiling, limits.MAX_IMAGES_PER_RUN, is for runs into a folder).
MAX_REQUEST_IMAGES = 64
MORPH_FRAME_MS = 100
CHECKED_PER_SCENE = 100  # variant combinations the editor checks per scene as one types
UNTITLED = "untitled.sketch"  # an editor text not loaded from a file is read as if it lay in sketches/


# ---------------------------------------------------------------- inputs

def whole(value, what: str, low: int = 0, high: int = limits.MAX_SEED) -> int:
    """A widget's number (a float, or None when left empty) as an int in [low, high], or a clear error."""
    if value is None or value == "":
        raise GendslError(f"{what} is empty: give a whole number from {low} to {high}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GendslError(f"{what} is a whole number, not {value!r}") from None
    if number != int(number):
        raise GendslError(f"{what} is a whole number, not {value!r}")
    if not low <= number <= high:
        raise GendslError(f"{what} goes from {low} to {high}, not {int(number)}")
    return int(number)


def run_seeds_from(seed, count, seed_mode: str, variation_seed=None, strength=0.0, one_scene: bool = True):
    """The seeds of a request, checked against the same limits as `gendsl render`.

    A fixed seed for one scene draws one image over and over unless a variation mixes in;
    a sketch's planner has its own, finer check (combinatorial mode needs no variation).
    """
    count = whole(count, "the number of images", 1, MAX_REQUEST_IMAGES)
    strength = float(strength or 0.0)
    # strength 0 is no variation (as in A1111): the variation seed box always holds some number
    vseed = None if variation_seed in (None, "") or not strength else whole(variation_seed, "the variation seed")
    seeds = run_seeds(whole(seed, "the seed"), count, seed_mode or "increment", vseed, strength)
    if one_scene and seeds.mode == "fixed" and count > 1 and not seeds.strength:
        raise GendslError(f"a fixed seed draws the same image {count} times; use the increment or random seed "
                          "mode, or give a variation seed and a strength above 0")
    return seeds


# Two first requests for one model must not load it twice at once; one model loading must not hold up others.
_load_locks: dict[tuple, threading.Lock] = {}
_locks_lock = threading.Lock()


def load_model(name: str, size):
    name = (name or limits.DEFAULT_MODEL).strip()
    size = limits.DEFAULT_SIZE if size in (None, "") else whole(size, "the size", 1, max(limits.SIZES))
    if size not in limits.SIZES:
        raise GendslError(f"sizes are {', '.join(map(str, limits.SIZES))}, not {size}")
    with _locks_lock:
        lock = _load_locks.setdefault((name, size), threading.Lock())
    with lock:
        return get_model(name, size)


# ---------------------------------------------------------------- models

def _config(name: str) -> dict | None:
    """The config.json of a shipped model or a saved folder (None: not there, or a model that needs none)."""
    from .models import SHIPPED, WEIGHTS
    folder = WEIGHTS / SHIPPED[name] if name in SHIPPED else Path(name)
    try:
        return json.loads((folder / "config.json").read_text())
    except (OSError, ValueError):
        return None


def native_size(name: str) -> int | None:
    """The size a model draws at, read from its config without loading it; None: it draws any size."""
    from .models import DRAWS_ANY_SIZE
    if name in DRAWS_ANY_SIZE:
        return None
    config = _config(name) or {}
    inner = config.get("config") or {}
    size = inner.get("size", inner.get("side", config.get("size")))  # the RBM calls its canvas side "side"
    return int(size) if size else None


def _importable(kind: str) -> bool:
    """Whether a registered model's module is here (found without importing it, so without TensorFlow)."""
    from importlib.util import find_spec

    from .models import REGISTRY
    try:
        return find_spec(REGISTRY[kind].partition(":")[0]) is not None
    except (KeyError, ImportError, ValueError):
        return False


def model_choices() -> list[tuple[str, str]]:
    """(label, name) of every generative model that can draw here: no aliases, nothing untrained."""
    from .models import DRAWS_ANY_SIZE, SHIPPED, names
    choices, folders = [], set()
    for name in sorted(names(), key=lambda n: (n != limits.DEFAULT_MODEL, len(n), n)):
        config = _config(name) if name in SHIPPED else None
        if config is not None and SHIPPED[name] not in folders and _importable(config.get("kind", "")):
            folders.add(SHIPPED[name])  # later aliases of the same folder are left out
            if native_size(name) is None:
                continue  # not an image model (the sparse dictionary draws patches): it has its own tab
            choices.append((f"{name} · {config.get('kind', name)}, trained, {native_size(name)} px", name))
        elif name in DRAWS_ANY_SIZE and _importable(name):
            choices.append((f"{name} · {'procedural ground truth, ' if name == 'world' else ''}any size", name))
        # anything else is registered but has no trained weights shipped in this copy
    return choices


# ---------------------------------------------------------------- output files

class Outputs:
    """A private temp folder of PNGs and GIFs served to the page; each request gets a subfolder."""

    KEEP = 256  # request folders kept; older ones are gone from here but Gradio has its own copy

    def __init__(self, root: str | Path | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="gendsl-playground-"))
        self._count = itertools.count()
        self._lock = threading.Lock()
        if root is None:
            atexit.register(shutil.rmtree, self.root, True)

    def folder(self) -> Path:
        with self._lock:
            n = next(self._count)
        old = self.root / f"{n - self.KEEP:06d}"
        if n >= self.KEEP and old.exists():
            shutil.rmtree(old, ignore_errors=True)
        folder = self.root / f"{n:06d}"
        folder.mkdir(parents=True)
        return folder


_outputs: Outputs | None = None
_outputs_lock = threading.Lock()


def outputs() -> Outputs:
    """The process's output folder, made on first use (importing this module makes nothing)."""
    global _outputs
    with _outputs_lock:
        if _outputs is None:
            _outputs = Outputs()
        return _outputs


# ---------------------------------------------------------------- rendering

def caption(meta: dict) -> str:
    """A gallery caption: the seed first (it is what a person copies), then the scene."""
    seed = f"seed {meta['seed']}"
    if meta.get("variation_seed") is not None:
        seed += f" · variation {meta['variation_seed']} at {meta['strength']:.2f}"
    name = meta.get("scene_name")
    scene = meta.get("scene_text", "")
    return f"{seed} · {name}: {scene}" if meta.get("sketch") and name else f"{seed} · {scene}"


def describe_seeds(seeds) -> str:
    values = sorted(set(seeds.seeds)) if seeds.mode != "random" else list(seeds.seeds)
    if seeds.mode == "increment" and len(values) > 1:
        text = f"seeds {values[0]}–{values[-1]}"
    elif len(values) <= 4:
        text = ("seed " if len(values) == 1 else "seeds ") + ", ".join(map(str, values))
    else:
        text = f"seeds {', '.join(map(str, values[:3]))} … {values[-1]}"
    text += f" ({seeds.mode})"
    varied = [v for v in seeds.variation_seeds if v is not None]
    if varied:
        text += f", variation seeds {varied[0]}–{varied[-1]} at strength {seeds.strength:.2f}"
    return text


@dataclass
class Result:
    """What a render gives the page: PNG files with captions, their metadata, and one line about them."""

    images: list[Image]
    files: list[Path]
    summary: str
    records: list[dict] = field(default_factory=list)

    @property
    def gallery(self) -> list[tuple[str, str]]:
        return [(str(path), caption(image.metadata)) for path, image in zip(self.files, self.images)]


def _save(images: list[Image]) -> list[Path]:
    folder, used, files = outputs().folder(), set(), []
    for image in images:
        meta = image.metadata
        stem = Path(meta.get("file_name") or f"{slug(meta.get('scene_text', ''))[:48]}-{meta['seed']:04d}").stem
        name, n = stem, 1
        while name in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name)
        files.append(image.save(folder / f"{name}.png"))
    return files


def _result(images: list[Image], seeds, model, started: float) -> Result:
    files = _save(images)
    count = f"{len(images)} image{'s' * (len(images) != 1)}"
    summary = (f"{count} · model {getattr(model, 'ref', model.name)} at {model.size} px · {describe_seeds(seeds)}"
               f" · {time.perf_counter() - started:.1f} s")
    return Result(images, files, summary, [{"path": str(p), **i.metadata} for p, i in zip(files, images)])


def render_scene(text: str, model: str = limits.DEFAULT_MODEL, size=limits.DEFAULT_SIZE,
                 count=limits.DEFAULT_VARIATIONS, seed=0, seed_mode: str = "increment", variation_seed=None,
                 strength=0.0, upscale=1, resample: str = "nearest") -> Result:
    """One scene (variants allowed), one image per seed."""
    started = time.perf_counter()
    seeds = run_seeds_from(seed, count, seed_mode, variation_seed, strength)
    drawer = load_model(model, size)
    images = generate(text, seeds, model=drawer, upscale_by=whole(upscale, "upscaling", 1, limits.MAX_UPSCALE),
                      resample=resample or "nearest")
    return _result(images, seeds, drawer, started)


def sketch_of(text: str, path: str | Path | None = None, sketches: Path | None = None) -> Sketch:
    """The editor's sketch; read as if it lay at `path` (its wildcards/ folder), by default in `sketches`."""
    if not isinstance(text, str) or not text.strip():
        raise GendslError("the sketch is empty: type one, or pick an example above the editor")
    if len(text.encode("utf-8")) > limits.MAX_SKETCH_BYTES:
        raise GendslError(f"a sketch is at most {limits.MAX_SKETCH_BYTES} bytes")
    if not path and sketches is not None:
        path = Path(sketches) / UNTITLED
    return Sketch.from_text(text, path or None)


def render_sketch(text: str, scenes=None, mode: str = "random", model: str = limits.DEFAULT_MODEL,
                  size=limits.DEFAULT_SIZE, count=limits.DEFAULT_VARIATIONS, seed=0, seed_mode: str = "increment",
                  variation_seed=None, strength=0.0, upscale=1, resample: str = "nearest",
                  path: str | Path | None = None, sketches: Path | None = None) -> Result:
    """The chosen scenes of a sketch (none chosen: all), at the panel's model, size and seeds."""
    started = time.perf_counter()
    sketch = sketch_of(text, path, sketches)
    seeds = run_seeds_from(seed, count, seed_mode, variation_seed, strength, one_scene=False)
    scenes = list(scenes or []) or None
    planned = len(plan(sketch.ir, seeds, scenes, mode or "random"))  # counted before drawing anything
    if planned > MAX_REQUEST_IMAGES:
        raise GendslError(f"this would draw {planned} images; the playground draws at most {MAX_REQUEST_IMAGES} "
                          "at a time: choose fewer scenes or images, or run `gendsl render` on the sketch")
    drawer = load_model(model, size)
    images = sketch.render(seeds, scenes, model=drawer, mode=mode or "random",
                           upscale_by=whole(upscale, "upscaling", 1, limits.MAX_UPSCALE),
                           resample=resample or "nearest")
    return _result(images, seeds, drawer, started)


def sketch_info(text: str, path=None, sketches: Path | None = None) -> tuple[list[str], str]:
    """The sketch's scene names and one line on what it asks for (raises its located error).

    Scene words are checked as `gendsl check` does, by expanding the variants (up to a bound: this runs as
    the person types), since a sketch parses before its scenes' words are looked up.
    """
    ir = sketch_of(text, path, sketches).ir
    expander = Expander.for_sketch(ir)
    for decl in ir.scenes:
        for expansion in expander.every(decl.template, CHECKED_PER_SCENE):
            expansion.compile()
    names = [d.name for d in ir.scenes]
    title = f"**{ir.title}** · " if ir.title else ""
    return names, (f"{title}{len(names)} scene{'s' * (len(names) != 1)}: {', '.join(names)} · the sketch asks for "
                   f"`use {ir.model}`, `size {ir.size}`, `seed {ir.seed}`, `variations {ir.variations}`, "
                   f"mode {ir.mode} (the panel's settings are what renders)")


def can_vary(meta: dict) -> bool:
    """Whether the model that drew an image has noise that a variation seed can mix (the world has none)."""
    try:
        return has_noise(load_model(meta["model"], meta.get("size")))
    except (GendslError, KeyError):
        return False


# ---------------------------------------------------------------- examples, morphs, restore

def examples(folder: Path) -> list[tuple[str, Path]]:
    """(title, path) of each example sketch in `folder`, by file name."""
    found = []
    for path in sorted(Path(folder).glob("*.sketch")):
        try:
            title = Sketch.from_file(path).ir.title
        except GendslError:
            continue  # a broken example is skipped rather than breaking the page
        found.append((title or path.stem, path))
    return found


def settings_of(ir) -> dict:
    """The panel settings a sketch's directives ask for."""
    return {"model": ir.model, "size": ir.size, "seed": ir.seed, "count": min(ir.variations, MAX_REQUEST_IMAGES),
            "mode": ir.mode}


def morph_gif(start: str, end: str, frames=limits.DEFAULT_MORPH_FRAMES, seed=0, end_seed=None,
              model: str = limits.DEFAULT_MODEL, size=limits.DEFAULT_SIZE, frame_ms=MORPH_FRAME_MS) -> tuple[Path, str]:
    """An animated GIF from one scene to another, and one line about it."""
    started = time.perf_counter()
    frames = whole(frames, "the number of frames", 2, limits.MAX_FRAMES)
    seed = whole(seed, "the start seed")
    end_seed = seed if end_seed in (None, "") else whole(end_seed, "the end seed")
    drawer = load_model(model, size)
    images = morph(start, end, frames, seed, end_seed, model=drawer)
    path = outputs().folder() / f"morph-{slug(start)[:24]}-to-{slug(end)[:24]}.gif"
    write_gif(path, [image.pixels for image in images], whole(frame_ms, "the frame time (ms)", 20, 2000))
    return path, (f"{frames} frames · model {getattr(drawer, 'ref', drawer.name)} at {drawer.size} px · seed {seed}"
                  f" → {end_seed} · {time.perf_counter() - started:.1f} s")


@dataclass
class Restoration:
    metadata: dict
    image: Path | None  # the image made again (None when it could not be)
    report: str  # Markdown: whether the pixels match, or why it could not be made again


def restore_png(path: str | Path) -> Restoration:
    """A dropped PNG's metadata, and the image made again from it (raises when it holds no gendsl metadata)."""
    if not path:
        raise GendslError("drop a PNG that gendsl wrote (any image the playground or `gendsl render` made)")
    meta = read_metadata(Path(path))
    try:
        again = remake(meta)
    except GendslError as error:
        return Restoration(meta, None,
                           f"Settings restored, but the image cannot be made again here:\n\n```\n{error}\n```")
    out = outputs().folder() / Path(path).name
    out.write_bytes(again.png)
    pixels = read_pixels(path)
    same = pixels.shape == again.image.shape and bool((pixels == again.image).all())
    report = ("✓ Made again from its metadata: the same pixels." if same else
              "✗ Made again from its metadata, but the pixels differ from the file's: "
              "it was edited after gendsl wrote it.")
    return Restoration(meta, out, report)


def editor_fields(meta: dict) -> dict:
    """The editor settings that draw the image again: its sketch (or scene), seed, model and size."""
    name = meta.get("scene_name") or "scene"
    return {"scene": meta.get("scene_text", ""), "sketch": meta.get("sketch"), "sketch_path": meta.get("sketch_path"),
            "scenes": [name] if meta.get("sketch") else [], "mode": meta.get("mode", "random"),
            "model": meta.get("model", limits.DEFAULT_MODEL), "size": meta.get("size", limits.DEFAULT_SIZE),
            "seed": meta.get("seed", 0), "seed_mode": "increment", "count": 1,
            "variation_seed": meta.get("variation_seed"), "strength": meta.get("strength") or 0.0,
            "upscale": meta.get("upscale", 1), "resample": meta.get("resample", "nearest")}


def details(meta: dict) -> str:
    """Markdown about one image: what it shows and everything needed to make it again."""
    varied = meta.get("variation_seed") is not None
    lines = [f"**{meta.get('scene_text', '')}**", "",
             f"- seed **{meta.get('seed')}**" + (f", variation seed {meta['variation_seed']} at strength "
                                                 f"{meta['strength']:.2f}" if varied else ""),
             f"- canonical scene: {meta.get('scene')}",
             f"- model `{meta.get('model')}` ({meta.get('model_kind')}, fingerprint `{meta.get('model_fingerprint')}`),"
             f" {meta.get('size')} px" + (f", shown ×{meta['upscale']}" if meta.get("upscale", 1) != 1 else "")]
    if meta.get("sketch"):
        lines.append(f"- from the sketch's scene \"{meta.get('scene_name')}\" (mode {meta.get('mode')})")
    return "\n".join(lines)


def vocabulary() -> str:
    """Markdown: every word the scene language knows, by kind (the page's cheat sheet)."""
    from .lang import vocab
    said = {"count": "a, one, two, three, a herd of (many)", "position": "on the left, in the center, on the right"}
    rows = [f"- **{c.name}**: {said.get(c.name) or ', '.join(c.values)}" for c in vocab.WORD_CATEGORIES]
    return "\n".join(rows + ["- **blends**: `a (yellow:0.6, red:0.4) car`, `at (day:0.7, night:0.3)`",
                              "- **variants** (one per image, picked by its seed): `a {red | 2:blue} car`"])


def error_block(error: Exception, title: str = "Could not do that:") -> str:
    """A GendslError's located message as a Markdown code block (the caret needs a fixed-width font)."""
    return f"**{title}**\n\n```text\n{error}\n```"
