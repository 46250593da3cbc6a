"""Training the judge on a world dataset, and the accuracy report that goes in its model card.

    judge = train_judge("data/world32-judge", "gendsl/weights/judge-world-32", epochs=14, batch_size=128, seed=0)
    gendsl train judge --data data/world32-judge --out runs/judge --epochs 14      # the same; --resume continues

The dataset is one built by gendsl.worlds.scene.dataset at size 32. The judge learns
from its train split and from every other image of its heldout split (held-out
compositions are held out of the generators' training, not of the judge's: a
judge that never saw a boat in a parking lot leans on the place and calls it a
car, and would mark down a generator that drew it right). It is scored on the
test split and on the heldout images it did not train on.
The loss is permutation-invariant over item slots: per image, the smallest of
the summed slot losses over the 6 assignments of predicted slots to the
scene's slots, since the canonical item order is not always what the picture
shows. Beside it, a per-cell loss on the layout the world drew
(labels.cell_targets) teaches what objects look like wherever they stand.
Unspecified attributes carry no loss (labels.py).

It trains through the one training driver (gendsl.train): checkpoints, `--resume`,
log.csv. Same seed, same batches (each augmented from its own stream), same initial
weights: a resumed run is the run that was not stopped.

Measured (one seed each, 14 epochs, test split): without gradient clipping 87%
object / 72% all-right; with Config.clipnorm = 1.0, 92% / 81%. The attention
head's start is touchy, and clipping steadies it.
"""
from __future__ import annotations

import hashlib
import shlex
from contextlib import nullcontext
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
from tqdm import tqdm

from ..hardware import hardware
from ..worlds.scene.encode import decode
from ..lang.errors import GendslError
from ..lang.seeds import stream
from ..worlds.scene.dataset import load_split
from . import augment as aug
from .judge import INPUT, Config, Judge, build
from .labels import (CENTRES, PERMUTATIONS, SCENE_HEADS, SCENE_SLICES, SLOT_HEADS, SLOT_SLICES, SLOT_WIDTH, SLOTS,
                     cell_targets, targets_batch)
from .net_training import NetTraining

REPORT_BLUR = 1.0  # sigma (32-px pixels) of the blurred accuracy figures


def _loss_fn():
    """The permutation-invariant loss as a TF function of (logits, slot targets, scene targets)."""
    import tensorflow as tf

    # assign[p, i, j] = 1 when permutation p gives predicted slot i to the scene's slot j
    assign = tf.constant(np.eye(SLOTS, dtype=np.float32)[PERMUTATIONS].transpose(0, 2, 1))

    def loss(logits, slot_t, scene_t, cells=None, cell_t=None, cell_weight=0.0, centres=None, centre_weight=0.0):
        slots = tf.reshape(logits[:, :SLOTS * SLOT_WIDTH], (-1, SLOTS, SLOT_WIDTH))
        scene = logits[:, SLOTS * SLOT_WIDTH:]
        cost = 0.0  # cost[b, i, j]: predicted slot i against the scene's slot j, summed over heads
        for k, (name, values) in enumerate(SLOT_HEADS):
            logp = tf.nn.log_softmax(slots[..., SLOT_SLICES[name]])
            onehot = tf.one_hot(slot_t[..., k], len(values))  # all zero where the target is -1: masked
            cost += -tf.einsum("bik,bjk->bij", logp, onehot)
        slot_loss = tf.reduce_min(tf.einsum("bij,pij->bp", cost, assign), axis=1)
        scene_loss = 0.0
        for k, (name, values) in enumerate(SCENE_HEADS):
            logp = tf.nn.log_softmax(scene[:, SCENE_SLICES[name]])
            scene_loss += -tf.reduce_sum(logp * tf.one_hot(scene_t[:, k], len(values)), axis=1)
        total = tf.reduce_mean(slot_loss + scene_loss)
        if cells is not None:
            cell_loss = 0.0
            for k, (name, values) in enumerate(SLOT_HEADS):
                logp = tf.nn.log_softmax(cells[..., SLOT_SLICES[name]])
                cell_loss += -tf.reduce_sum(logp * tf.one_hot(cell_t[..., k], len(values)), axis=-1)
            total += cell_weight * tf.reduce_mean(cell_loss)
        if centres is not None:  # squared error per picture, summed over its cells: a few cells hold centres
            error = tf.square(centres[..., 0] - tf.cast(cell_t[..., CENTRES], centres.dtype))
            total += centre_weight * tf.reduce_mean(tf.reduce_sum(error, axis=(1, 2)))
        return total

    return loss


def load_targets(cond: np.ndarray, records: list[dict], grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slot, scene and cell targets of a split, from its conditioning vectors and image seeds."""
    scenes = [decode(v) for v in cond]
    slot_t, scene_t = targets_batch(scenes)
    cells = np.stack([cell_targets(s, r["seed"], grid) for s, r in zip(scenes, records)]).astype(np.int8)
    return slot_t, scene_t, cells


def heldout_part(n: int, training: bool) -> np.ndarray:
    """Indices of the heldout split the judge trains on (even ones) or is scored on (odd ones)."""
    return np.arange(0 if training else 1, n, 2)


class JudgeTrainData:
    """A dataset's judge examples (its train split and the even-numbered heldout images) and their targets,
    in memory. A batch is augmented from its own examples' stream, so a step gets the same batch in any run,
    resumed or not."""

    def __init__(self, data_dir, config: Config, seed: int = 0, heldout: bool = True, max_images: int | None = None):
        images, cond, records = load_split(data_dir, "train")
        if images.shape[1] != INPUT:
            raise GendslError(f"the judge trains on {INPUT}-px renders; {data_dir} holds {images.shape[1]}-px images")
        images = np.asarray(images)  # into memory: random batches from a memmap are slow
        if heldout:
            h_images, h_cond, h_records = load_split(data_dir, "heldout")
            part = heldout_part(len(h_images), training=True)
            images = np.concatenate([images, np.asarray(h_images[part])])
            cond = np.concatenate([cond, h_cond[part]])
            records = records + [h_records[i] for i in part]
        if max_images is not None:
            images, cond, records = images[:max_images], cond[:max_images], records[:max_images]
        self.images, self.config, self.seed = images, config, seed
        self.slot_t, self.scene_t, self.cell_t = load_targets(cond, records, config.grid)

    def __len__(self) -> int:
        return len(self.images)

    def batch(self, indices: np.ndarray) -> dict:
        idx, c = np.sort(indices), self.config
        rng = stream(self.seed, "judge-batch", hashlib.sha256(idx.tobytes()).hexdigest()[:16])
        x, cells = aug.augment(self.images[idx].astype(np.float32) / 255.0, rng, c.blur_max, c.blur_p, c.noise_max,
                               c.flip, self.cell_t[idx])
        return {"image": x, "slots": self.slot_t[idx].astype(np.int32), "scene": self.scene_t[idx].astype(np.int32),
                "cells": cells.astype(np.int32)}


class JudgeTraining(NetTraining):
    """The judge's network as the training driver (gendsl.train) sees a model: train_step, state_variables,
    metrics, and save, which writes the judge's folder with its card and its own accuracy report."""

    kind = "judge"

    def __init__(self, config: Config, seed: int, total_steps: int, card: dict, data_dir, report: bool):
        import keras

        self.config = config
        schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, total_steps, alpha=0.02)
        self.start(build(config, seed), keras.optimizers.AdamW(schedule, weight_decay=config.weight_decay,
                                                              global_clipnorm=config.clipnorm))
        self.loss_fn = _loss_fn()
        self.card, self.data_dir, self.report, self.judge = card, data_dir, report, None

    def loss_of(self, batch):
        out = self.net(batch["image"], training=True)
        return self.loss_fn(out["logits"], batch["slots"], batch["scene"], out["cells"], batch["cells"],
                            self.config.cell_weight, out.get("centres"), self.config.centre_weight)

    def save(self, out, card: str = "") -> None:
        """The judge's folder; the driver has written the run's summary (run.json) just before."""
        import json

        run = json.loads((Path(out) / "run.json").read_text())
        self.judge = Judge(self.config, self.net)
        self.judge.card = {**self.card, "steps": run["steps"], "wall_s": run.get("seconds_total"),
                           "images_per_s": run.get("images_per_s"), "hardware": hardware(),
                           "load_average": [self.card.get("load_average"), _load()],
                           "parameters": int(self.net.count_params()), "final_loss": run.get("final_losses"),
                           "report": self_report(self.judge, self.data_dir) if self.report else None}
        self.judge.save(out)


def train_judge(data_dir, out_dir, epochs: int = 14, batch_size: int = 128, seed: int = 0,
                progress: bool = True, config: Config | None = None, *, heldout: bool = True,
                max_images: int | None = None, report: bool = True, command: list[str] | None = None,
                resume: bool = False, checkpoint_every: int = 500, steps: int | None = None,
                init_from=None) -> Judge:
    """Train a judge on data_dir's train split and half its heldout split, through the one training driver
    (checkpoints every `checkpoint_every` steps, `resume`, log.csv); score it on the rest; save it to out_dir.

    epochs: whole passes over the examples: the learning-rate schedule's length (epochs x examples // batch_size
    steps); `steps` stops the run earlier (resume it later with the same epochs).
    heldout: also train on the even-numbered heldout images (False: the train split alone).
    max_images: use only the first this many training images (tests, quick trials).
    report: score it on the test and heldout splits for its model card (a minute or two at full size).
    command: the command line that asked for it, for the model card.
    init_from: a saved judge of the same network shape whose weights the run starts from (the optimizer and the
    learning-rate schedule start afresh), e.g. to train an option such as tally_detached on from a shipped judge.
    out_dir None: train in a temporary folder and keep only the returned judge.
    """
    from ..train import TrainConfig, train

    config = config or Config()
    if epochs < 1 or batch_size < 1:
        raise GendslError("epochs and batch_size must be at least 1")
    data = JudgeTrainData(data_dir, config, seed, heldout, max_images)
    batch_size = min(batch_size, len(data))
    schedule = len(data) // batch_size * epochs
    steps = min(steps or schedule, schedule)
    extra = "" if heldout else ", heldout=False"
    if config.changed():
        fields = ", ".join(f"{k}={v!r}" for k, v in config.changed().items())
        extra += f", config=gendsl.eval.JudgeConfig({fields})"
    call = (f"gendsl.eval.train_judge({str(data_dir)!r}, {str(out_dir)!r}, epochs={epochs}, "
            f"batch_size={batch_size}, seed={seed}{extra})")
    card = {"call": call, "command": shlex.join(command) if command else None,
            "data": _data_summary(data_dir, len(data), heldout), "epochs": epochs, "batch_size": batch_size,
            "seed": seed, "load_average": _load()}
    model = JudgeTraining(config, seed, schedule, card, data_dir, report)
    if init_from is not None:  # a resumed run then reads its checkpoint over these weights
        card["init_from"] = start_from(model.net, init_from)
    with (nullcontext(out_dir) if out_dir is not None else TemporaryDirectory()) as folder:  # None: keep no files
        train(model, data, folder, TrainConfig(steps=steps, batch_size=batch_size, seed=seed,
                                               checkpoint_every=checkpoint_every, sample_every=steps),
              resume=resume, progress=progress, command=card["command"] or "")
    return model.judge


def saved_judge(name_or_path) -> Judge:
    """A whole-picture judge by shipped name or folder (`--init-from`), refusing the other kinds."""
    from .protocol import load_judge

    judge = load_judge(name_or_path)
    if not isinstance(judge, Judge):
        raise GendslError(f"{name_or_path} is a {type(judge).__name__}, not a whole-picture judge to train on from")
    return judge


def start_from(net, init_from) -> dict:
    """Copy a saved judge's weights (a shipped name or a folder) into `net`; what the card says of where the run
    started."""
    source = saved_judge(init_from)
    mine, theirs = net.get_weights(), source.net.get_weights()
    if len(mine) != len(theirs) or any(a.shape != b.shape for a, b in zip(mine, theirs)):
        raise GendslError(f"{init_from} is a judge of another network shape (widths, convs, features, slot_dim, "
                          f"rounds, count_map) than the one being trained; --set the same shape fields")
    net.set_weights(theirs)
    return {"path": str(init_from), "fingerprint": source.fingerprint()}


def self_report(judge: Judge, data_dir, progress: bool = False) -> dict:
    """The judge's accuracy on world renders it never trained on: the test split (seen compositions)
    and the heldout images it did not train on, crisp and blurred, and the test split drawn at 64 px
    and area-downsampled."""
    from ..worlds.scene.render import render_scene
    from .metrics import judged_accuracy

    report = {}
    for split in ("test", "heldout"):
        images, cond, _ = load_split(data_dir, split)
        keep = np.arange(len(images)) if split == "test" else heldout_part(len(images), training=False)
        if not len(keep):
            continue
        scenes = [decode(cond[i]) for i in keep]
        x = np.asarray(images[keep])
        report[split] = {"n": len(x), "crisp": judged_accuracy(judge, x, scenes, by_items=True),
                         f"blur{REPORT_BLUR:g}": judged_accuracy(judge, x, scenes, blur=REPORT_BLUR, by_items=True)}
        if split == "test":
            _, _, records = load_split(data_dir, split)
            k = min(len(x), 1000)  # the same scenes and seeds drawn at 64 px, then area-downsampled
            big = np.stack([render_scene(scenes[i], records[i]["seed"], 64)
                            for i in tqdm(range(k), desc="64-px renders", disable=not progress)])
            report[split]["from64"] = judged_accuracy(judge, big, scenes[:k])
    return report


def _data_summary(data_dir, used: int, heldout: bool) -> dict:
    import json

    manifest = json.loads((Path(data_dir) / "manifest.json").read_text())
    return {"path": str(data_dir), "train_images_used": used, "heldout_used": heldout,
            "n": manifest.get("n"),
            "size": manifest.get("size"), "seed": manifest.get("seed"), "command": manifest.get("command")}


def _load() -> float | None:
    import os

    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None



