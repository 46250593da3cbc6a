"""Whole sketch renders per second, and the share of time spent outside the model.

    python benchmarks/bench_render.py [--model cgan] [--images 256]

One run renders the same sketch scenes (parse -> expand -> encode -> generate ->
PNG with metadata, written atomically) at model batch sizes 1, 16 and 256, and
times the model's own calls separately. The goal: the pipeline around the model
costs under 20% of the total at batch 16.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import gendsl
from gendsl.render import render_sketch, run_seeds

SKETCH = Path(__file__).resolve().parents[1] / "sketches" / "school_bus.sketch"


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


def measure(model, images: int, batch: int, source: str) -> dict:
    scenes = ["classic", "mix", "blend"]
    per_scene = images // len(scenes)
    timed = Timed(model)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        sketch = gendsl.parse_sketch(source, SKETCH)  # parsing is part of the pipeline
        written = render_sketch(sketch, out, timed, run_seeds(1, per_scene), scenes, batch_size=batch)
        total = time.perf_counter() - start
    n = len([p for p in written if p.suffix == ".png" and "-grid" not in p.name])
    return {"batch": batch, "images": n, "seconds": total, "images_per_s": n / total,
            "model_s": timed.seconds, "outside_share": 1 - timed.seconds / total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="cgan")
    parser.add_argument("--images", type=int, default=255, help="images per batch size (split over 3 scenes)")
    args = parser.parse_args()
    model = gendsl.get_model(args.model, 64)
    source = SKETCH.read_text()
    measure(model, 16, 16, source)  # warm-up: graph tracing, first PNG encode
    rows = [measure(model, args.images, batch, source) for batch in (1, 16, 256)]
    print(f"model {args.model} ({model.size} px), {rows[0]['images']} images per row, one run\n")
    print(f"{'batch':>6} {'images/s':>9} {'total s':>8} {'model s':>8} {'outside model':>14}")
    for row in rows:
        print(f"{row['batch']:>6} {row['images_per_s']:>9.1f} {row['seconds']:>8.2f} {row['model_s']:>8.2f} "
              f"{row['outside_share']:>13.1%}")
    at16 = rows[1]["outside_share"]
    print(f"\ngoal: under 20% outside the model at batch 16 -> {'met' if at16 < 0.2 else 'NOT met'} ({at16:.1%})")


if __name__ == "__main__":
    main()
