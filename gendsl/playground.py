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
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import limits, worlds
from .api import Image, Sketch, generate, morph
from .io import atomic_write_bytes
from .lang import checks
from .lang.errors import GendslError, SketchError
from .lang.expand import Expander, scene_from_text
from .lang.unused import unused_words
from .playground_inputs import (MAX_REQUEST_IMAGES, UNTITLED, allowed_model, amount, load_model,  # noqa: F401
                                model_choices, native_size, option, Panel, run_seeds_from, scene_names, sketch_of,
                                whole)
from .render.files import read_metadata, read_pixels
from .render.jobs import plan, sketch_model, sketch_world, slug
from .render.morph import write_gif
from .render.noise import has_noise
from .render.restore import checked_fields, remake

MORPH_FRAME_MS = 100
CHECKED_PER_SCENE = 100  # variant combinations the editor checks per scene as one types


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
    """A gallery caption, shown under the thumbnail (never over it): the seed first (it is what a person
    copies), the sketch's scene name; the scene itself is in the details when an image is clicked."""
    seed = f"seed {meta['seed']}"
    if meta.get("variation_seed") is not None:
        seed += f" · var {meta['variation_seed']} @ {meta['strength']:.2f}"
    name = meta.get("scene_name")
    return f"{name}: {seed}" if meta.get("sketch") and name else seed


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
    warnings: str = ""  # Markdown: words the world could not draw, shown under the scene box

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
    summary = (f"{count} · model {getattr(model, 'ref', model.kind)} at {model.size} px · {describe_seeds(seeds)}"
               f" · {time.perf_counter() - started:.1f} s")
    return Result(images, files, summary, [{"path": str(p), **i.metadata} for p, i in zip(files, images)])


def render_scene(text: str, panel: Panel = Panel()) -> Result:
    """One scene (variants allowed), one image per seed."""
    started = time.perf_counter()
    text = checks.text(text, "the scene", limits.MAX_SCENE_CHARS)
    seeds = panel.seeds()
    drawer = load_model(panel.model, panel.size)
    with unused_words() as report:
        images = generate(text, seeds, model=drawer, **panel.drawing())
    result = _result(images, seeds, drawer, started)
    result.warnings = warnings_block(report)
    return result


def render_sketch(text: str, scenes=None, mode: str = "random", panel: Panel = Panel(),
                  path: str | Path | None = None, sketches: Path | None = None) -> Result:
    """The chosen scenes of a sketch (none chosen: all), at the panel's model, size and seeds."""
    started = time.perf_counter()
    sketch = sketch_of(text, path, sketches)
    seeds = panel.seeds(one_scene=False)
    scenes = scene_names(scenes)
    mode = option(mode, limits.MODES, "mode", "random")
    planned = len(plan(sketch.ir, seeds, scenes, mode, allowed_model(panel.model)))  # counted before drawing anything
    if planned > MAX_REQUEST_IMAGES:
        raise GendslError(f"this would draw {planned} images; the playground draws at most {MAX_REQUEST_IMAGES} "
                          "at a time: choose fewer scenes or images, or run `gendsl render` on the sketch")
    drawer = load_model(panel.model, panel.size)
    with unused_words() as report:
        images = sketch.render(seeds, scenes, model=drawer, mode=mode, **panel.drawing())
    result = _result(images, seeds, drawer, started)
    result.summary += cli_only(sketch.ir)
    result.warnings = warnings_block(report)
    return result


def sketch_info(text: str, path=None, sketches: Path | None = None) -> tuple[list[str], str]:
    """The sketch's scene names and one line on what it asks for (raises its located error).

    Scene words are checked as `gendsl check` does, by expanding the variants (up to a bound: this runs as
    the person types), since a sketch parses before its scenes' words are looked up.
    """
    ir = sketch_of(text, path, sketches).ir
    expander = Expander.for_sketch(ir, sketch_world(ir, folders=False))
    with unused_words() as report:
        for decl in ir.scenes:
            for expansion in expander.every(decl.template, CHECKED_PER_SCENE):
                expansion.compile()
    names = [d.name for d in ir.scenes]
    title = f"**{ir.title}** · " if ir.title else ""
    return names, (f"{title}{len(names)} scene{'s' * (len(names) != 1)}: {', '.join(names)} · the sketch asks for "
                   f"`use {sketch_model(ir)}`, `size {ir.size}`, `seed {ir.seed}`, `variations {ir.variations}`, "
                   f"mode {ir.mode} (the panel's settings are what renders; **Use the sketch's settings** sets them)"
                   + cli_only(ir) + ("\n\n" + warnings_block(report) if report.found else ""))


def cli_only(ir) -> str:
    """A plain word on the sketch's grid and morph lines, which the playground does not draw."""
    lines = [f"{len(ir.grids)} grid line{'s' * (len(ir.grids) != 1)}"] if ir.grids else []
    lines += [f"{len(ir.morphs)} morph line{'s' * (len(ir.morphs) != 1)}"] if ir.morphs else []
    if not lines:
        return ""
    return (f"\n\nIts {' and '.join(lines)} are drawn by the command line only: `gendsl render` on the sketch "
            "writes the labelled contact sheets and GIFs (the Morph tab morphs two scenes here).")


def vary(meta: dict, variation_seed=1, strength=0.3, count=limits.DEFAULT_VARIATIONS, upscale=1,
         resample: str = "nearest") -> Result:
    """Variations of one image: its scene, model and seed, with variation seeds counting up from
    `variation_seed`. The panel's own settings are not touched, so the next render is what the panel says."""
    if not isinstance(meta, dict) or "scene_text" not in meta:
        raise GendslError("click an image first, then vary it")
    result = render_scene(meta["scene_text"], Panel(meta["model"], meta.get("size"), count, meta["seed"], "fixed",
                                                     variation_seed, strength, upscale, resample))
    result.summary = (f"Variations of seed {meta['seed']} · {result.summary} · the panel's settings are unchanged: "
                      "Render draws what it says")
    return result


def scene_notes(text: str) -> str:
    """Markdown for under the scene box as the person types: the words the world cannot draw ('' when
    none, or when the text does not compile yet: Render shows that mistake)."""
    try:
        with unused_words() as report:
            scene_from_text(checks.text(text, "the scene", limits.MAX_SCENE_CHARS), worlds.default(), 0)
    except GendslError:
        return ""
    return warnings_block(report)


def can_vary(meta: dict) -> bool:
    """Whether the model that drew an image has noise that a variation seed can mix (the world has none)."""
    try:
        return has_noise(load_model(meta["model"], meta.get("size")))
    except (GendslError, KeyError, TypeError):
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
    return {"model": sketch_model(ir), "size": ir.size, "seed": ir.seed, "count": min(ir.variations, MAX_REQUEST_IMAGES),
            "mode": ir.mode}


def morph_gif(start: str, end: str, frames=limits.DEFAULT_MORPH_FRAMES, seed=0, end_seed=None,
              model: str = limits.DEFAULT_MODEL, size=limits.DEFAULT_SIZE, frame_ms=MORPH_FRAME_MS) -> tuple[Path, str]:
    """An animated GIF from one scene to another, and one line about it."""
    started = time.perf_counter()
    start = checks.text(start, "the first scene", limits.MAX_SCENE_CHARS)
    end = checks.text(end, "the last scene", limits.MAX_SCENE_CHARS)
    frames = whole(frames, "the number of frames", 2, limits.MAX_FRAMES)
    seed = whole(seed, "the start seed")
    end_seed = seed if end_seed in (None, "") else whole(end_seed, "the end seed")
    drawer = load_model(model, size)
    images = morph(start, end, frames, seed, end_seed, model=drawer)
    path = outputs().folder() / f"morph-{slug(start)[:24]}-to-{slug(end)[:24]}.gif"
    write_gif(path, [image.pixels for image in images], whole(frame_ms, "the frame time (ms)", 20, 2000))
    return path, (f"{frames} frames · model {getattr(drawer, 'ref', drawer.kind)} at {drawer.size} px · seed {seed}"
                  f" → {end_seed} · {time.perf_counter() - started:.1f} s")


@dataclass
class Restoration:
    metadata: dict
    image: Path | None  # the image made again (None when it could not be)
    report: str  # Markdown: whether the pixels match, or why it could not be made again


def restore_png(path: str | Path) -> Restoration:
    """A dropped PNG's metadata, and the image made again from it (raises when it holds no gendsl metadata)."""
    if not path or not isinstance(path, (str, Path)):
        raise GendslError("drop a PNG that gendsl wrote (any image the playground or `gendsl render` made)")
    meta = read_metadata(Path(path))
    try:
        fields = checked_fields(meta)  # every limit, before the model loads or anything is drawn
        # only a model this server lists: the metadata's model name must not lead to a server folder
        again = remake(meta, load_model(fields["model"], fields["size"]))
    except GendslError as error:
        return Restoration(meta, None,
                           f"Settings restored, but the image cannot be made again here:\n\n```\n{error}\n```")
    out = atomic_write_bytes(outputs().folder() / f"{slug(Path(path).stem)[:80]}.png", again.png)
    pixels = read_pixels(path)
    same = pixels.shape == again.image.shape and bool((pixels == again.image).all())
    report = ("✓ Made again from its metadata: the same pixels." if same else
              "✗ Made again from its metadata, but the pixels differ from the file's: "
              "it was edited after gendsl wrote it.")
    return Restoration(meta, out, report)


def editor_fields(meta: dict) -> dict:
    """The editor settings that draw the image again: its sketch (or scene), seed, model and size.

    Each field is checked as a request's would be, and one that fails is left at its default: an edited
    PNG fills the page only with values the page could have sent. There is no path: the sketch is read
    as if it lay in the server's sketches folder, whatever the image says.
    """
    def get(key, check, default):
        try:
            return default if meta.get(key) is None else check(meta[key])
        except GendslError:
            return default

    sketch = get("sketch", lambda v: checks.text(v, "sketch", limits.MAX_SKETCH_BYTES), None)
    name = get("scene_name", lambda v: checks.text(v, "scene name", limits.MAX_NAME_CHARS), "") or "scene"
    return {"scene": get("scene_text", lambda v: checks.text(v, "scene", limits.MAX_SCENE_CHARS), ""),
            "sketch": sketch, "scenes": [name] if sketch else [],
            "mode": get("mode", lambda v: checks.choice(v, limits.MODES, "mode"), "random"),
            "model": get("model", allowed_model, limits.DEFAULT_MODEL),
            "size": get("size", checks.size, limits.DEFAULT_SIZE),
            "seed": get("seed", checks.seed, 0), "seed_mode": "increment", "count": 1,
            "variation_seed": get("variation_seed", checks.seed, None),
            "strength": get("strength", checks.fraction, 0.0),
            "upscale": get("upscale", lambda v: checks.upscale(v, "nearest"), 1),
            "resample": get("resample", lambda v: checks.choice(v, checks.RESAMPLES, "resampling"), "nearest")}


def details(meta: dict) -> str:
    """Markdown about one image: what it shows and everything needed to make it again.

    A dropped PNG's metadata may hold anything: each value is shown as text, cut short.
    """
    def show(key, default=""):
        value = meta.get(key, default)
        if isinstance(value, float) and not isinstance(value, bool) and key == "strength":
            return f"{value:.2f}"
        text = str(value)
        return text if len(text) <= 200 else text[:197] + "..."

    varied = meta.get("variation_seed") is not None
    lines = [f"**{show('scene_text')}**", "",
             f"- seed **{show('seed')}**" + (f", variation seed {show('variation_seed')} at strength "
                                            f"{show('strength')}" if varied else ""),
             f"- canonical scene: {show('scene')}",
             f"- model `{show('model')}` ({show('model_kind')}, fingerprint `{show('model_fingerprint')}`),"
             f" {show('size')} px" + (f", shown ×{show('upscale')}" if meta.get("upscale", 1) != 1 else "")]
    if meta.get("sketch"):
        lines.append(f"- from the sketch's scene \"{show('scene_name')}\" (mode {show('mode')})")
    return "\n".join(lines)


def vocabulary() -> str:
    """Markdown: every word the scene language knows, by kind (the page's cheat sheet)."""
    from .worlds.scene import vocab
    said = {"count": "a, one, two, three, a herd of (many)", "position": "on the left, in the center, on the right"}
    rows = [f"- **{c.name}**: {said.get(c.name) or ', '.join(c.values)}" for c in vocab.WORD_CATEGORIES]
    return "\n".join(rows + ["- **blends**: `a (yellow:0.6, red:0.4) car`, `at (day:0.7, night:0.3)`",
                              "- **variants** (one per image, picked by its seed): `a {red | 2:blue} car`"])


def _no_paths(text: str) -> str:
    """A server path shown by its file's own name: /srv/gendsl/sketches/wildcards/x.txt -> x.txt."""
    return re.sub(r"(?<![\w.])/(?:[^\s/:\"'`]+/)+([^\s/:\"'`]*)", r"\1", text)


def for_person(error: Exception) -> str:
    """A message for the page: no '<scene>:1:3:' prefix, no server path, the caret and the hint kept."""
    return error.for_person(_no_paths) if isinstance(error, SketchError) else _no_paths(str(error))


def error_block(error: Exception, title: str = "Could not do that:") -> str:
    """A GendslError's message as a Markdown code block (the caret needs a fixed-width font)."""
    return f"**{title}**\n\n```text\n{for_person(error)}\n```"


def warnings_block(report) -> str:
    """The words a scene used that the world cannot draw, for under the scene box ('' when none)."""
    if not report.found:
        return ""
    return "**Drawn without some words:**\n\n```text\n" + "\n\n".join(report.messages(for_person=True)) + "\n```"
