"""Training a place judge (place_judge.py) on its world's renders, through the one training driver.

    train_place_judge(worlds.get("digits"), "runs/judge-digits", steps=470, batch_size=128, examples=20000)
    gendsl train judge --data digits --out runs/judge-digits --steps 470 --batch 128     # the same, with --resume

It learns from the world's training pictures only (World.training_set: the digits world's train glyphs, no
held-out combination; the generators never see those either), each batch blurred, faded and noised from the
step's own stream, so that the driver's checkpoints resume bit for bit. It is scored on the world's reference
pictures (handwriting it never saw) of seen and held-out scenes, crisp and blurred: that is the ceiling of every
figure it gives a generator.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from ..hardware import hardware
from ..lang.errors import GendslError
from ..lang.seeds import stream
from . import augment as aug
from .judge import INPUT, to_input
from .net_training import NetTraining
from .place_judge import Config, PlaceJudge
from .protocol import tally

REPORT_BLUR = 1.0  # sigma (pixels) of the blurred accuracy figures


def augment(x: np.ndarray, rng: np.random.Generator, config: Config) -> np.ndarray:
    """float32 (N, 32, 32, C) pictures, blurred, faded and noised per image (never flipped: a mirrored digit is
    not that digit)."""
    return aug.augment(x, rng, config.blur_max, config.blur_p, config.noise_max, False, fade_p=config.fade_p)[0]


class PlaceTrainData:
    """The world's training pictures and their per-place targets; a batch is augmented from its own examples'
    stream, so the same step gets the same batch in any run."""

    def __init__(self, world, examples: int, config: Config, seed: int = 0):
        data = world.training_set(examples, INPUT, seed)
        if data is None:
            raise GendslError(f"the {world.name} world draws no pictures to train a judge on")
        places = world.places()
        self.x = to_input(data["images"], gray=places.gray)
        self.targets = places.targets([world.decode(c) for c in data["cond"]])
        self.config, self.seed = config, seed

    def __len__(self) -> int:
        return len(self.x)

    def batch(self, indices: np.ndarray) -> dict:
        rng = stream(self.seed, "place-judge-batch", hashlib.sha256(np.asarray(indices).tobytes()).hexdigest()[:16])
        return {"image": augment(self.x[indices], rng, self.config), "targets": self.targets[indices]}


class PlaceJudgeTraining(NetTraining):
    """A place judge as the training driver sees a model: train_step, state_variables, metrics, save."""

    kind = "place-judge"

    def __init__(self, judge: PlaceJudge):
        import keras

        self.judge, self.config = judge, judge.config
        schedule = keras.optimizers.schedules.CosineDecay(judge.config.learning_rate, judge.config.decay_steps,
                                                          alpha=0.02)
        self.start(judge.net, keras.optimizers.AdamW(schedule, weight_decay=judge.config.weight_decay,
                                                     global_clipnorm=1.0))
        self.report_examples = 2000

    def loss_of(self, batch):
        import tensorflow as tf

        logits = self.net(batch["image"], training=True)
        return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(batch["targets"], logits))

    def save(self, out, card: str = "") -> None:
        """The judge's folder (config.json, weights, README with its own accuracy) beside the run's files."""
        import re

        judge = self.judge
        if not np.isfinite(float(self.loss.result())):
            raise GendslError("the judge's loss is not finite; try a lower learning_rate")
        judge.card = {"training": card, "report": self_report(judge, self.report_examples)}
        steps = re.search(r"steps: (\d+)", card)
        judge.card["steps"] = int(steps.group(1)) if steps else None
        judge.save(out, readme=model_card(judge))


def train_place_judge(world, out_dir, steps: int, batch_size: int = 128, examples: int = 20000, seed: int = 0,
                      config: Config = Config(), resume: bool = False, progress: bool = True, command: str = "",
                      report_examples: int = 2000, checkpoint_every: int = 250) -> PlaceJudge:
    """Train a place judge for `world` into out_dir with the one training driver (checkpoints, --resume, log.csv)."""
    import keras

    from ..train import TrainConfig, train

    if world.places() is None:
        raise GendslError(f"the {world.name} world has no places: its judge is not a place judge")
    keras.utils.set_random_seed(seed)  # the network's initial weights; the driver derives everything else
    judge = PlaceJudge(config, world)
    model = PlaceJudgeTraining(judge)
    model.report_examples = report_examples
    data = PlaceTrainData(world, examples, config, seed)
    train(model, data, out_dir, TrainConfig(steps=steps, batch_size=batch_size, seed=seed,
                                            checkpoint_every=checkpoint_every, sample_every=steps),
          resume=resume, progress=progress, command=command)
    return judge


def self_report(judge: PlaceJudge, n: int = 2000, seed: int = 0) -> dict:
    """{split: {"crisp"|"blurred": {attribute: accuracy}, "n"}} on the world's reference pictures of seen
    ("test") and held-out scenes, at other seeds than any training picture."""
    world, report = judge.world, {}
    for split, held in (("test", False), ("heldout", True)):
        rng = stream(seed + 1, "place-judge-report", split)
        scenes = [world.sample_scene(rng, held_out=held) for _ in range(n)]
        seeds = [int(s) for s in rng.integers(0, 2**31, n)]
        x = to_input(world.reference(scenes, seeds, INPUT), gray=False)
        report[split] = {"n": n}
        for name, sigma in (("crisp", 0.0), ("blurred", REPORT_BLUR)):
            images = np.clip(np.rint(aug.blur(x, np.full(n, sigma)) * 255), 0, 255).astype(np.uint8)
            figures = tally(judge.score(images, scenes, seeds))
            report[split][name] = {a: None if v["accuracy"] is None else round(v["accuracy"], 4)
                                   for a, v in figures.items()}
    return report


def model_card(judge: PlaceJudge) -> str:
    card, attributes = judge.card, judge.attributes
    lines = [f"# the {judge.world.name} world's place judge", "",
             "Reads a picture back into its scene place by place: for each place of the world's grid, what stands "
             "there, or nothing; the answer is the most probable valid scene. Trained only on the world's renders "
             "(no held-out combination), with blur, fading and pixel-noise augmentation, by `gendsl train judge "
             f"--data {judge.world.name}` (the one training driver). It scores generators (`gendsl eval`); its own "
             "accuracy below is the ceiling of every figure it gives.", "",
             "## How it was trained", "", card.get("training", "").replace("# place-judge", "").strip(), "",
             f"- {int(judge.net.count_params())} parameters; config `{json.dumps(judge.config.__dict__)}`; {hardware()}",
             "", "## Accuracy (%) on pictures it never saw", "",
             "| split | images | " + " | ".join(attributes) + " |", "|" + "---|" * (len(attributes) + 2)]
    for split, label in (("test", "seen combinations"), ("heldout", "held-out combinations")):
        for kind in ("crisp", "blurred"):
            acc = card["report"][split][kind]
            cells = ["—" if acc[a] is None else f"{100 * acc[a]:.1f}" for a in attributes]
            blur = f", blur σ={REPORT_BLUR}" if kind == "blurred" else ""
            lines.append(f"| {label}{blur} | {card['report'][split]['n']} | " + " | ".join(cells) + " |")
    lines += ["", "Each attribute counts only the scenes that have it; all: the whole scene right.", ""]
    return "\n".join(lines)
