"""gendsl: write a scene in a small language, render seeded images of it.

    >>> import gendsl
    >>> gendsl.compile_scene("a yellow school bus parked in a parking lot")
    Scene(items=(Item(object='school bus', color='yellow', ...),), place='parking lot', time=None)

Importing gendsl is light: models (and TensorFlow) load only when asked for.
"""
from ._version import __version__
from .lang import (DIM, Blend, GendslError, Item, Scene, Sketch, SketchError, canonical, compile_scene, decode,
                   encode, load_sketch, parse_sketch)
from .models import load

__all__ = ["DIM", "Blend", "GendslError", "Item", "Scene", "Sketch", "SketchError", "__version__", "canonical",
           "compile_scene", "decode", "encode", "load", "load_sketch", "parse_sketch"]
