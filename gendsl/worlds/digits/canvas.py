"""The digits world: scikit-learn's handwritten digits placed on a 32 x 32 canvas by a caption.

    image = render(scene, seed)                  # float32 (32, 32) in [0, 1], ink 1 on 0
    data = dataset(2000, seed=0, split="train")  # images, conditioning vectors, scenes, captions

After alignDRAW's captioned MNIST (Mansimov et al. 2016), at the size of the
bundled digits: each 8 x 8 digit is drawn 16 x 16 (bilinear) into one of the
nine places of a 3 x 3 grid (steps of 8 px), jittered by up to JITTER px.
"A above B" puts A at the top and B at the bottom; "A left of B" puts A on
the left and B on the right. The glyph a digit is drawn with is picked by the
seed from the train or the test glyphs (a fixed split of the 1797 digits), so
a judge is scored on handwriting it never saw. Some digit/position
combinations are held out of train and test: each is made of pieces the
training data shows elsewhere (the 3 at the top, the 9 at the bottom), so a
model's generalization to new combinations can be measured.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from ...lang.noise import as_noise
from ...lang.seeds import stream
from .data import images, split
from .language import (CANONICAL_RELATIONS, DIGIT, DIM, POSITION, RELATION, DigitScene, blocks, canonical,
                       encode)

VERSION = "1"  # bump when any scene is drawn differently
CANVAS, GLYPH, STEP, JITTER = 32, 16, 8, 2
CELLS = len(POSITION.values)  # the 3 x 3 places, in POSITION order
LABELS = CELLS * 10  # digit-in-place label units: cell-major
RELATION_CELLS = {"above": ("top", "bottom"), "left of": ("left", "right")}

# (digit, place) for lone digits, and (digit, relation, digit) pairs, never in train or test.
HELD_OUT_SINGLES = (("0", "top"), ("1", "bottom"), ("2", "left"), ("3", "right"), ("4", "top"),
                    ("5", "bottom"), ("6", "left"), ("7", "right"), ("8", "top"), ("9", "bottom"))
HELD_OUT_PAIRS = (("3", "above", "6"), ("1", "above", "7"), ("4", "above", "0"), ("8", "above", "5"),
                  ("6", "above", "2"), ("2", "left of", "8"), ("5", "left of", "1"), ("7", "left of", "4"),
                  ("9", "left of", "6"), ("0", "left of", "3"))
SINGLE_P = 0.4


def world_signature() -> dict:  # the rbm's and the digits judge's config.json hold this; so do digits cGANs
    """What a digits-conditioned model's conditioning means."""
    return {"world": "digits", "world_version": VERSION, "dim": DIM, "digit": list(DIGIT.values),
            "position": list(POSITION.values), "relation": list(CANONICAL_RELATIONS)}


@cache
def glyphs() -> tuple[np.ndarray, np.ndarray, dict]:
    """(16 x 16 glyphs float32 in [0, 1], their digits, {split: indices}) from the bundled digits."""
    from PIL import Image

    images_, labels = images()
    big = np.stack([np.asarray(Image.fromarray(im.astype(np.float32), mode="F").resize((GLYPH, GLYPH),
                                                                                       Image.BILINEAR))
                    for im in images_])
    train, test = split(len(labels), seed=0, test_fraction=0.2)
    return np.clip(big, 0, 1).astype(np.float32), labels, {"train": train, "test": test,
                                                           "all": np.arange(len(labels))}


def placements(scene: DigitScene) -> list[tuple[str, str]]:
    """(digit, place) for every digit of a scene: where the caption puts it."""
    scene = canonical(scene)
    if len(scene.digits) == 1:
        return [(scene.digits[0], scene.position)]
    first, second = RELATION_CELLS[scene.relation]
    return [(scene.digits[0], first), (scene.digits[1], second)]


def glyph_boxes(scene: DigitScene, seed, glyph_split: str = "all") -> list[tuple[str, int, int, int]]:
    """(digit, glyph index, top, left) of every digit a scene draws at this seed (an int or a lang.noise.Noise):
    where the seed's jitter puts it. With a variation seed, each digit takes the variation seed's glyph and
    jitter once the strength passes a point of its own along the way (a glyph is a discrete choice: it
    switches, as the scene world's designs do), so strength 1 draws the variation seed's canvas."""
    noise = as_noise(seed)
    _, labels, splits = glyphs()
    out = []
    for k, (digit, place) in enumerate(placements(scene)):
        source = noise.seed
        if not noise.plain and noise.strength >= stream(noise.variation_seed, "digits-switch", str(k)).random():
            source = noise.variation_seed
        rng = stream(source, "digits-glyph", str(k))
        candidates = splits[glyph_split][labels[splits[glyph_split]] == int(digit)]
        index = int(candidates[rng.integers(len(candidates))])
        row, col = divmod(POSITION.index(place), 3)
        dy, dx = rng.integers(-JITTER, JITTER + 1, size=2)
        out.append((digit, index, int(np.clip(row * STEP + dy, 0, CANVAS - GLYPH)),
                    int(np.clip(col * STEP + dx, 0, CANVAS - GLYPH))))
    return out


def render(scene: DigitScene, seed, glyph_split: str = "all") -> np.ndarray:
    """The canvas of a scene, float32 (32, 32) in [0, 1]; same scene and seed, same pixels."""
    pool = glyphs()[0]
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    for _, index, top, left in glyph_boxes(scene, seed, glyph_split):
        window = canvas[top:top + GLYPH, left:left + GLYPH]
        np.maximum(window, pool[index], out=window)
    return canvas


# ---- layout maps, for conditional models that draw each digit in its box (as the scene world's do)
MAP_CHANNELS, MASK_CHANNEL = 13, 12  # 0-9 the digit inside its box, 10-11 where in the box (u, v), 12 the box


def layout_maps(scene: DigitScene, seed, size: int) -> np.ndarray:
    """(size, size, MAP_CHANNELS): each digit's box where the seed puts it (the train glyphs' draws, so a
    training canvas and its maps agree), painted with the digit; the glyph's look is the model's to choose."""
    maps = np.zeros((size, size, MAP_CHANNELS), np.float32)
    scale = size / CANVAS
    uv = (np.arange(int(GLYPH * scale), dtype=np.float32) + 0.5) / (GLYPH * scale) * 2 - 1
    for digit, _, top, left in glyph_boxes(scene, seed, "train"):
        t, l, n = int(top * scale), int(left * scale), len(uv)
        box = maps[t:t + n, l:l + n]
        box[..., int(digit)] = 1.0
        box[..., 10], box[..., 11] = uv[None, :], uv[:, None]
        box[..., MASK_CHANNEL] = 1.0
    return maps


def to_rgb(canvases: np.ndarray) -> np.ndarray:
    gray = np.clip(np.rint(np.asarray(canvases) * 255), 0, 255).astype(np.uint8)
    return np.repeat(gray[..., None], 3, axis=-1)


# ---- conditioning for models that clamp digit-in-place labels (the class-conditional RBM)
def cell_labels(cond: np.ndarray) -> np.ndarray:
    """(N, DIM) conditioning vectors -> (N, 90) digit-in-place labels, cell-major.

    Bilinear in the vector (a lone digit's one-hot times its place's; a pair's digits times the places its
    relation gives them), so one-hot vectors give exactly the placements and a morph's mixes give mixes.
    """
    cond = np.asarray(cond, np.float32).reshape(-1, DIM)
    (_, a, b), (_, p, q), (_, r, s), (_, c, d) = blocks()
    labels = np.einsum("np,nd->npd", cond[:, p:q], cond[:, a:b])
    for index, relation in enumerate(CANONICAL_RELATIONS):
        first, second = (POSITION.index(place) for place in RELATION_CELLS[relation])
        weight = cond[:, r + index][:, None]
        labels[:, first] += weight * cond[:, a:b]
        labels[:, second] += weight * cond[:, c:d]
    return labels.reshape(len(cond), LABELS)


# ---- scenes, held-out combinations, captions, datasets
def is_held_out(scene: DigitScene) -> bool:
    scene = canonical(scene)
    if len(scene.digits) == 1:
        return (scene.digits[0], scene.position) in HELD_OUT_SINGLES
    return (scene.digits[0], scene.relation, scene.digits[1]) in HELD_OUT_PAIRS


def sample_scene(rng: np.random.Generator, held_out: bool = False) -> DigitScene:
    """A random canonical scene: outside the held-out set, or (held_out=True) inside it."""
    if held_out:
        if rng.random() < 0.5:
            digit, place = HELD_OUT_SINGLES[rng.integers(len(HELD_OUT_SINGLES))]
            return DigitScene((digit,), place)
        a, relation, b = HELD_OUT_PAIRS[rng.integers(len(HELD_OUT_PAIRS))]
        return DigitScene((a, b), None, relation)
    while True:
        if rng.random() < SINGLE_P:
            scene = DigitScene((DIGIT.values[rng.integers(10)],), POSITION.values[rng.integers(CELLS)])
        else:
            relation = RELATION.values[rng.integers(len(RELATION.values))]
            scene = canonical(DigitScene((DIGIT.values[rng.integers(10)], DIGIT.values[rng.integers(10)]), None,
                                         relation))
        if not is_held_out(scene):
            return scene


def caption(scene: DigitScene, rng: np.random.Generator) -> str:
    """One of the many phrasings of a scene; every one compiles back to the scene."""
    def pick(options):
        return options[rng.integers(len(options))]

    def digit(d: str) -> str:
        return pick([f"the digit {d}", f"{'an' if d == '8' else 'a'} {d}", f"the number {d}", f"the digit {_word(d)}"])

    scene = canonical(scene)
    if len(scene.digits) == 1:
        phrases = [p for p, v in POSITION.phrases.items() if v == scene.position]
        return f"{digit(scene.digits[0])} is {pick(phrases)}{pick(['', ' of the image'])}"
    if rng.random() < 0.5:  # say it the other way round
        mirrored = {"above": "below", "left of": "right of"}[scene.relation]
        phrases = [p for p, v in RELATION.phrases.items() if v == mirrored]
        return f"{digit(scene.digits[1])} is {pick(phrases)} {digit(scene.digits[0])}"
    phrases = [p for p, v in RELATION.phrases.items() if v == scene.relation]
    return f"{digit(scene.digits[0])} is {pick(phrases)} {digit(scene.digits[1])}"


def _word(d: str) -> str:
    return ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")[int(d)]


def dataset(n: int, seed: int = 0, split: str = "train") -> dict:
    """n canvases of one split: train (train glyphs), test (test glyphs), heldout (test glyphs, held-out scenes).

    Returns images float32 (n, 32, 32), cond float32 (n, DIM), scenes, captions and seeds.
    """
    if split not in ("train", "test", "heldout"):
        raise ValueError(f"split is train, test or heldout, not {split!r}")
    rng = stream(seed, "digits-dataset", split)
    scenes = [sample_scene(rng, held_out=split == "heldout") for _ in range(n)]
    seeds = [int(s) for s in rng.integers(0, 2**31, n)]
    glyph_split = "train" if split == "train" else "test"
    images = np.stack([render(s, k, glyph_split) for s, k in zip(scenes, seeds)]) if n else \
        np.zeros((0, CANVAS, CANVAS), np.float32)
    cond = np.stack([encode(s) for s in scenes]) if n else np.zeros((0, DIM), np.float32)
    captions = [caption(s, stream(k, "digits-caption")) for s, k in zip(scenes, seeds)]
    return {"images": images, "cond": cond, "scenes": scenes, "captions": captions, "seeds": seeds}
