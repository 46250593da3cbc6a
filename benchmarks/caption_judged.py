"""Captions decoded greedy, by beam search, and "judged" (the beams re-ranked by the shipped judge), side by side.

    python benchmarks/caption_judged.py --data data/world32 --limit 1000 --beam 8
    python benchmarks/caption_judged.py --split train --limit 2000 --beam 4   # beside --split test: overfitting?

On the first --limit test images (or those of another --split): all right in % (every stated attribute right
and the same number of items, scored as `gendsl eval` scores captions), by the number of items, and one item's
attributes. 'beam' is the top beam as decoded; 'judged' the beam whose score plus captioner.JUDGE_WEIGHT x the
judge's agreement is highest. One decode gives both. Prints the decoding speed of each too.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from gendsl.retrieval.captioner import JUDGE_WEIGHT, Captioner
from gendsl.retrieval.report import _split, caption_figures
from gendsl.worlds.scene.dataset import SPLITS

ONE_ITEM = ("object", "color", "size", "count", "position")


def pct(figures: dict, name: str = "all") -> str:
    share = figures[name]["accuracy"]
    return "—" if share is None else f"{100 * share:.1f}"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default="gendsl/weights/captioner-world-32", help="captioner folder")
    p.add_argument("--data", default="data/world32", help="a world dataset folder")
    p.add_argument("--split", choices=SPLITS, default="test", help="which pictures (default test)")
    p.add_argument("--limit", type=int, default=1000, help="images (default 1000)")
    p.add_argument("--beam", type=int, default=8, help="beam width (default 8)")
    args = p.parse_args(argv)
    model = Captioner.load(args.model)
    images, truths, _, seeds = _split(args.data, args.split, args.limit)
    rows, speed = {}, {}
    t = time.time()
    rows["greedy"] = model.caption(images, "greedy")
    speed["greedy"] = len(images) / (time.time() - t)
    t = time.time()
    rows["judged"], rows[f"beam {args.beam} (top beam)"] = model.describe(images, "judged", beam=args.beam)
    speed["judged"] = len(images) / (time.time() - t)
    print(f"{len(images)} {args.split} images of {args.data}; captioner {model.fingerprint()}, judge weight {JUDGE_WEIGHT}\n")
    print("| decoding | all | 1 item | 2 items | 3 items | " + " | ".join(f"1 item: {a}" for a in ONE_ITEM) + " |")
    print("|---|---|---|---|---|" + "---|" * len(ONE_ITEM))
    for name, captions in rows.items():
        f = caption_figures(captions, truths, seeds=seeds)
        by = f["by_items"]
        print(f"| {name} | {pct(f['accuracy'])} | " + " | ".join(pct(by[k]) if k in by else "—" for k in "123")
              + " | " + " | ".join(pct(by["1"], a) for a in ONE_ITEM) + " |")
    print("\nimages/s: " + ", ".join(f"{k} {v:.1f}" for k, v in speed.items()) + " (judged includes its beam search)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
