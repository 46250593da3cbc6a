"""What every world is: words, a language, a vector layout, a scene sampler, and (where it has them) a
renderer, captions and a judge.

    world = gendsl.worlds.get("digits")
    scene = world.compile("the digit 3 is above the digit 9")
    assert world.decode(world.encode(scene)) == world.canonical(scene)
    assert world.compile(world.text(scene)) == world.canonical(scene)

Code never asks which world it holds, by name or by type: it asks the world. A saved model keeps its
world's `signature()` in config.json, from which the registry (worlds/__init__.py) rebuilds the world,
so a model carries its own language.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..lang.errors import GendslError, Location
from ..lang.ir import Source
from ..lang.kinds import Category

Locate = Callable[[int, int], Location]
COUNT_WORDS = {1: "one", 2: "two", 3: "three"}
WORD_COUNTS = {word: n for n, word in COUNT_WORDS.items()}


def locate_in(text: str) -> Locate:
    """Errors located in `text` itself (a scene typed on its own)."""
    source = Source(text)
    return lambda offset, length: Location(source, offset, length)


class World:
    """The protocol; subclasses fill in the language and say what else they have."""

    name: str
    version: str
    dim: int
    map_channels: int | None = None  # a world with its own layout maps says how many channels they have
    instance_channels: int = 0  # ... and how many more carry each instance's own noise (conditioning "instances")
    detail_channels: int = 0  # ... and how many more after those say where its backdrop's details are ("details")
    mask_channel: int | None = None  # the maps' "inside a thing" channel, when they have one
    maps_in_graph: bool = False  # its maps can be painted inside tf.data (models/layout_graph.py paints the scene's)
    judges: tuple[str, ...] = ()  # the shipped judges that read its pictures (gendsl/weights/NAME), main one first
    default_model: str | None = None  # what draws it when a sketch says no `use`

    # ---- the language
    def kinds(self) -> tuple[Category, ...]:
        """Its kinds of word, in vector order; each names its words and their synonyms."""
        raise NotImplementedError

    def compile(self, text: str, locate: Locate | None = None):
        """Concrete scene text -> its canonical scene; a located error (with a did-you-mean) otherwise."""
        raise NotImplementedError

    def canonical(self, scene):
        raise NotImplementedError

    def text(self, scene) -> str:
        """The canonical text of a scene: compiling it gives the scene back."""
        return str(self.canonical(scene))

    # ---- the vector layout, which follows from the words
    def blocks(self) -> list[tuple[str, int, int]]:
        raise NotImplementedError

    def encode(self, scene) -> np.ndarray:
        raise NotImplementedError

    def decode(self, vector):
        raise NotImplementedError

    def encode_batch(self, scenes) -> np.ndarray:
        scenes = list(scenes)
        return np.stack([self.encode(s) for s in scenes]) if scenes else np.zeros((0, self.dim), np.float32)

    # ---- scenes
    def sample_scene(self, rng: np.random.Generator, held_out: bool = False):
        """A random canonical scene: outside the held-out compositions, or (held_out=True) inside them."""
        raise NotImplementedError

    def is_held_out(self, scene) -> bool:
        return False

    # ---- what not every world has
    def render(self, scene, seed, size: int) -> np.ndarray | None:
        """uint8 (size, size, 3) of a scene drawn exactly, or None for a world without a renderer."""
        return None

    def caption(self, scene, rng: np.random.Generator) -> str:
        """One phrasing of a scene; every one compiles back to it. Worlds without captions say the canonical text."""
        return self.text(scene)

    def maps(self, cond: np.ndarray, seeds, size: int, conditioning: str = "layout") -> np.ndarray:
        """(n, size, size, channels) layout maps of conditioning vectors, for worlds that have them: map_channels;
        for "instances", each instance's own noise follows in instance_channels more; for "details", the
        backdrop's details in detail_channels more after those."""
        raise NotImplementedError(f"the {self.name} world has no layout maps; use flat conditioning")

    def map_width(self, conditioning: str) -> int:
        """How many channels maps(…, conditioning) has."""
        extra = {"instances": self.instance_channels, "details": self.instance_channels + self.detail_channels}
        return (self.map_channels or 0) + extra.get(conditioning, 0)

    def condition(self, cond: np.ndarray, seeds, size: int, conditioning: str) -> np.ndarray:
        """What a conditional network reads beside its latent: the layout maps (with each instance's noise for
        "instances", and the backdrop's details for "details"), or the vector itself (flat)."""
        return cond if conditioning == "flat" else self.maps(cond, seeds, size, conditioning)

    def training_set(self, n: int, size: int, seed: int = 0, split: str = "train") -> dict:
        """n rendered training examples: {"images": uint8 (n, size, size, 3), "cond", "seeds"}; None without a
        renderer. Scenes come from the sampler (never held out); each picture is drawn at its own seed. The
        "test" split draws other scenes and seeds (and, where the world keeps some apart, other glyphs)."""
        from ..lang.seeds import stream

        if split not in ("train", "test"):
            raise ValueError(f"split is train or test, not {split!r}")
        rng = stream(seed, "training-set", self.name) if split == "train" else stream(seed, "test-set", self.name)
        scenes = [self.sample_scene(rng) for _ in range(n)]
        seeds = [int(s) for s in rng.integers(0, 2**31, n)]
        images = [self.render(s, k, size) for s, k in zip(scenes, seeds)]
        if any(image is None for image in images[:1]):
            return None
        return {"images": np.stack(images), "cond": self.encode_batch(scenes), "seeds": np.asarray(seeds, np.int64)}

    # ---- what an evaluation asks of a world with judges (eval/report.py)
    def evaluation_scenes(self, n: int, held_out: bool, seed: int = 0) -> dict[str, list]:
        """{group: scenes} of about n scenes, all seen compositions or all held-out ones, grouped as a report
        shows them (by how many things a scene holds: "one", "two" …). Deterministic in the seed."""
        from ..lang.seeds import stream

        kind = "heldout" if held_out else "seen"
        scenes = [self.sample_scene(stream(seed, "eval-scenes", self.name, kind, str(i)), held_out=held_out)
                  for i in range(n)]
        groups: dict[str, list] = {}
        for scene in scenes:
            groups.setdefault(COUNT_WORDS.get(self.things(scene), str(self.things(scene))), []).append(scene)
        return dict(sorted(groups.items(), key=lambda kv: WORD_COUNTS.get(kv[0], 99)))

    def things(self, scene) -> int:
        """How many things a scene places (its report group)."""
        return 1

    def reference(self, scenes, seeds, size: int) -> np.ndarray:
        """The world's own pictures of scenes at seeds, beside which a model is judged (the ceiling): drawn
        from what its judges never trained on, where the world can tell."""
        return np.stack([self.render(s, k, size) for s, k in zip(scenes, seeds)])

    def label_units(self, cond: np.ndarray) -> np.ndarray:
        """(N, L) label units in [0, 1] a class-conditional model clamps for conditioning vectors (the RBM): by
        default the vector itself, whose blocks are one-hot words or a blend's weights."""
        cond = np.asarray(cond, np.float32)
        if cond.size and (cond.min() < 0 or cond.max() > 1):
            raise GendslError(f"the {self.name} world's vectors are not label units; it must say its own")
        return cond.copy()

    def places(self):
        """How a judge reads its pictures place by place (eval/place_judge.py), or None."""
        return None

    def signature(self) -> dict:
        """What a model's conditioning means: saved in its config.json, and enough to rebuild the world."""
        raise NotImplementedError

    def words(self) -> dict[str, dict[str, list[str]]]:
        """{kind: {word: [synonyms]}}, for `gendsl worlds` and the playground."""
        return {cat.name: {value: sorted(p for p, v in cat.phrases.items() if v == value and p != value)
                           for value in cat.values} for cat in self.kinds()}

    def __repr__(self) -> str:
        return f"<world {self.name} v{self.version}: {self.dim}-d>"
