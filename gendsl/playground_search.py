"""The playground's "Search" tab as plain functions: find rendered images by what they show.

    hits, line = search_rendered("a red car on the beach", top=8)

Every image the page has drawn is in its output folder; the shipped hashing
model (gendsl/weights/hashing-world-32) codes them into 64-bit codes, and a
text query (any phrasing the scene language compiles) finds the nearest by
Hamming distance. The index is rebuilt only when the folder has changed.
"""
from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

from .lang.errors import GendslError

MAX_TOP = 32
_cache: dict = {}
_lock = threading.Lock()


def available() -> bool:
    """Whether the tab has something to show: the shipped hashing model."""
    return (Path(__file__).resolve().parent / "weights" / "hashing-world-32" / "config.json").is_file()


def _signature(folder: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*.png")))


def _index(folder: Path):
    from .retrieval import build_index

    signature = _signature(folder)
    if not signature:
        raise GendslError("nothing to search yet: render some images (Generate, Morph …), then look for them here")
    with _lock:
        if _cache.get("key") != (str(folder), signature):
            _cache.update(key=(str(folder), signature), index=build_index(folder, captioner=None, progress=False))
        return _cache["index"]


def search_folder(folder, text: str, top: int = 8) -> tuple[list[tuple[str, str]], str]:
    """([(image path, "distance d · its scene")], a summary line) for the images under `folder` nearest `text`."""
    from .worlds.scene.compiler import compile_scene
    from .retrieval import model

    if not isinstance(text, str) or not text.strip():
        raise GendslError("type what to look for, e.g.: a red car on the beach")
    if not 1 <= int(top) <= MAX_TOP:
        raise GendslError(f"show between 1 and {MAX_TOP} images, not {top}")
    compile_scene(text)  # a located message for a mistyped query, before any work
    started = time.perf_counter()
    index = _index(Path(folder))
    hits = index.search_text(model("hashing", "hashing"), text, 4 * int(top))
    captions = dict(zip(index.paths, index.captions))
    found = [(path, f"distance {d} · {captions.get(path) or Path(path).name}") for d, path in _once(hits)][:int(top)]
    line = (f"{len(found)} of {len(index.paths)} images, nearest first (Hamming distance of 64-bit codes) · "
            f"{time.perf_counter() - started:.2f} s")
    return found, line


def _once(hits: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each picture once: the page keeps a copy of an image per request that drew it (Vary, a second
    Render), and a search should not answer with the same picture twice."""
    from .render.files import read_pixels

    seen, out = set(), []
    for distance, path in hits:
        key = hashlib.sha256(read_pixels(path).tobytes()).hexdigest()
        if key not in seen:
            seen.add(key)
            out.append((distance, path))
    return out


def search_rendered(text: str, top: int = 8):
    """search_folder over everything this playground has drawn."""
    from .playground import outputs
    return search_folder(outputs().root, text, top)
