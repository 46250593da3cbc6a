"""The language: parse and compile sketches, expand their templates (DESIGN.md, 'The flow of data').

What a scene's words mean is its world's (gendsl.worlds): the scene world's words, grammar, compiler and
encoder are in gendsl/worlds/scene/.
"""
from __future__ import annotations

from pathlib import Path

from .. import limits
from .compiler import compile_sketch_text
from .errors import GendslError, SketchError, SketchErrors, UnusedWords
from .expand import Expander, scene_from_text
from .ir import Blend, Sketch
from .unused import unused_words


def load_sketch(path: str | Path) -> Sketch:
    """Read and compile a sketch file (errors name the file, line and column)."""
    from .textfile import read_text
    return compile_sketch_text(read_text(path, "sketch file", limits.MAX_SKETCH_BYTES), Path(path))


def parse_sketch(text: str, path: str | Path | None = None) -> Sketch:
    return compile_sketch_text(text, path)


__all__ = ["Blend", "Expander", "GendslError", "Sketch", "SketchError", "SketchErrors", "UnusedWords",
           "load_sketch", "parse_sketch", "scene_from_text", "unused_words"]
