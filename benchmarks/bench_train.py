"""Can the input side feed the training step? Input pipeline images/s beside the step's, in one run.

    python benchmarks/bench_train.py [--data data/world32] [--model cgan] [--batch 64] [--steps 10]
                                     [--examples 4000] [--xla] [--mixed-precision]

Rows: the Python batch path (WorldTrainData.batch: layouts planned on every use), the tf.data
pipeline alone (train_pipeline.py: layouts planned once, maps painted in the graph, parallel map,
prefetch; the one-off planning is timed apart), and the training step on prefetched batches, plain,
and with each switch asked for (XLA, mixed_float16) measured the same way, never assumed to help.
The pipeline should run far faster than the step, so that a GPU would not wait on Python.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def subset(data, n: int):
    data.images, data.cond, data.seeds = data.images[:n], data.cond[:n], data.seeds[:n]
    return data


def rate(fn, steps: int, batch: int) -> float:
    fn(0)  # warm-up: tracing, the first prefetch
    start = time.perf_counter()
    for step in range(1, steps + 1):
        fn(step)
    return steps * batch / (time.perf_counter() - start)


def step_rate(kind: str, data, args, xla: bool = False, mixed: bool = False) -> float:
    import keras
    import numpy as np

    from gendsl.distribute import set_precision, set_xla
    from gendsl.models.cgan import CGAN, CGANConfig
    from gendsl.models.cvae import CVAE, CVAEConfig
    from gendsl.train import step_function

    set_precision(mixed)
    set_xla(xla)
    keras.utils.set_random_seed(0)
    model = CGAN(CGANConfig(size=data.size)) if kind == "cgan" else CVAE(CVAEConfig(size=data.size))
    batches = list(data.pipeline(False).dataset(args.batch, 0, 0, args.steps + 1))
    step = step_function(model, args.batch)
    images_per_s = rate(lambda i: float(np.asarray(step(batches[i])[next(iter(model.trackers))])), args.steps,
                        args.batch)
    set_precision(False)
    set_xla(False)
    return images_per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/world32")
    parser.add_argument("--model", default="cgan", choices=["cgan", "cvae"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--examples", type=int, default=4000, help="training examples used (planning is per example)")
    parser.add_argument("--xla", action="store_true", help="also measure the step compiled with XLA")
    parser.add_argument("--mixed-precision", action="store_true", help="also measure the step in mixed_float16")
    args = parser.parse_args()

    from gendsl.train import WorldTrainData, batch_indices, hardware

    size = json.loads((Path(args.data) / "manifest.json").read_text())["size"]
    data = subset(WorldTrainData(args.data, size, "layout"), args.examples)
    started = time.perf_counter()
    pipeline = data.pipeline(False)
    planning = time.perf_counter() - started
    batches = iter(pipeline.dataset(args.batch, 0, 0, 10 * args.steps + 1))
    rows = [("input: Python batches (planned on every use)",
             rate(lambda s: data.batch(batch_indices(len(data), args.batch, s, 0)), args.steps, args.batch)),
            ("input: tf.data pipeline (maps in the graph, prefetch)",
             rate(lambda s: next(batches), 10 * args.steps, args.batch)),
            (f"training step, {args.model}", step_rate(args.model, data, args))]
    if args.xla:
        rows.append((f"training step, {args.model}, XLA auto-clustering", step_rate(args.model, data, args, xla=True)))
    if args.mixed_precision:
        rows.append((f"training step, {args.model}, mixed_float16", step_rate(args.model, data, args, mixed=True)))
    print(f"{hardware()}; {args.data} ({len(data)} examples, {data.size} px), batch {args.batch}, one run\n")
    print(f"planning the layouts once: {planning:.1f} s ({len(data) / planning:,.0f} examples/s)\n")
    print(f"| {'what':<55} | {'images/s':>9} |")
    print(f"|{'-' * 57}|{'-' * 11}|")
    for label, images_per_s in rows:
        print(f"| {label:<55} | {images_per_s:>9,.0f} |")


if __name__ == "__main__":
    main()
