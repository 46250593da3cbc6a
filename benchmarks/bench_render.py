"""Generation at the network's speed, and whole-sketch renders per second.

    python benchmarks/bench_render.py [--model cgan] [--images 255] [--repeats 5]

Part 1, the bars (issue 16), measured side by side in one run, interleaved, medians of --repeats:
`gendsl.generate` of 1, 16 and 256 images against the reference, which is the model's own network
compiled (tf.function) at the batch's shape on the same inputs, plus building those inputs
(layout maps and latents). Bars: within 2x at 1 image, 1.3x at 16, 1.2x at 256.

Part 2: the same sketch scenes rendered whole (parse -> expand -> encode -> generate -> PNG with
metadata, written atomically) at model batch sizes 1, 16 and 256, with the share of time spent
outside the model's generate().
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import gendsl
from gendsl.worlds.scene.encode import DIM
from gendsl.models.conditional import latents
from gendsl.render import render_sketch, run_seeds

SKETCH = Path(__file__).resolve().parents[1] / "sketches" / "school_bus.sketch"
TEXT = "two small red cars next to a house on the beach at night"
BARS = {1: 2.0, 16: 1.3, 256: 1.2}


class Timed:
    """A model whose generate() calls are timed; everything else passes through."""

    def __init__(self, model):
        self._model, self.seconds = model, 0.0

    def __getattr__(self, name):
        return getattr(self._model, name)

    def generate(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._model.generate(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def reference(model, n: int, first_seed: int):
    """The reference's two parts for n images: (seconds building the inputs, seconds in the network)."""
    import tensorflow as tf

    seeds = list(range(first_seed, first_seed + n))
    start = time.perf_counter()
    cond = np.broadcast_to(gendsl.encode(gendsl.compile_scene(TEXT)), (n, DIM))
    maps = model.world.condition(cond, seeds, model.size, model.config.conditioning)  # the maps it reads
    z = latents(seeds, model.config.z_dim)
    z = model.latent_map(z) if hasattr(model, "latent_map") else z
    inputs = time.perf_counter() - start
    network = _NETWORKS.setdefault((id(model), n), tf.function(lambda a, b: model.sampler([a, b], training=False)))
    start = time.perf_counter()
    network(z, maps).numpy()
    return inputs, time.perf_counter() - start


_NETWORKS: dict = {}


def bars(model, repeats: int) -> list[dict]:
    rows = []
    for n in BARS:
        reference(model, n, 0)  # trace the reference at this shape; warm the sampler's chunk shapes
        gendsl.generate(TEXT, seeds=range(n), model=model)
        inputs, network, generate = [], [], []
        for r in range(repeats):  # interleaved, so a busy moment of a shared machine hits both
            first = 1000 * (r + 1)
            a, b = reference(model, n, first)
            inputs.append(a)
            network.append(b)
            start = time.perf_counter()
            images = gendsl.generate(TEXT, seeds=range(first, first + n), model=model)
            generate.append(time.perf_counter() - start)
            assert len(images) == n
        row = {"images": n, "inputs_ms": 1e3 * statistics.median(inputs),
               "network_ms": 1e3 * statistics.median(network), "generate_ms": 1e3 * statistics.median(generate)}
        row["ratio"] = row["generate_ms"] / (row["inputs_ms"] + row["network_ms"])
        rows.append(row)
    return rows


def measure(model, images: int, batch: int, source: str) -> dict:
    scenes = ["classic", "mix", "blend"]
    per_scene = images // len(scenes)
    timed = Timed(model)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        sketch = gendsl.parse_sketch(source, SKETCH)  # parsing is part of the pipeline
        written = render_sketch(sketch, out, timed, seeds=run_seeds(1, per_scene), scene_names=scenes, batch_size=batch)
        total = time.perf_counter() - start
    n = len([p for p in written if p.suffix == ".png" and "-grid" not in p.name])
    return {"batch": batch, "images": n, "seconds": total, "images_per_s": n / total,
            "model_s": timed.seconds, "outside_share": 1 - timed.seconds / total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="cgan")
    parser.add_argument("--images", type=int, default=255, help="images per batch size (split over 3 scenes)")
    parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats of each bar (medians)")
    args = parser.parse_args()
    model = gendsl.get_model(args.model, 64)
    print(f"model {args.model} ({model.size} px); generate vs compiled network + its inputs, medians of "
          f"{args.repeats}, one run\n")
    print(f"{'images':>6} {'inputs ms':>10} {'network ms':>11} {'generate ms':>12} {'ratio':>6} {'bar':>5}")
    for row in bars(model, args.repeats):
        bar = BARS[row["images"]]
        print(f"{row['images']:>6} {row['inputs_ms']:>10.1f} {row['network_ms']:>11.1f} {row['generate_ms']:>12.1f} "
              f"{row['ratio']:>5.2f}x {bar:>4.1f}x {'met' if row['ratio'] <= bar else 'NOT met'}")
    source = SKETCH.read_text()
    measure(model, 16, 16, source)  # warm-up: first PNG encode
    rows = [measure(model, args.images, batch, source) for batch in (1, 16, 256)]
    print(f"\nwhole sketch, {rows[0]['images']} images per row (PNG files with metadata)\n")
    print(f"{'batch':>6} {'images/s':>9} {'total s':>8} {'model s':>8} {'outside model':>14}")
    for row in rows:
        print(f"{row['batch']:>6} {row['images_per_s']:>9.1f} {row['seconds']:>8.2f} {row['model_s']:>8.2f} "
              f"{row['outside_share']:>13.1%}")


if __name__ == "__main__":
    main()
