"""The conditional models side by side: training speed, generation latency, peak memory, time to quality.

    python benchmarks/bench_models.py --data data/world32 [--steps 20] [--quality-minutes 0]

Models: the layout cGAN, the layout cVAE and the keras-io conditional-GAN
design as the baseline (scene vector concatenated to the noise, tiled as image
channels in the discriminator), all at 32 px with their default widths, on the
same data. Each model is measured in its own process, so its peak memory (max
RSS) is its own. With --quality-minutes M, each GAN also trains for up to M
minutes with the judge scoring 'all attributes right' on single-object seen
scenes every --eval-every steps; the table gives the wall time to reach 0.8.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

MODELS = {
    "cgan (layout)": ("cgan", {}),
    "cvae (layout)": ("cvae", {}),
    "baseline cGAN (keras-io, flat)": ("cgan", {"conditioning": "flat", "l1_weight": 0.0}),
}


def build(kind: str, overrides: dict):
    import keras

    keras.utils.set_random_seed(0)
    if kind == "cgan":
        from gendsl.models.cgan import CGAN, CGANConfig
        return CGAN(CGANConfig(**overrides))
    from gendsl.models.cvae import CVAE, CVAEConfig
    return CVAE(CVAEConfig(**overrides))


def measure(name: str, data_dir: str, steps: int, quality_minutes: float, eval_every: int,
            target: float = 0.8) -> dict:
    """Runs in a child process: one model's figures."""
    import numpy as np
    import tensorflow as tf

    from gendsl.train import WorldTrainData, batch_indices, step_seed

    kind, overrides = MODELS[name]
    model = build(kind, overrides)
    data = WorldTrainData(data_dir, 32, model.config.conditioning)
    step_fn = tf.function(model.train_step)

    def one_step(step: int):
        batch = data.batch(batch_indices(len(data), 64, step, 0))
        batch["seed"] = step_seed(0, step)
        step_fn(batch)

    one_step(0)  # trace and warm up
    start = time.perf_counter()
    for step in range(1, steps + 1):
        one_step(step)
    train_rate = steps * 64 / (time.perf_counter() - start)

    cond, seeds = data.cond[:256], [int(s) for s in data.seeds[:256]]
    latency = {}
    for n in (16, 256):
        model.generate(cond[:n], seeds[:n])  # warm-up
        start = time.perf_counter()
        model.generate(cond[:n], seeds[:n])
        latency[n] = time.perf_counter() - start
    result = {"model": name, "train_images_per_s": round(train_rate, 1),
              "generate_16_ms": round(latency[16] * 1000, 1), "generate_256_ms": round(latency[256] * 1000, 1),
              "params": int(sum(np.prod(w.shape) for w in model.sampler.weights))}
    if quality_minutes > 0 and kind == "cgan":
        result["quality"] = time_to_quality(model, one_step, steps + 1, quality_minutes, eval_every, target)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def all_right_rate(model, judge, scenes) -> float:
    from gendsl.eval.metrics import generate, judged_accuracy

    images = generate(model, scenes, list(range(len(scenes))))
    return float(judged_accuracy(judge, images, scenes)["accuracy"]["all"])


def time_to_quality(model, one_step, first_step: int, minutes: float, eval_every: int, target: float) -> dict:
    """Train for up to `minutes`, judging 'all right' on 100 single-object seen scenes every eval_every steps.

    Returns the curve [(training seconds, step, score)], the best score, and the training seconds when the
    score first reached `target` (None: not within the budget). Judging time is not counted.
    """
    from gendsl.eval import Judge, eval_scenes

    judge, scenes = Judge.load(), eval_scenes(100, held_out=False, items=1, seed=0)
    start, step, curve, reached = time.perf_counter(), first_step, [], None
    while time.perf_counter() - start < minutes * 60:
        one_step(step)
        step += 1
        if step % eval_every == 0:
            paused = time.perf_counter()
            score = all_right_rate(model, judge, scenes)
            start += time.perf_counter() - paused
            seconds = round(time.perf_counter() - start, 1)
            curve.append((seconds, step, round(score, 3)))
            if score >= target and reached is None:
                reached = seconds
                break
    return {"curve": curve, "best": max((c[2] for c in curve), default=None), "seconds_to_target": reached,
            "target": target}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/world32")
    parser.add_argument("--steps", type=int, default=20, help="timed training steps per model")
    parser.add_argument("--quality-minutes", type=float, default=0.0)
    parser.add_argument("--eval-every", type=int, default=200)
    parser.add_argument("--target", type=float, default=0.8, help="the 'all right' rate time-to-quality waits for")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.steps, args.quality_minutes, args.eval_every,
                                 args.target)))
        return
    rows = []
    for name in MODELS:
        done = subprocess.run([sys.executable, __file__, "--child", name, "--data", args.data, "--steps",
                               str(args.steps), "--quality-minutes", str(args.quality_minutes), "--eval-every",
                               str(args.eval_every), "--target", str(args.target)], capture_output=True, text=True,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        if done.returncode:
            sys.exit(f"{name} failed:\n{done.stderr[-3000:]}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    base = rows[-1]
    print(f"{'model':<32}{'train img/s':>12}{'gen 16 ms':>11}{'gen 256 ms':>12}{'peak MB':>9}{'params':>10}"
          f"{'best all-right':>15}{'s to target':>12}")
    for row in rows:
        quality = row.get("quality") or {}
        print(f"{row['model']:<32}{row['train_images_per_s']:>12}{row['generate_16_ms']:>11}"
              f"{row['generate_256_ms']:>12}{row['peak_rss_mb']:>9}{row['params']:>10}"
              f"{str(quality.get('best', '-')):>15}{str(quality.get('seconds_to_target', '-')):>12}")
    for row in rows:
        if row.get("quality"):
            curve = ", ".join(f"{s:.0f}s:{score:.2f}" for s, _, score in row["quality"]["curve"])
            print(f"{row['model']} all-right over training time (target {row['quality']['target']}): {curve}")
    for row in rows[:-1]:
        print(f"{row['model']}: training speed {row['train_images_per_s'] / base['train_images_per_s']:.2f}x the "
              f"baseline, generation (256) {base['generate_256_ms'] / row['generate_256_ms']:.2f}x")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
