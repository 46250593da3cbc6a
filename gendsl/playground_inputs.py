"""What a playground request may ask for, checked before anything is read or drawn.

The playground can be opened to other people (`python app.py --host 0.0.0.0`), so every value
of a request is untrusted, and so is every field of a PNG dropped on the Restore tab:
- numbers and choices go through gendsl.lang.checks, the limits every other path obeys;
- a model is one of the models this server lists (`allowed_models`), refused with one message
  whatever else is asked for, so that no reply tells which server paths exist;
- a sketch is always read as if it lay in the server's own sketches folder: its wildcards come
  from there, never from a folder a request or an image's metadata names.
Nothing here imports Gradio.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import limits
from .api import Sketch, get_model
from .lang import checks
from .lang.errors import GendslError, suggestion_hint
from .render.seeds import run_seeds

# A shared server draws for many people: one request draws at most this many images
# (the CLI's own ceiling, limits.MAX_IMAGES_PER_RUN, is for runs into a folder).
MAX_REQUEST_IMAGES = 64
UNTITLED = "untitled.sketch"  # an editor text not loaded from an example is read as if it lay in sketches/


def whole(value, what: str, low: int = 0, high: int = limits.MAX_SEED) -> int:
    """A widget's number (a float, or None when left empty) as an int in [low, high], or a clear error."""
    return checks.whole(value, what, low, high, strict=False)


def amount(value, what: str, low: float = 0.0, high: float = 1.0) -> float:
    """A widget's real number (None or empty: `low`) in [low, high]."""
    if value is None or value == "":
        return low
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise GendslError(f"{what} is a number, not {checks._show(value)}") from None
    if not low <= number <= high:  # also refuses nan
        raise GendslError(f"{what} goes from {low:g} to {high:g}, not {checks._show(value)}")
    return number


def option(value, options, what: str, default: str) -> str:
    return default if value in (None, "") else checks.choice(value, list(options), what)


def run_seeds_from(seed, count, seed_mode: str, variation_seed=None, strength=0.0, one_scene: bool = True):
    """The seeds of a request, checked against the same limits as `gendsl render`.

    A fixed seed for one scene draws one image over and over unless a variation mixes in;
    a sketch's planner has its own, finer check (combinatorial mode needs no variation).
    """
    count = whole(count, "the number of images", 1, MAX_REQUEST_IMAGES)
    strength = amount(strength, "the variation strength")
    # strength 0 is no variation (as in A1111): the variation seed box always holds some number
    vseed = None if variation_seed in (None, "") or not strength else whole(variation_seed, "the variation seed")
    seeds = run_seeds(whole(seed, "the seed"), count, option(seed_mode, limits.SEED_MODES, "seed mode",
                                                             "increment"), vseed, strength)
    if one_scene and seeds.mode == "fixed" and count > 1 and not seeds.strength:
        raise GendslError(f"a fixed seed draws the same image {count} times; use the increment or random seed "
                          "mode, or give a variation seed and a strength above 0")
    return seeds


# ---------------------------------------------------------------- models: only those this server lists

def _config(name: str) -> dict | None:
    """The config.json of a shipped model (None: not shipped here, or unreadable)."""
    from .models import SHIPPED, WEIGHTS
    if name not in SHIPPED:
        return None
    try:
        return json.loads((WEIGHTS / SHIPPED[name] / "config.json").read_text())
    except (OSError, ValueError):
        return None


def native_size(name: str) -> int | None:
    """The size a listed model draws at, read from its config without loading it; None: it draws any size."""
    config = _config(name) if isinstance(name, str) else None
    inner = (config or {}).get("config") or {}
    size = inner.get("size", inner.get("side", (config or {}).get("size")))  # the RBM calls its canvas side "side"
    return int(size) if isinstance(size, int) and size else None


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
        config = _config(name)
        if config is not None and SHIPPED[name] not in folders and _importable(config.get("kind", "")):
            folders.add(SHIPPED[name])  # later aliases of the same folder are left out
            if native_size(name) is None:
                continue  # not an image model (the sparse dictionary draws patches): it has its own tab
            choices.append((f"{name} · {config.get('kind', name)}, trained, {native_size(name)} px", name))
        elif name in DRAWS_ANY_SIZE and _importable(name):
            choices.append((f"{name} · {'procedural ground truth, ' if name == 'world' else ''}any size", name))
        # anything else is registered but has no trained weights shipped in this copy
    return choices


@cache
def allowed_models() -> frozenset[str]:
    """The listed models and the aliases of the same shipped folders (images made by the CLI may name those)."""
    from .models import SHIPPED
    listed = {name for _, name in model_choices()}
    folders = {SHIPPED[name] for name in listed if name in SHIPPED}
    return frozenset(listed | {alias for alias, folder in SHIPPED.items() if folder in folders})


def allowed_model(name) -> str:
    """`name` if this server lists it; one and the same refusal for anything else (a path, a typo, a list)."""
    name = limits.DEFAULT_MODEL if name in (None, "") else name
    if isinstance(name, str) and name.strip() in allowed_models():
        return name.strip()
    listed = [n for _, n in model_choices()]
    hint = suggestion_hint(name, listed, cutoff=0.5) if isinstance(name, str) and len(name) < 100 else None
    raise GendslError(f"this playground draws with the models it lists: {', '.join(listed)}"
                      + (f"; {hint}" if hint else ""))


# Two first requests for one model must not load it twice at once; one model loading must not hold up others.
_load_locks: dict[tuple, threading.Lock] = {}
_locks_lock = threading.Lock()


def load_model(name: str, size):
    name = allowed_model(name)
    size = limits.DEFAULT_SIZE if size in (None, "") else whole(size, "the size", 1, max(limits.SIZES))
    if size not in limits.SIZES:
        raise GendslError(f"sizes are {', '.join(map(str, limits.SIZES))}, not {size}")
    with _locks_lock:
        lock = _load_locks.setdefault((name, size), threading.Lock())
    with lock:
        return get_model(name, size)


# ---------------------------------------------------------------- sketches: read from the server's folder only

def sketch_of(text: str, path: str | Path | None = None, sketches: Path | None = None) -> Sketch:
    """The editor's sketch, read as if it lay in the server's `sketches` folder (its wildcards/ are read there).

    `path` comes from the page: only its file name counts, and only when it is one of the example
    sketches in that folder (so that errors name the example); no request chooses a folder.
    """
    text = checks.text(text, "the sketch", limits.MAX_SKETCH_BYTES)
    if not text.strip():
        raise GendslError("the sketch is empty: type one, or pick an example above the editor")
    if len(text.encode("utf-8")) > limits.MAX_SKETCH_BYTES:
        raise GendslError(f"a sketch is at most {limits.MAX_SKETCH_BYTES} bytes")
    if sketches is None:
        return Sketch.from_text(text)  # no file: wildcards are read from the server's working folder
    name = Path(path).name if isinstance(path, (str, Path)) and str(path) else UNTITLED
    examples = {p.name for p in Path(sketches).glob("*.sketch")}
    return Sketch.from_text(text, Path(sketches) / (name if name in examples else UNTITLED))


def scene_names(scenes) -> list[str] | None:
    """The scenes ticked for a sketch (none: all)."""
    if scenes in (None, "", []):
        return None
    if not isinstance(scenes, list) or not all(isinstance(s, str) and len(s) <= limits.MAX_NAME_CHARS
                                               for s in scenes):
        raise GendslError("the scenes to render are a list of scene names")
    return scenes or None


@dataclass(frozen=True)
class Panel:
    """The render panel's settings as the page's widgets give them; each is checked where it is used.
    The handlers in app.py build one from the widgets' values, so no function takes them one by one."""

    model: str = limits.DEFAULT_MODEL
    size: object = limits.DEFAULT_SIZE
    count: object = limits.DEFAULT_VARIATIONS
    seed: object = 0
    seed_mode: str = "increment"
    variation_seed: object = None
    strength: object = 0.0
    upscale: object = 1
    resample: str = "nearest"

    def seeds(self, one_scene: bool = True):
        return run_seeds_from(self.seed, self.count, self.seed_mode, self.variation_seed, self.strength, one_scene)

    def drawing(self) -> dict:
        """How each image is finished: its upscaling and resampling, checked."""
        return {"upscale_by": whole(self.upscale, "upscaling", 1, limits.MAX_UPSCALE),
                "resample": option(self.resample, checks.RESAMPLES, "resampling", "nearest")}
