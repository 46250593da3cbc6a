"""gendsl: write a scene in a small language, render seeded images of it.

    >>> import gendsl
    >>> gendsl.compile_scene("a yellow school bus parked in a parking lot")
    Scene(items=(Item(object='school bus', color='yellow', ...),), place='parking lot', time=None)

    >>> images = gendsl.generate("yellow school bus in parking lot", seeds=[1, 2, 3], model="cgan")
    >>> images = gendsl.Sketch.from_file("sketches/school_bus.sketch").render(seeds=range(8))

Importing gendsl is light: models (and TensorFlow) load only when asked for.
`gendsl.Sketch` is the renderable sketch (gendsl/api.py); its parsed form is
`gendsl.lang.Sketch`, which `load_sketch` and `parse_sketch` return.
"""
from . import worlds
from ._version import __version__
from .api import Image, Sketch, generate, get_model, morph, restore
from .lang import Blend, GendslError, SketchError, UnusedWords, load_sketch, parse_sketch, unused_words
from .worlds.scene.compiler import compile_scene
from .worlds.scene.encode import DIM, decode, encode
from .worlds.scene.ir import Item, Scene, canonical
from .models import load
from .render import read_metadata

__all__ = ["DIM", "Blend", "GendslError", "Image", "Item", "Scene", "Sketch", "SketchError", "UnusedWords",
           "__version__", "canonical", "compile_scene", "decode", "encode", "generate", "get_model", "load",
           "load_sketch", "morph", "parse_sketch", "read_metadata", "restore", "unused_words", "worlds"]
