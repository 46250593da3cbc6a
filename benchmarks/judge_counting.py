"""Judges side by side on how many things they see: the count read right, by the count the scene says.

    python benchmarks/judge_counting.py --judges runs/judgebig runs/judgecount --data data/world32

Each judge reads the one-item pictures of the dataset's test split (read both ways, as `Judge.predict` does);
the table gives all right, then the count right for each count word, then how the misses of 'three' were read.
Three things standing apart read as two was the most common one-object miss of the judge of world format 2.
"""
from __future__ import annotations

import argparse
import collections

import numpy as np

from gendsl.eval.judge import Judge
from gendsl.eval.labels import SLOT_HEADS
from gendsl.eval.score import ITEM_ATTRIBUTES, match
from gendsl.worlds.scene.dataset import load_split
from gendsl.worlds.scene.encode import decode

COUNTS = dict(SLOT_HEADS)["count"]
COUNT_COLUMN = ITEM_ATTRIBUTES.index("count")


def counting(judge: Judge, images: np.ndarray, scenes: list) -> dict:
    """All right, the count right by said count, and what each miss was read as, over one-item pictures."""
    pred = judge.predict(images)
    j = match(pred, scenes)
    said = [scene.items[0].count or "one" for scene in scenes]
    slot = j.permutation[:, 0]  # the predicted slot matched to the scene's item
    read = pred.slot["count"][np.arange(len(scenes)), slot].argmax(-1)
    right = j.slot_right[:, 0, COUNT_COLUMN]
    out = {"n": len(scenes), "all": 100 * float(j.image_right().mean())}
    for word in COUNTS:
        mine = np.array([s == word for s in said])
        out[word] = (100 * float(right[mine].mean()), int(mine.sum())) if mine.any() else (float("nan"), 0)
    out["misread"] = {word: collections.Counter(COUNTS[r] for r, s, ok in zip(read, said, right) if s == word and not ok)
                      for word in COUNTS}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--judges", nargs="+", required=True, help="judge folders")
    p.add_argument("--data", default="data/world32", help="a world dataset folder (its test split is read)")
    p.add_argument("--limit", type=int, default=4000, help="test images looked at (their one-item ones are read)")
    args = p.parse_args(argv)
    images, cond, _ = load_split(args.data, "test")
    scenes = [decode(c) for c in cond[:args.limit]]
    one = [i for i, s in enumerate(scenes) if len(s.items) == 1]
    x, chosen = np.asarray(images[one]), [scenes[i] for i in one]
    print(f"{len(one)} one-item test pictures of {args.data}; count right in % (pictures)\n")
    print("| judge | all right | " + " | ".join(COUNTS) + " | 'three' misread as |")
    print("|---|---|" + "---|" * len(COUNTS) + "---|")
    for folder in args.judges:
        judge = Judge.load(folder)
        got = counting(judge, x, chosen)
        cells = " | ".join(f"{got[w][0]:.1f} ({got[w][1]})" for w in COUNTS)
        misread = ", ".join(f"{w} {n}" for w, n in got["misread"]["three"].most_common()) or "—"
        print(f"| {folder} ({judge.fingerprint()}) | {got['all']:.1f} | {cells} | {misread} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
