"""Training the digits judge on digits-world renders, and the accuracy report in its card.

    judge = train_digits_judge("gendsl/weights/judge-digits", n_train=20000, epochs=3, seed=0)

It learns from the world's train split only: train glyphs, and no held-out
digit/position combination (the generators never see those either). It is
scored on the test split (handwriting it never saw) and on the held-out
combinations (test glyphs), crisp and blurred: that is the ceiling of every
figure it gives a generator. Each epoch draws fresh blur, noise and fading
(Config) from the seed, so the same seed gives the same weights: TensorFlow's
op determinism is switched on for the run.
"""
from __future__ import annotations

import shlex
import time

import numpy as np

from ..hardware import hardware
from ..lang.errors import GendslError
from ..lang.seeds import stream
from . import augment as aug
from .digits_judge import ATTRIBUTES, Config, DigitsJudge, attribute_accuracy, build, cell_targets

REPORT_BLUR = 1.0  # sigma (pixels) of the blurred accuracy figures


def augment(x: np.ndarray, rng: np.random.Generator, config: Config) -> np.ndarray:
    """float32 (N, 32, 32, 1) canvases, blurred, faded and noised per image."""
    n = len(x)
    sigmas = np.where(rng.random(n) < config.blur_p, rng.uniform(0, config.blur_max, n), 0.0)
    x = aug.blur(x, sigmas)
    fade = rng.random(n) < config.fade_p
    gain = np.where(fade, rng.uniform(0.6, 1.0, n), 1.0)[:, None, None, None]
    floor = np.where(fade, rng.uniform(0.0, 0.12, n), 0.0)[:, None, None, None]
    x = floor + (1 - floor) * gain * x
    noise = rng.uniform(0, config.noise_max, n)[:, None, None, None] * rng.standard_normal(x.shape)
    return np.clip(x + noise, 0, 1).astype(np.float32)


def _rgb(canvases: np.ndarray) -> np.ndarray:
    from ..world.digits import to_rgb
    return to_rgb(canvases)


def train_digits_judge(out_dir=None, n_train: int = 20000, epochs: int = 3, batch_size: int = 128, seed: int = 0,
                       n_test: int = 2000, config: Config = Config(), progress: bool = True,
                       command: list[str] | None = None) -> DigitsJudge:
    """Train on n_train fresh train-split renders; score on n_test test and n_test held-out renders."""
    if n_train < batch_size or epochs < 1 or batch_size < 1 or n_test < 1:
        raise GendslError(f"the digits judge needs n_train >= batch ({batch_size}), epochs >= 1 and n_test >= 1; "
                          f"got n_train={n_train}, epochs={epochs}, n_test={n_test}")
    import keras
    import tensorflow as tf
    from tqdm import tqdm

    from ..world.digits import dataset

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()  # same seed, same weights, byte for byte
    data = dataset(n_train, seed=seed, split="train")
    images, targets = data["images"][..., None], cell_targets(data["scenes"])
    steps = n_train // batch_size
    net = build(config, seed)
    schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, steps * epochs, alpha=0.02)
    optimizer = keras.optimizers.AdamW(schedule, weight_decay=config.weight_decay, global_clipnorm=1.0)

    @tf.function(reduce_retracing=True)
    def step(x, t):
        with tf.GradientTape() as tape:
            logits = net(x, training=True)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(t, logits))
        optimizer.apply_gradients(zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables))
        return loss

    started, epoch_loss = time.time(), []
    bar = tqdm(total=steps * epochs, desc="digits judge", unit="step", disable=not progress)
    for epoch in range(epochs):
        rng = stream(seed, "digits-judge", "epoch", str(epoch))
        order = rng.permutation(n_train)
        losses = []
        for k in range(steps):
            rows = order[k * batch_size:(k + 1) * batch_size]
            loss = float(step(tf.constant(augment(images[rows], rng, config)), tf.constant(targets[rows])))
            losses.append(loss)
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{loss:.3f}")
        epoch_loss.append(round(float(np.mean(losses)), 4))
        if not np.isfinite(epoch_loss[-1]):
            raise GendslError(f"the digits judge's loss became {epoch_loss[-1]} in epoch {epoch + 1}; "
                              "try a lower learning rate")
    bar.close()
    wall = time.time() - started

    judge = DigitsJudge(config, net)
    judge.card = {"command": shlex.join(command) if command else None,
                  "call": f"gendsl.eval.digits_fit.train_digits_judge({None if out_dir is None else str(out_dir)!r}, "
                          f"n_train={n_train}, epochs={epochs}, batch_size={batch_size}, seed={seed}, n_test={n_test})",
                  "n_train": n_train, "epochs": epochs, "batch_size": batch_size, "seed": seed, "steps": steps * epochs,
                  "wall_s": round(wall, 1), "parameters": int(net.count_params()), "epoch_loss": epoch_loss,
                  "report": self_report(judge, n_test, seed)}
    if out_dir is not None:
        judge.save(out_dir, readme=model_card(judge))
    return judge


def self_report(judge: DigitsJudge, n: int = 2000, seed: int = 0) -> dict:
    """{split: {"crisp"|"blurred": {attribute: accuracy}}} on the test split and the held-out combinations."""
    from ..world.digits import dataset

    report = {}
    for split in ("test", "heldout"):
        data = dataset(n, seed=seed + 1, split=split)  # another seed than training: other scenes too
        x = data["images"][..., None]
        report[split] = {}
        for name, sigma in (("crisp", 0.0), ("blurred", REPORT_BLUR)):
            images = _rgb(aug.blur(x, np.full(n, sigma))[..., 0])
            acc = attribute_accuracy(judge.scenes(images), data["scenes"])
            report[split][name] = {a: round(v["accuracy"], 4) for a, v in acc.items()}
        report[split]["n"] = n
    return report


def model_card(judge: DigitsJudge) -> str:
    card, c = judge.card, judge.config
    lines = ["# judge-digits", "",
             "Reads a digits-world canvas back into its scene: for each of the nine places of the 3 x 3 grid, "
             "which digit stands there, or none; the answer is the most probable valid scene (one digit at a "
             "place, or two above / beside each other). Trained only on digits-world renders (train glyphs, no "
             "held-out combination), with blur, fading and pixel-noise augmentation. It scores generators "
             "(`gendsl eval rbm`); its own accuracy below is the ceiling of every figure it gives.", "",
             "## How it was trained", ""]
    if card.get("command"):
        lines += ["```", card["command"], "```", ""]
    lines += ["```python", card.get("call", ""), "```", "",
              f"- {card.get('n_train')} renders, {card.get('epochs')} epochs of {card.get('batch_size')}, "
              f"seed {card.get('seed')}; {card.get('wall_s')} s on {hardware()}",
              f"- {card.get('parameters')} parameters; config `{c}`",
              f"- loss per epoch: {card.get('epoch_loss')}", "",
              "## Accuracy (%) on renders it never saw (test glyphs)", "",
              "| split | images | " + " | ".join(ATTRIBUTES) + " |", "|" + "---|" * (len(ATTRIBUTES) + 2)]
    for split, label in (("test", "seen combinations"), ("heldout", "held-out combinations")):
        for kind in ("crisp", "blurred"):
            acc = card["report"][split][kind]
            cells = ["—" if acc[a] is None else f"{100 * acc[a]:.1f}" for a in ATTRIBUTES]
            blur = f", blur σ={REPORT_BLUR}" if kind == "blurred" else ""
            lines.append(f"| {label}{blur} | {card['report'][split]['n']} | " + " | ".join(cells) + " |")
    lines += ["", "digit2 and relation count only two-digit scenes, position only one-digit scenes; "
              "all: the whole scene right.", ""]
    return "\n".join(lines)


__all__ = ["REPORT_BLUR", "augment", "self_report", "train_digits_judge", "model_card"]
