"""The digits world (after alignDRAW's captioned MNIST): its language is lang/digits.py and
grammars/digits.lark, its renderer, sampler and held-out compositions world/digits.py."""
from __future__ import annotations

import numpy as np

from ..lang import digits as language
from ..lang.seeds import check_seed
from .base import World


class DigitsWorld(World):
    name = "digits"
    dim = language.DIM
    judge = "judge-digits"
    default_model = "digits"

    @property
    def version(self) -> str:
        from ..world.digits import VERSION
        return VERSION

    @property
    def map_channels(self) -> int:
        from ..world.digits import MAP_CHANNELS
        return MAP_CHANNELS

    @property
    def mask_channel(self) -> int:
        from ..world.digits import MASK_CHANNEL
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
        from ..world.digits import sample_scene
        return sample_scene(rng, held_out=held_out)

    def is_held_out(self, scene) -> bool:
        from ..world.digits import is_held_out
        return is_held_out(scene)

    def render(self, scene, seed, size):
        from ..world.digits import CANVAS, render, to_rgb
        image = to_rgb(render(scene, check_seed(int(getattr(seed, "seed", seed)))))
        factor = max(1, size // CANVAS)  # whole pixel blocks, as the digits renderer model draws
        return image.repeat(factor, axis=0).repeat(factor, axis=1)

    def training_set(self, n, size, seed=0):
        """The train split (train glyphs only: a judge and the evaluation draw the test glyphs)."""
        from ..world.digits import dataset, to_rgb
        data = dataset(n, seed=seed, split="train")
        factor = max(1, size // 32)
        images = to_rgb(data["images"]).repeat(factor, axis=1).repeat(factor, axis=2)
        return {"images": images, "cond": data["cond"], "seeds": np.asarray(data["seeds"], np.int64)}

    def caption(self, scene, rng):
        from ..world.digits import caption
        return caption(scene, rng)

    def maps(self, cond, seeds, size):
        from ..world.digits import layout_maps
        return np.stack([layout_maps(self.decode(c), int(getattr(s, "seed", s)), size)
                         for c, s in zip(cond, seeds)]) if len(cond) else \
            np.zeros((0, size, size, self.map_channels), np.float32)

    def signature(self) -> dict:
        from ..world.digits import world_signature
        return world_signature()
