"""The scene language: parse, compile, expand, encode (DESIGN.md, 'The flow of data')."""
from __future__ import annotations

from pathlib import Path

from .. import limits
from .compiler import compile_scene_text, compile_sketch_text
from .encode import DIM, decode, encode
from .errors import GendslError, SketchError, SketchErrors, UnusedWords
from .expand import Expander, scene_from_text
from .ir import Blend, Item, Scene, Sketch, canonical
from .unknown import unused_words


def compile_scene(text: str, seed: int = 0, strict: bool = False) -> Scene:
    """The canonical Scene a phrase means; variants and wildcards are picked from `seed`.

    Words the world cannot draw ('a vintage car') are left out with an UnusedWords warning
    (Python's warnings; `unused_words()` collects them instead); strict: they are an error."""
    if not strict:
        return scene_from_text(text, seed)
    with unused_words(strict=True):
        return scene_from_text(text, seed)


def load_sketch(path: str | Path) -> Sketch:
    """Read and compile a sketch file (errors name the file, line and column)."""
    from .textfile import read_text
    return compile_sketch_text(read_text(path, "sketch file", limits.MAX_SKETCH_BYTES), Path(path))


def parse_sketch(text: str, path: str | Path | None = None) -> Sketch:
    return compile_sketch_text(text, path)


__all__ = ["Blend", "DIM", "Expander", "GendslError", "Item", "Scene", "Sketch", "SketchError", "SketchErrors",
           "UnusedWords", "canonical", "compile_scene", "decode", "encode", "load_sketch", "parse_sketch",
           "unused_words"]
