"""A judge that reads a picture place by place, for any world whose scenes are maps of places (World.places()).

    judge = PlaceJudge.load("gendsl/weights/judge-digits")
    scenes = judge.read(images)                   # uint8 (N, S, S, 3), S a multiple of 32 -> the world's scenes
    scores = judge.score(images, scenes, seeds)   # {attribute: (right, counted)}: the judge protocol (protocol.py)

It predicts, for each place of the world's grid, which class stands there (class 0: nothing): the world's
reading (e.g. worlds/digits/reading.py) turns those log-probabilities into the most probable valid scene, an
exact decode that never returns a map no caption could describe, and says which attributes a reading gets right.

Why per place and fully convolutional: after three 2x pools a 32 px canvas is a 4 x 4 map, a thing at place
(r, c) covers map cells r..r+1, c..c+1, and a 2 x 2 valid convolution gives one output per place with the same
weights at every place. A thing is then read the same way wherever it stands, so a combination held out of
training (a 0 at the top alone) is read by weights that learned 0s and tops elsewhere.

It is trained on the world's renders only (place_fit.py, through the one training driver); the images it reads
are made gray (channel mean) when the world's reading says so, and area-downsampled to 32 px.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError
from .judge import INPUT, fingerprint, load_folder, save_folder, to_input

KIND = "place-judge"
FORMAT = 1


@dataclass(frozen=True)
class Config:
    """The network and its training augmentation; saved beside the weights."""

    widths: tuple[int, ...] = (32, 64, 96)  # channels per stage, a 2x2 max-pool after each
    head: int = 96  # channels of the 2x2 per-place convolution
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    decay_steps: int = 470  # the cosine decay's length: part of the config, not of a run, so a stop and --resume
    #                         follows the same schedule as a straight run (the shipped judge took 468 steps)
    blur_max: float = 1.2  # Gaussian blur sigma in pixels, uniform up to this ...
    blur_p: float = 0.6  # ... for this share of training images
    noise_max: float = 0.12  # per-image pixel noise std, uniform up to this
    fade_p: float = 0.5  # this share of images is faded: ink * U(0.6, 1) + background U(0, 0.12),
    #                      since generated canvases (an RBM's visible means) are greyer than renders

    @classmethod
    def from_dict(cls, data: dict) -> "Config":
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise GendslError(f"place judge config has unknown fields: {', '.join(sorted(unknown))}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def build(config: Config, places, name: str, seed: int = 0):
    """32x32xC in 0..1 -> (N, cells, classes) logits, one row per place in the world's place order."""
    import keras
    from keras import layers

    counter = iter(range(seed * 100, seed * 100 + 100))

    def init():
        return keras.initializers.HeNormal(seed=next(counter))

    x = inputs = keras.Input((INPUT, INPUT, 1 if places.gray else 3), name="canvas")
    x = layers.Rescaling(2.0, offset=-1.0)(x)
    for width in config.widths:
        x = layers.Conv2D(width, 3, padding="same", use_bias=False, kernel_initializer=init())(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(config.head, 2, padding="valid", activation="relu", kernel_initializer=init())(x)
    x = layers.Conv2D(places.classes, 1, kernel_initializer=keras.initializers.GlorotUniform(seed=next(counter)))(x)
    if x.shape[1] * x.shape[2] != places.cells:
        raise GendslError(f"the place judge's {len(config.widths)} stages read {x.shape[1] * x.shape[2]} places, "
                          f"not the world's {places.cells}")
    return keras.Model(inputs, layers.Reshape((places.cells, places.classes))(x), name=name)


@dataclass
class PlaceJudge:
    config: Config
    world: object  # the worlds.World whose places it reads
    net: object = None  # keras.Model from build()
    card: dict = field(default_factory=dict)  # how it was trained and what it scored

    batch = 512
    kind = KIND

    def __post_init__(self):
        self.places = self.world.places()
        if self.places is None:
            raise GendslError(f"the {self.world.name} world has no places for a place judge to read")
        if self.net is None:
            self.net = build(self.config, self.places, f"judge_{self.world.name}")

    @property
    def attributes(self) -> tuple[str, ...]:
        return tuple(self.places.attributes)

    def log_probs(self, images) -> np.ndarray:
        """float32 (N, cells, classes): per place, log p(nothing, class 1 …)."""
        x = to_input(images, gray=self.places.gray, who=f"the {self.world.name} judge")
        out = [np.asarray(self.net(x[s:s + self.batch], training=False)) for s in range(0, len(x), self.batch)]
        logits = np.concatenate(out) if out else np.zeros((0, self.places.cells, self.places.classes), np.float32)
        logits = logits - logits.max(axis=-1, keepdims=True)
        return (logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))).astype(np.float32)

    def read(self, images) -> list:
        """What it sees: the most probable valid scene of each picture."""
        return self.places.decode(self.log_probs(images))

    def score(self, images, scenes, seeds=None) -> dict:
        """{attribute: (right, counted)}, bool (N, 1) each: the attributes each true scene has, read right?"""
        return hits_table(self.places, self.read(images), list(scenes))

    def fingerprint(self) -> str:
        return fingerprint(self.net)

    def save(self, path, readme: str | None = None) -> Path:
        return save_folder(self, path, KIND, FORMAT, {"world": self.world.signature()}, readme)

    @classmethod
    def load(cls, path) -> "PlaceJudge":
        from .. import worlds

        def world_problem(data: dict) -> str | None:
            try:
                worlds.from_signature(data.get("world"), str(path))
            except GendslError as error:
                return f"reads another world than this gendsl's ({error})"
            return None

        def make(config, card):
            return cls(config, worlds.from_signature(data_of(path)["world"], str(path)), card=card)

        return load_folder(path, KIND, FORMAT, "place judge", world_problem, make, Config.from_dict,
                           hint="; train one with: gendsl train judge --data WORLD --out runs/judge")


def data_of(path) -> dict:
    import json
    return json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))


def hits_table(places, preds, truths) -> dict:
    """{attribute: (right, counted)} from a world's per-scene hits (places.hits(pred, truth) -> {attribute: bool})."""
    if len(preds) != len(truths):
        raise GendslError(f"{len(preds)} readings for {len(truths)} scenes")
    hits = [places.hits(p, t) for p, t in zip(preds, truths)]
    return {a: (np.array([[h.get(a, False)] for h in hits], bool).reshape(-1, 1),
                np.array([[a in h] for h in hits], bool).reshape(-1, 1)) for a in places.attributes}
