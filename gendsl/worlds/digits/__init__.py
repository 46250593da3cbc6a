"""The digits world (after alignDRAW's captioned MNIST), all in this package:

    language.py + grammar.lark   its words, scenes, compiler and vector (DigitScene, compile_digits_text)
    canvas.py                    its renderer, layout maps, sampler with held-out combinations, captions, datasets
    data.py                      scikit-learn's bundled digits: the glyphs, and the classic models' data
    reading.py                   how its judge reads a canvas, place by place (the network: eval/place_judge.py)

Code outside asks the world (worlds.get("digits")), never this package by name.
"""
from __future__ import annotations

import numpy as np

from ...lang.errors import GendslError
from ...lang.seeds import stream
from ..base import World
from . import language


class DigitsWorld(World):
    name = "digits"
    dim = language.DIM
    judges = ("judge-digits",)
    default_model = "digits"

    @property
    def version(self) -> str:
        from .canvas import VERSION
        return VERSION

    @property
    def map_channels(self) -> int:
        from .canvas import MAP_CHANNELS
        return MAP_CHANNELS

    @property
    def mask_channel(self) -> int:
        from .canvas import MASK_CHANNEL
        return MASK_CHANNEL

    def kinds(self):
        return language.CATEGORIES

    def compile(self, text, locate=None):
        return language.compile_digits_text(text, locate)

    def canonical(self, scene):
        return language.canonical(scene)

    def blocks(self):
        return language.blocks()

    def encode(self, scene) -> np.ndarray:
        return language.encode(scene)

    def decode(self, vector):
        return language.decode(vector)

    def sample_scene(self, rng, held_out=False):
        from .canvas import sample_scene
        return sample_scene(rng, held_out=held_out)

    def is_held_out(self, scene) -> bool:
        from .canvas import is_held_out
        return is_held_out(scene)

    def render(self, scene, seed, size, glyph_split: str = "all"):
        from .canvas import CANVAS, render, to_rgb
        image = to_rgb(render(scene, seed, glyph_split))
        factor = max(1, size // CANVAS)  # whole pixel blocks, as the digits renderer model draws
        return image.repeat(factor, axis=0).repeat(factor, axis=1)

    def training_set(self, n, size, seed=0, split="train"):
        """The train split draws the train glyphs only (a judge and the evaluation draw the test glyphs)."""
        from .canvas import dataset, to_rgb
        data = dataset(n, seed=seed, split=split)
        factor = max(1, size // 32)
        images = to_rgb(data["images"]).repeat(factor, axis=1).repeat(factor, axis=2)
        return {"images": images, "cond": data["cond"], "seeds": np.asarray(data["seeds"], np.int64)}

    def caption(self, scene, rng):
        from .canvas import caption
        return caption(scene, rng)

    def maps(self, cond, seeds, size, conditioning="layout"):
        from .canvas import layout_maps
        if conditioning != "layout":
            raise GendslError(f"the digits world paints no {conditioning} maps; train with --conditioning layout")
        return np.stack([layout_maps(self.decode(c), s, size)
                         for c, s in zip(cond, seeds)]) if len(cond) else \
            np.zeros((0, size, size, self.map_channels), np.float32)

    # ---- what an evaluation asks
    def evaluation_scenes(self, n, held_out, seed=0):
        kind = "heldout" if held_out else "seen"
        scenes = [self.sample_scene(stream(seed, "digits-eval", kind, str(i)), held_out=held_out) for i in range(n)]
        return {"one": [s for s in scenes if len(s.digits) == 1], "two": [s for s in scenes if len(s.digits) == 2]}

    def things(self, scene) -> int:
        return len(scene.digits)

    def reference(self, scenes, seeds, size):
        """Drawn with the test glyphs: handwriting no judge and no model trained on."""
        return np.stack([self.render(s, k, size, glyph_split="test") for s, k in zip(scenes, seeds)])

    def label_units(self, cond):
        from .canvas import cell_labels
        return cell_labels(cond)

    def places(self):
        from .reading import Places
        return Places()

    def signature(self) -> dict:
        from .canvas import world_signature
        return world_signature()
