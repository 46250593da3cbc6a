"""The digits world's judge: a small CNN that reads a canvas back into its digits scene.

    judge = DigitsJudge.load()                # gendsl/weights/judge-digits
    scenes = judge.scenes(images)             # uint8 (N, S, S, 3), S a multiple of 32 -> [DigitScene]
    scores = attribute_accuracy(scenes, truth)   # digit1, digit2, position, relation, count, all

It predicts, for each of the nine places of the 3 x 3 grid the world draws
into, which digit stands there (or none): 9 x 11 classes. A digits scene is
exactly such a map (world.digits.placements), so the judge's answer is the
valid scene (one digit at a place, or two digits above / left of each other:
290 of them) with the highest summed log-probability over the nine places, an
exact decode that never returns a map no caption could describe.

Why per place and fully convolutional: after three 2x pools a 32 px canvas is
a 4 x 4 map, a glyph at place (r, c) covers map cells r..r+1, c..c+1, and a
2 x 2 valid convolution gives one output per place with the same weights at
every place. A digit is then read the same way wherever it stands, so a
combination held out of training (a 0 at the top alone) is read by weights
that learned 0s and tops elsewhere.

It is trained on digits-world renders only (digits_fit.py); the images it
reads are made gray (channel mean) and area-downsampled to 32 px.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from ..lang.digits import CANONICAL_RELATIONS, DIGIT, POSITION, DigitScene, canonical
from ..lang.errors import GendslError

KIND = "judge-digits"
FORMAT = 1
INPUT = 32
CELLS, CLASSES = len(POSITION.values), 11  # class 0: no digit at this place; class d + 1: digit d
WEIGHTS = "model.weights.h5"
DEFAULT = Path(__file__).resolve().parent.parent / "weights" / "judge-digits"
ATTRIBUTES = ("digit1", "digit2", "position", "relation", "count", "all")


@dataclass(frozen=True)
class Config:
    """The network and its training augmentation; saved beside the weights."""

    widths: tuple[int, ...] = (32, 64, 96)  # channels per stage, a 2x2 max-pool after each
    head: int = 96  # channels of the 2x2 per-place convolution
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    blur_max: float = 1.2  # Gaussian blur sigma in pixels, uniform up to this ...
    blur_p: float = 0.6  # ... for this share of training images
    noise_max: float = 0.12  # per-image pixel noise std, uniform up to this
    fade_p: float = 0.5  # this share of images is faded: ink * U(0.6, 1) + background U(0, 0.12),
    #                      since generated canvases (an RBM's visible means) are greyer than renders

    @classmethod
    def from_dict(cls, data: dict) -> "Config":
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise GendslError(f"digits judge config has unknown fields: {', '.join(sorted(unknown))}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


# ---- labels and the exact decode
def cell_targets(scenes) -> np.ndarray:
    """int32 (N, 9): per place, 0 for empty or 1 + the digit drawn there."""
    from ..world.digits import placements

    out = np.zeros((len(scenes), CELLS), np.int32)
    for i, scene in enumerate(scenes):
        for digit, place in placements(scene):
            out[i, POSITION.index(place)] = int(digit) + 1
    return out


@cache
def candidates() -> tuple[list[DigitScene], np.ndarray]:
    """Every valid canonical scene (10 x 9 singles, 10 x 10 x 2 pairs) and its (290, 9) place map."""
    scenes = [DigitScene((d,), p) for d in DIGIT.values for p in POSITION.values]
    scenes += [DigitScene((a, b), None, r) for a in DIGIT.values for b in DIGIT.values for r in CANONICAL_RELATIONS]
    return scenes, cell_targets(scenes)


def decode(log_probs: np.ndarray) -> list[DigitScene]:
    """(N, 9, 11) per-place log-probabilities -> the most probable valid scene of each image."""
    scenes, maps = candidates()
    picked = log_probs[:, np.arange(CELLS)[None, :], maps]  # (N, 290, 9)
    return [scenes[k] for k in picked.sum(axis=2).argmax(axis=1)]


def attribute_hits(pred: DigitScene, truth: DigitScene) -> dict:
    """{attribute: True/False}, only for the attributes the true scene has."""
    pred, truth = canonical(pred), canonical(truth)
    hits = {"digit1": pred.digits[0] == truth.digits[0], "count": len(pred.digits) == len(truth.digits),
            "all": pred == truth}
    if len(truth.digits) == 1:
        hits["position"] = len(pred.digits) == 1 and pred.position == truth.position
    else:
        hits["digit2"] = len(pred.digits) == 2 and pred.digits[1] == truth.digits[1]
        hits["relation"] = len(pred.digits) == 2 and pred.relation == truth.relation
    return hits


def attribute_accuracy(preds, truths) -> dict:
    """{attribute: {"accuracy", "n"}}; accuracy is None where no scene has the attribute."""
    if len(preds) != len(truths):
        raise GendslError(f"{len(preds)} predictions for {len(truths)} scenes")
    hits = [attribute_hits(p, t) for p, t in zip(preds, truths)]
    out = {}
    for name in ATTRIBUTES:
        values = [h[name] for h in hits if name in h]
        out[name] = {"accuracy": float(np.mean(values)) if values else None, "n": len(values)}
    return out


# ---- the network
def to_input(images) -> np.ndarray:
    """uint8 (N, S, S, 3) -> float32 (N, 32, 32, 1) in 0..1: gray, area-downsampled when S > 32."""
    from .judge import to_input as judge_input
    return judge_input(images, gray=True, who="the digits judge")


def build(config: Config, seed: int = 0):
    """32x32x1 in 0..1 -> (N, 9, 11) logits, one row per place in POSITION order."""
    import keras
    from keras import layers

    counter = iter(range(seed * 100, seed * 100 + 100))

    def init():
        return keras.initializers.HeNormal(seed=next(counter))

    x = inputs = keras.Input((INPUT, INPUT, 1), name="canvas")
    x = layers.Rescaling(2.0, offset=-1.0)(x)
    for width in config.widths:
        x = layers.Conv2D(width, 3, padding="same", use_bias=False, kernel_initializer=init())(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(config.head, 2, padding="valid", activation="relu", kernel_initializer=init())(x)  # 3x3
    x = layers.Conv2D(CLASSES, 1, kernel_initializer=keras.initializers.GlorotUniform(seed=next(counter)))(x)
    return keras.Model(inputs, layers.Reshape((CELLS, CLASSES))(x), name="judge_digits")


@dataclass
class DigitsJudge:
    config: Config
    net: object  # keras.Model from build()
    card: dict = field(default_factory=dict)  # how it was trained and what it scored

    batch = 512

    def log_probs(self, images) -> np.ndarray:
        """float32 (N, 9, 11): per place, log p(empty, digit 0..9)."""
        x = to_input(images)
        out = [np.asarray(self.net(x[s:s + self.batch], training=False)) for s in range(0, len(x), self.batch)]
        logits = np.concatenate(out) if out else np.zeros((0, CELLS, CLASSES), np.float32)
        logits = logits - logits.max(axis=-1, keepdims=True)
        return (logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))).astype(np.float32)

    def scenes(self, images) -> list[DigitScene]:
        return decode(self.log_probs(images))

    def fingerprint(self) -> str:
        from .judge import fingerprint
        return fingerprint(self.net)

    def save(self, path, readme: str | None = None) -> Path:
        from ..world.digits import world_signature
        from .judge import save_folder
        return save_folder(self, path, KIND, FORMAT, {"world": world_signature()}, readme)

    @classmethod
    def load(cls, path=DEFAULT) -> "DigitsJudge":
        from ..world.digits import world_signature
        from .judge import load_folder

        def world_problem(data: dict) -> str | None:
            return None if data.get("world") == world_signature() else \
                "was trained on another version of the digits world than this gendsl's"

        return load_folder(path, KIND, FORMAT, "digits judge", world_problem,
                           lambda config, card: cls(config, build(config), card), Config.from_dict,
                           hint="; train one with: gendsl train digits-judge --out runs/judge-digits")
