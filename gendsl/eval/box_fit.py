"""Training the box judge (box_judge.py) on a world dataset, through the one training driver, and its card.

    train_box_judge("data/world32-judge", "runs/box", epochs=6)
    gendsl train box-judge --data data/world32-judge --out runs/box --epochs 6      # the same; --resume continues

Its examples are crops: every planned instance of the train split and of the even-numbered heldout images
(where the world's planner put it at the image's seed), and crops of empty ground. A batch of crops is cut
from its pictures blurred and noised from the batch's own stream, so a resumed run is the run that was not
stopped. It is scored on the test split and the odd-numbered heldout images.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..io import atomic_write_text
from ..worlds.scene.encode import decode
from ..lang.seeds import stream
from .augment import blur
from . import box_judge as box_judge_module
from .box_judge import NOTHING, WINDOWS, BoxConfig, BoxJudge, crop, empty_box, instances, touches
from .fit import heldout_part
from .net_training import NetTraining


def _empty_crop(boxes_of_image: list, rng, windows: float):
    """Ground or sky away from the planned instances: one of the windows that 'nothing else' reads (a share
    `windows` of the time, among those that touch no planned box), or else a random box."""
    if windows > 0 and rng.random() < windows:  # (no draw at 0: older runs replay their crops)
        planned = np.array(boxes_of_image).reshape(-1, 4)
        free = [w for w in WINDOWS if not touches(w, planned)]
        if free:
            return free[int(rng.integers(len(free)))]
    return empty_box(boxes_of_image, rng)


def _jitter(boxes: np.ndarray, which: np.ndarray, amount: float, rng) -> np.ndarray:
    """Boxes (M, 4) with those `which` picks rescaled by exp(U(-amount, amount)) on each axis and moved by up to
    amount/2 of their size: the judge must read the thing in the crop, not the crop's shape (a car cropped to a
    boat's taller box was read as a boat)."""
    size = boxes[:, 2:] - boxes[:, :2]
    centre = (boxes[:, 2:] + boxes[:, :2]) / 2 + rng.uniform(-amount / 2, amount / 2, size.shape) * size
    size = size * np.exp(rng.uniform(-amount, amount, size.shape))
    moved = np.concatenate([centre - size / 2, centre + size / 2], axis=1)
    return np.where(which[:, None], moved, boxes)


def crowded_renders(n: int, size: int, seed: int) -> tuple[np.ndarray, list, list]:
    """n world renders of three-item scenes, alternately seen and held-out compositions, from the run's own
    stream (never the evaluation's scenes). A dataset holds few of them (8% of its pictures), and they are where
    the judge misses: small instances in a crowd, a balloon against a sun, grey against black or white."""
    from ..limits import MAX_SEED
    from ..worlds.scene.render import render_scene
    from ..worlds.scene.sample import is_held_out, sample_held_out_scene, sample_scene

    scenes, seeds = [], []
    rng = stream(seed, "box-judge-crowd")
    while len(scenes) < n:
        held_out = len(scenes) % 2 == 1
        scene = sample_held_out_scene(rng) if held_out else sample_scene(rng)
        if len(scene.items) == 3 and is_held_out(scene) == held_out:
            scenes.append(scene)
            seeds.append(int(rng.integers(MAX_SEED + 1)))
    images = np.stack([render_scene(s, k, size) for s, k in zip(scenes, seeds)]) if n else \
        np.zeros((0, size, size, 3), np.uint8)
    return images, scenes, seeds


def _swap_sizes(boxes: np.ndarray, which: np.ndarray, every_box: np.ndarray, rng) -> np.ndarray:
    """Boxes (M, 4) with those `which` picks given the width and height of a random box of the data, about the
    same centre: a balloon cut at an airplane's wide box is still a balloon (without it, the judge learnt to read
    a wide box in the sky as an airplane)."""
    other = every_box[rng.integers(0, len(every_box), len(boxes))]
    half = (other[:, 2:] - other[:, :2]) / 2
    centre = (boxes[:, 2:] + boxes[:, :2]) / 2
    return np.where(which[:, None], np.concatenate([centre - half, centre + half], axis=1), boxes)


class BoxTrainData:
    """The crops a box judge learns from: (picture, box, object, colour) rows over a dataset's pictures, held in
    memory; empty-ground crops join as 'nothing'."""

    def __init__(self, data_dir, config: BoxConfig, seed: int = 0):
        from ..worlds.scene.dataset import load_split

        images, cond, records = load_split(data_dir, "train")
        h_images, h_cond, h_records = load_split(data_dir, "heldout")
        part = heldout_part(len(h_images), training=True)
        scenes = [decode(c) for c in np.concatenate([cond, h_cond[part]])]
        seeds = [r["seed"] for r in records] + [h_records[i]["seed"] for i in part]
        extra, extra_scenes, extra_seeds = crowded_renders(config.crowded, images.shape[1], seed)
        self.images = np.concatenate([np.asarray(images), np.asarray(h_images[part]), extra])
        scenes, seeds = scenes + extra_scenes, seeds + extra_seeds
        image, _, box, obj, color = instances(scenes, seeds)
        rng = stream(seed, "box-judge-empty")
        by_image: dict[int, list] = {}
        for i, b in zip(image, box):
            by_image.setdefault(int(i), []).append(b)
        n_empty = int(len(image) * config.empty_share / (1 - config.empty_share))
        empty = [(int(i), _empty_crop(by_image.get(int(i), []), rng, config.empty_windows))
                 for i in rng.integers(0, len(self.images), n_empty)]
        empty = [(i, b) for i, b in empty if b is not None]
        self.image = np.concatenate([image, [i for i, _ in empty]]).astype(np.int64)
        self.box = np.concatenate([box, np.array([b for _, b in empty]).reshape(-1, 4)])
        self.obj = np.concatenate([obj, np.full(len(empty), NOTHING)]).astype(np.int64)
        self.color = np.concatenate([color, np.full(len(empty), -1)]).astype(np.int64)
        self.empty, self.config, self.seed = len(empty), config, seed

    def __len__(self) -> int:
        return len(self.image)

    def batch(self, indices: np.ndarray) -> dict:
        pick, c = np.sort(indices), self.config
        rng = stream(self.seed, "box-judge-batch", hashlib.sha256(pick.tobytes()).hexdigest()[:16])
        sources, inverse = np.unique(self.image[pick], return_inverse=True)
        x = self.images[sources].astype(np.float32) / 255.0
        sigma = np.where(rng.random(len(x)) < c.blur_p, rng.uniform(0, c.blur_max, len(x)), 0.0)
        x = blur(x, sigma)
        x = x + rng.normal(0, 1, x.shape) * rng.uniform(0, c.noise_max, (len(x), 1, 1, 1))
        box = self.box[pick]
        if c.box_swap > 0:  # (no draw without it: older runs replay their batches)
            box = _swap_sizes(box, (self.obj[pick] != NOTHING) & (rng.random(len(box)) < c.box_swap), self.box, rng)
        if c.box_jitter > 0:
            box = _jitter(box, self.obj[pick] != NOTHING, c.box_jitter, rng)
        return {"crops": crop(np.clip(x, 0, 1).astype(np.float32), inverse, box),
                "object": self.obj[pick], "color": self.color[pick]}


class BoxJudgeTraining(NetTraining):
    """A box judge as the training driver sees a model: train_step, state_variables, metrics, save."""

    kind = "box-judge"

    def __init__(self, judge: BoxJudge, total_steps: int, card: dict):
        import keras

        self.judge, self.config, self.card = judge, judge.config, card
        self.start(judge.net, keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(judge.config.learning_rate,
                                                                                           total_steps)))

    def loss_of(self, batch):
        import tensorflow as tf

        yo, yc = batch["object"], batch["color"]
        lo, lc = self.net(batch["crops"], training=True)
        loss_o = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yo, lo))
        said = tf.cast(yc >= 0, tf.float32)
        loss_c = tf.reduce_sum(said * tf.nn.sparse_softmax_cross_entropy_with_logits(tf.maximum(yc, 0), lc)) / \
            tf.maximum(tf.reduce_sum(said), 1.0)
        return loss_o + loss_c

    def save(self, out, card: str = "") -> None:
        """The judge's folder; the driver has written the run's summary (run.json) just before."""
        run = json.loads((Path(out) / "run.json").read_text())
        self.judge.card = {**self.card, "steps": run["steps"], "wall_s": run.get("seconds_total"),
                           "final_loss": run.get("final_losses")}
        self.judge.save(out, readme=None)


def train_box_judge(data_dir, out_dir, epochs: int = 6, batch_size: int = 256, seed: int = 0,
                    config: BoxConfig = BoxConfig(), progress: bool = True, command: str = "", resume: bool = False,
                    checkpoint_every: int = 500, steps: int | None = None) -> BoxJudge:
    """Train on the train split (and the even-numbered heldout images) of a world dataset into out_dir, through
    the one training driver. `epochs` sets the learning-rate schedule's length; `steps` stops the run earlier
    (resume it later with the same epochs)."""
    import keras

    from ..train import TrainConfig, train

    keras.utils.set_random_seed(seed)  # the network's initial weights; the driver derives everything else
    data = BoxTrainData(data_dir, config, seed)
    judge = BoxJudge(config)
    schedule = epochs * (len(data) // batch_size)
    card = {"command": command, "data": str(data_dir), "epochs": epochs, "batch_size": batch_size, "seed": seed,
            "training_crops": len(data), "empty_crops": data.empty}
    model = BoxJudgeTraining(judge, schedule, card)
    stop = min(steps or schedule, schedule)
    train(model, data, out_dir, TrainConfig(steps=stop, batch_size=batch_size, seed=seed,
                                            checkpoint_every=checkpoint_every, sample_every=stop),
          resume=resume, progress=progress, command=command)
    return judge


def card_text(judge: BoxJudge, scores: dict) -> str:
    """The model card: how it was trained and what it scores on world renders."""
    lines = ["# box-judge-world-32", "", box_judge_module.__doc__.split("\n\n", 1)[1].strip(), "", "## How it was trained", "",
             f"- command: `{judge.card.get('command') or '(from Python)'}`",
             f"- {judge.card.get('training_crops')} crops ({judge.card.get('empty_crops')} of empty ground), "
             f"{judge.card.get('epochs')} epochs at batch {judge.card.get('batch_size')} "
             f"({judge.card.get('steps')} steps), {judge.card.get('wall_s')} s; final loss "
             f"{judge.card.get('final_loss', judge.card.get('losses'))}",
             f"- config: `{json.dumps(asdict(judge.config))}`", "", "## World renders it never trained on", "",
             "| split | items | images | object | colour | all |", "|---|---|---|---|---|---|"]
    for name, row in scores.items():
        lines.append(f"| {name} | {row['items']} | {row['n']} | {100 * row['object']:.1f} | {100 * row['color']:.1f} | "
                     f"{100 * row['all']:.1f} |")
    return "\n".join(lines) + "\n"


def score_on_world(judge: BoxJudge, data_dir, blur_sigma: float = 0.0) -> dict:
    """Accuracy on the test split and the odd-numbered heldout images, by number of items."""
    from ..worlds.scene.dataset import load_split

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


def train_and_report(data_dir, out_dir, epochs: int, seed: int, progress: bool, command: str, resume: bool = False,
                     checkpoint_every: int = 500, config: BoxConfig = BoxConfig()) -> BoxJudge:
    """`gendsl train box-judge`: train, save, and write the card with its scores on world renders."""
    judge = train_box_judge(data_dir, out_dir, epochs=epochs, seed=seed, progress=progress, command=command,
                            resume=resume, checkpoint_every=checkpoint_every, config=config)
    write_card(judge, out_dir, data_dir)
    return judge
