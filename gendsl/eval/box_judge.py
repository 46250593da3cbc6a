"""The box judge: reads each planned box of a picture, so scenes of two and three objects can be judged.

    boxes = BoxJudge.load()                                  # gendsl/weights/box-judge-world-32
    right = boxes.judge_items(images, scenes, seeds)         # per image: every item's object (and colour) right?

A scene's plan at an image's seed says where each instance stands (world.render.plan_scene);
the world draws there, and the learned models are handed the same boxes. So instead of
asking one network to find and tell apart up to three groups in a 32-px picture (the whole-
picture judge reads the world's own two-object renders at about 70% all-right), this judge
looks in each box: a crop around the instance, resized to CROP pixels, is classified as one
of the objects or as nothing there, and its colour. An item's verdict is the mean of its
instances' log-probabilities. This is SceneFID's object-centric reading (Sylvain et al. 2020)
turned into a classifier. Size, count and position are the layout's, by construction; place
and time come from the whole-picture judge.

It trains on world renders only, with blur and pixel noise (augment.py), plus crops of empty
ground, so a model that leaves a box empty is caught.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..io import atomic_write_text
from ..lang import vocab
from ..lang.encode import decode
from ..lang.errors import GendslError
from ..lang.ir import dominant
from ..lang.seeds import stream
from .augment import blur

KIND = "box-judge"
FORMAT = 1
CROP = 24  # crop side in pixels
MARGIN = 0.15  # each box is widened by this share of its size on every side ...
MIN_SIDE = 0.12  # ... and to at least this much of the canvas
NOTHING = len(vocab.OBJECT.values)  # the object class of an empty box
OBJECTS = (*vocab.OBJECT.values, "nothing")
DEFAULT = Path(__file__).resolve().parent.parent / "weights" / "box-judge-world-32"


@dataclass(frozen=True)
class BoxConfig:
    widths: tuple[int, ...] = (32, 64, 128)
    learning_rate: float = 2e-3
    blur_max: float = 1.2  # in 32-px pixels, applied to the whole picture before cropping
    blur_p: float = 0.75
    noise_max: float = 0.05
    empty_share: float = 0.15  # share of training crops taken from empty ground


def widen(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, 1e-3), max(y1 - y0, 1e-3)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(w * (1 + 2 * MARGIN), MIN_SIDE), max(h * (1 + 2 * MARGIN), MIN_SIDE)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def crop(images: np.ndarray, index: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Bilinear crops (M, CROP, CROP, 3) of float images (N, S, S, 3): box m of image index[m]."""
    s = images.shape[1]
    t = (np.arange(CROP) + 0.5) / CROP
    xs = (boxes[:, 0:1] + (boxes[:, 2:3] - boxes[:, 0:1]) * t) * s - 0.5
    ys = (boxes[:, 1:2] + (boxes[:, 3:4] - boxes[:, 1:2]) * t) * s - 0.5
    x0, y0 = np.floor(xs).astype(np.int64), np.floor(ys).astype(np.int64)
    wx, wy = (xs - x0)[:, None, :, None], (ys - y0)[:, :, None, None]
    m = index[:, None, None]

    def at(yy, xx):
        return images[m, np.clip(yy, 0, s - 1)[:, :, None], np.clip(xx, 0, s - 1)[:, None, :]]

    return ((1 - wy) * ((1 - wx) * at(y0, x0) + wx * at(y0, x0 + 1)) +
            wy * ((1 - wx) * at(y0 + 1, x0) + wx * at(y0 + 1, x0 + 1))).astype(np.float32)


def instances(scenes, seeds) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every planned instance: (image index, item index, widened box, object label, colour label or -1)."""
    from ..world.render import plan_scene

    rows = []
    for i, (scene, seed) in enumerate(zip(scenes, seeds)):
        for p in plan_scene(scene, seed).placements:
            color = scene.items[p.item].color
            rows.append((i, p.item, widen(p.box), vocab.OBJECT.index(p.object),
                         vocab.COLOR.index(dominant(color)) if color is not None else -1))
    if not rows:
        return (np.zeros(0, np.int64),) * 2 + (np.zeros((0, 4)),) + (np.zeros(0, np.int64),) * 2
    image, item, box, obj, color = zip(*rows)
    return (np.array(image), np.array(item), np.array(box, np.float64), np.array(obj), np.array(color))


def build(config: BoxConfig):
    import keras
    from keras import layers

    x = inp = keras.Input((CROP, CROP, 3), name="crop")
    for i, w in enumerate(config.widths):
        for k in range(2):
            x = layers.Conv2D(w, 3, padding="same", name=f"conv{i}_{k}")(x)
            x = layers.BatchNormalization(name=f"bn{i}_{k}")(x)
            x = layers.ReLU(name=f"relu{i}_{k}")(x)
        if i < len(config.widths) - 1:
            x = layers.MaxPooling2D(name=f"pool{i}")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dense(128, activation="relu", name="features")(x)
    obj = layers.Dense(len(OBJECTS), name="object")(x)
    color = layers.Dense(len(vocab.COLOR.values), name="color")(x)
    return keras.Model(inp, [obj, color], name="box_judge")


def _log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


class BoxJudge:
    def __init__(self, config: BoxConfig = BoxConfig(), card: dict | None = None):
        self.config, self.card = config, card or {}
        self.net = build(config)

    def logits(self, crops: np.ndarray, batch: int = 1024) -> tuple[np.ndarray, np.ndarray]:
        outs = [self.net(crops[s:s + batch], training=False) for s in range(0, len(crops), batch)]
        if not outs:
            return np.zeros((0, len(OBJECTS))), np.zeros((0, len(vocab.COLOR.values)))
        return tuple(np.concatenate([np.asarray(o[k]) for o in outs]) for k in range(2))

    def judge_items(self, images, scenes, seeds) -> dict:
        """Per image (N,): 'object' (every item's object right), 'color' (every said colour right; True
        when none is said), 'all' (both), and per item the predictions (for reports)."""
        from .judge import to_input

        x = to_input(np.asarray(images))  # area-downsampled to the judge's 32 px, floats in 0..1
        image, item, box, obj, color = instances(scenes, seeds)
        lo, lc = self.logits(crop(x, image, box))
        lo, lc = _log_softmax(lo), _log_softmax(lc)
        n = len(scenes)
        object_right, color_right = np.ones(n, bool), np.ones(n, bool)
        for i in range(n):
            for k, it in enumerate(scenes[i].items):
                mine = (image == i) & (item == k)
                if not mine.any():
                    continue
                if lo[mine].sum(0).argmax() != obj[mine][0]:
                    object_right[i] = False
                if color[mine][0] >= 0 and lc[mine].sum(0).argmax() != color[mine][0]:
                    color_right[i] = False
        return {"object": object_right, "color": color_right, "all": object_right & color_right}

    kind = KIND
    attributes = ("object", "color", "all")

    def score(self, images, scenes, seeds) -> dict:
        """{attribute: (right, counted)}, bool (N, 1): every item's object, every said colour, both: the judge
        protocol. It reads the boxes the world's planner puts each item in at its seed, so it needs the seeds."""
        right = self.judge_items(images, list(scenes), list(seeds))
        return {a: (right[a][:, None], np.ones((len(right[a]), 1), bool)) for a in self.attributes}

    def fingerprint(self) -> str:
        from .judge import fingerprint
        return fingerprint(self.net)

    def save(self, path, readme: str | None = None) -> Path:
        from .judge import save_folder
        return save_folder(self, path, KIND, FORMAT, {"objects": list(OBJECTS), "colors": list(vocab.COLOR.values),
                                                      "crop": CROP}, readme)

    @classmethod
    def load(cls, path=DEFAULT) -> "BoxJudge":
        from .judge import load_folder

        def problem(data: dict) -> str | None:
            ok = data.get("objects") == list(OBJECTS) and data.get("colors") == list(vocab.COLOR.values)
            return None if ok else "was trained on another vocabulary than this gendsl's world"

        def read(config: dict) -> BoxConfig:
            return BoxConfig(**{**config, "widths": tuple(config["widths"])})

        return load_folder(path, KIND, FORMAT, "box judge", problem, lambda config, card: cls(config, card), read,
                           " (train one with: gendsl train box-judge --data DATASET --out FOLDER)")


def _empty_boxes(boxes_of_image: list, rng) -> tuple[float, float, float, float] | None:
    """A box of ground or sky that overlaps no planned instance by more than a tenth of its area."""
    for _ in range(20):
        w, h = rng.uniform(0.15, 0.5), rng.uniform(0.12, 0.4)
        x0, y0 = rng.uniform(0, 1 - w), rng.uniform(0, 1 - h)
        b = (x0, y0, x0 + w, y0 + h)
        inter = sum(max(0, min(b[2], o[2]) - max(b[0], o[0])) * max(0, min(b[3], o[3]) - max(b[1], o[1]))
                    for o in boxes_of_image)
        if inter < 0.1 * w * h:
            return b
    return None


def train_box_judge(data_dir, out_dir, epochs: int = 6, batch_size: int = 256, seed: int = 0,
                    config: BoxConfig = BoxConfig(), progress: bool = True, command: str = "") -> BoxJudge:
    """Train on the train split (and the even-numbered heldout images) of a world dataset; score on the rest."""
    import keras
    import tensorflow as tf
    from tqdm import tqdm

    from ..world.dataset import load_split
    from .fit import heldout_part

    started = time.time()
    keras.utils.set_random_seed(seed)
    images, cond, records = load_split(data_dir, "train")
    h_images, h_cond, h_records = load_split(data_dir, "heldout")
    part = heldout_part(len(h_images), training=True)
    images = np.concatenate([np.asarray(images), np.asarray(h_images[part])]).astype(np.float32) / 255.0
    scenes = [decode(c) for c in np.concatenate([cond, h_cond[part]])]
    seeds = [r["seed"] for r in records] + [h_records[i]["seed"] for i in part]
    image, _, box, obj, color = instances(scenes, seeds)
    rng = stream(seed, "box-judge-empty")
    by_image: dict[int, list] = {}
    for i, b in zip(image, box):
        by_image.setdefault(int(i), []).append(b)
    n_empty = int(len(image) * config.empty_share / (1 - config.empty_share))
    empty = [(int(i), _empty_boxes(by_image.get(int(i), []), rng)) for i in rng.integers(0, len(images), n_empty)]
    empty = [(i, b) for i, b in empty if b is not None]
    image = np.concatenate([image, [i for i, _ in empty]]).astype(np.int64)
    box = np.concatenate([box, np.array([b for _, b in empty]).reshape(-1, 4)])
    obj = np.concatenate([obj, np.full(len(empty), NOTHING)]).astype(np.int64)
    color = np.concatenate([color, np.full(len(empty), -1)]).astype(np.int64)

    judge = BoxJudge(config)
    steps = epochs * (len(image) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, steps)
    optimizer = keras.optimizers.Adam(schedule)

    @tf.function
    def step(x, yo, yc):
        with tf.GradientTape() as tape:
            lo, lc = judge.net(x, training=True)
            loss_o = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yo, lo))
            said = tf.cast(yc >= 0, tf.float32)
            loss_c = tf.reduce_sum(said * tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(yc, 0), lc)) / \
                tf.maximum(tf.reduce_sum(said), 1.0)
            loss = loss_o + loss_c
        grads = tape.gradient(loss, judge.net.trainable_variables)
        optimizer.apply(grads, judge.net.trainable_variables)
        return loss

    losses = []
    bar = tqdm(total=steps, unit="step", disable=not progress, desc="box judge")
    for epoch in range(epochs):
        order = stream(seed, "box-judge-order", str(epoch)).permutation(len(image))
        total = 0.0
        for s in range(len(image) // batch_size):
            pick = np.sort(order[s * batch_size:(s + 1) * batch_size])
            sources, inverse = np.unique(image[pick], return_inverse=True)
            x = images[sources]
            sigma = np.where(rng.random(len(x)) < config.blur_p, rng.uniform(0, config.blur_max, len(x)), 0.0)
            x = blur(x, sigma)
            x = x + rng.normal(0, 1, x.shape) * rng.uniform(0, config.noise_max, (len(x), 1, 1, 1))
            crops = crop(np.clip(x, 0, 1).astype(np.float32), inverse, box[pick])
            total += float(step(crops, obj[pick], color[pick]))
            bar.update(1)
        losses.append(round(total / max(1, len(image) // batch_size), 4))
    bar.close()
    judge.card = {"command": command, "data": str(data_dir), "epochs": epochs, "batch_size": batch_size, "seed": seed,
                  "training_crops": int(len(image)), "empty_crops": len(empty), "losses": losses,
                  "wall_s": round(time.time() - started, 1)}
    if out_dir is not None:
        judge.save(out_dir, readme=None)
    return judge


def load_default() -> BoxJudge:
    if not (DEFAULT / "config.json").is_file():
        raise GendslError(f"the shipped box judge is missing from {DEFAULT}")
    return BoxJudge.load(DEFAULT)


def card_text(judge: BoxJudge, scores: dict) -> str:
    """The model card: how it was trained and what it scores on world renders."""
    lines = ["# box-judge-world-32", "", __doc__.split("\n\n", 1)[1].strip(), "", "## How it was trained", "",
             f"- command: `{judge.card.get('command') or '(from Python)'}`",
             f"- {judge.card.get('training_crops')} crops ({judge.card.get('empty_crops')} of empty ground), "
             f"{judge.card.get('epochs')} epochs at batch {judge.card.get('batch_size')}, "
             f"{judge.card.get('wall_s')} s; losses per epoch {judge.card.get('losses')}",
             f"- config: `{json.dumps(asdict(judge.config))}`", "", "## World renders it never trained on", "",
             "| split | items | images | object | colour | all |", "|---|---|---|---|---|---|"]
    for name, row in scores.items():
        lines.append(f"| {name} | {row['items']} | {row['n']} | {100 * row['object']:.1f} | {100 * row['color']:.1f} | "
                     f"{100 * row['all']:.1f} |")
    return "\n".join(lines) + "\n"


def score_on_world(judge: BoxJudge, data_dir, blur_sigma: float = 0.0) -> dict:
    """Accuracy on the test split and the odd-numbered heldout images, by number of items."""
    from ..world.dataset import load_split
    from .fit import heldout_part

    out = {}
    for split in ("test", "heldout"):
        images, cond, records = load_split(data_dir, split)
        keep = np.arange(len(images)) if split == "test" else heldout_part(len(images), training=False)
        x = np.asarray(images[keep])
        if blur_sigma:
            x = np.clip(np.rint(blur(x.astype(np.float32) / 255, blur_sigma) * 255), 0, 255).astype(np.uint8)
        scenes = [decode(c) for c in cond[keep]]
        right = judge.judge_items(x, scenes, [records[i]["seed"] for i in keep])
        items = np.array([len(s.items) for s in scenes])
        for k in (1, 2, 3):
            m = items == k
            if m.any():
                out[f"{split}{' blur' + str(blur_sigma) if blur_sigma else ''}, {k} item{'s' if k > 1 else ''}"] = {
                    "items": k, "n": int(m.sum()),
                    **{a: float(right[a][m].mean()) for a in ("object", "color", "all")}}
    return out


def write_card(judge: BoxJudge, out_dir, data_dir) -> dict:
    scores = {**score_on_world(judge, data_dir), **score_on_world(judge, data_dir, 1.0)}
    atomic_write_text(Path(out_dir) / "README.md", card_text(judge, scores))
    return scores


def train_and_report(data_dir, out_dir, epochs: int, seed: int, progress: bool, command: str) -> BoxJudge:
    """`gendsl train box-judge`: train, save, and write the card with its scores on world renders."""
    judge = train_box_judge(data_dir, out_dir, epochs=epochs, seed=seed, progress=progress, command=command)
    write_card(judge, out_dir, data_dir)
    return judge
