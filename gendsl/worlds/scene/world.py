"""The scene world: objects, colours, places and times (vocab.py), drawn by the procedural
renderer (render.py), captioned by captions.py, read back by the judges.

Its signature is the one the shipped cGAN and cVAE were saved with (no "world" key, for that reason),
so they keep loading unchanged.
"""
from __future__ import annotations

import numpy as np

from ..base import World
from . import vocab
from .compiler import compile_scene_text
from .encode import DIM, blocks, decode, encode
from .ir import canonical

VERSION = "2"  # bump when the renderer draws any scene differently (2: wide seeded variation)


class SceneWorld(World):
    name = "scene"
    version = VERSION
    dim = DIM
    mask_channel = 15
    maps_in_graph = True
    judges = ("scene-judge-world-32", "judge-world-32", "box-judge-world-32")  # the first gives the headline
    default_model = "cgan"

    def kinds(self):
        return vocab.WORD_CATEGORIES

    def compile(self, text, locate=None):
        return compile_scene_text(text, locate)

    def canonical(self, scene):
        return canonical(scene)

    def blocks(self):
        return blocks()

    def encode(self, scene) -> np.ndarray:
        return encode(scene)

    def decode(self, vector):
        return decode(vector)

    def sample_scene(self, rng, held_out=False):
        from . import sample
        if held_out:
            return sample.sample_held_out_scene(rng)
        while True:  # as the datasets draw: scenes free of held-out (object, place) pairs
            scene = sample.sample_scene(rng)
            if not sample.is_held_out(scene):
                return scene

    def is_held_out(self, scene) -> bool:
        from .sample import is_held_out
        return is_held_out(scene)

    def evaluation_scenes(self, n, held_out, seed=0):
        """Half one-object and half two-object scenes, and as many three-object ones as one-object."""
        from .sample import scenes_of_items
        counts = {"one": (1, n // 2), "two": (2, n - n // 2), "three": (3, n // 2)}
        return {word: scenes_of_items(k, held_out, items, seed) for word, (items, k) in counts.items()}

    def things(self, scene) -> int:
        return len(scene.items)

    def render(self, scene, seed, size):
        from .render import render_scene
        return render_scene(scene, seed, size)

    def caption(self, scene, rng):
        from .captions import captions
        return captions(scene, int(rng.integers(2**31)), n=1)[0]

    @property
    def map_channels(self) -> int:  # layout_maps.py: the planner's boxes, painted
        from .layout_maps import CHANNELS
        return CHANNELS

    @property
    def instance_channels(self) -> int:  # ... and each instance's facing and shape noise
        from .layout_maps import INSTANCE_CHANNELS
        return INSTANCE_CHANNELS

    @property
    def detail_channels(self) -> int:  # ... and where its backdrop's markings, hills and clouds are
        from .layout_maps import DETAIL_CHANNELS
        return DETAIL_CHANNELS

    def maps(self, cond, seeds, size, conditioning="layout"):
        from .layout_maps import batch_maps
        return batch_maps(cond, seeds, size, conditioning == "instances", conditioning == "details")

    def signature(self) -> dict:
        return {"world_version": VERSION, "dim": self.dim, **{cat.name: list(cat.values) for cat in vocab.WORD_CATEGORIES}}
