"""What a captioner gets wrong on one-item pictures, and whether the judge, a second reader, sees the same.

    python benchmarks/caption_misses.py --model runs/capmt5 --data data/world32 --sheet out/misses.png
    python benchmarks/caption_misses.py --data data/world32-more --split train --limit 2000   # pictures it learnt

Greedy captions of the one-item pictures among the first --limit of a split, scored as `gendsl eval` scores them.
For each miss: which attributes are wrong, and whether the shipped judge's reading of the picture agrees more with
the wrong caption or with the truth (eval/score.agreement). A miss the judge reads the same way is a picture two
separately trained readers take for the caption; one it reads as the truth is a miss a better reader can fix.
Prints the counts and the commonest confusions (truth -> caption) per attribute; --sheet writes the missed
pictures at 4x, in the order listed.
"""
from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from gendsl.commands.classic import write_png
from gendsl.eval.judge import load_default
from gendsl.eval.score import agreement
from gendsl.retrieval.captioner import Captioner
from gendsl.retrieval.report import _split
from gendsl.retrieval.scoring import compare, scene_or_none
from gendsl.sheets import contact_sheet
from gendsl.worlds.scene.dataset import SPLITS
from gendsl.worlds.scene.visible import unshown

ATTRS = ("object", "color", "size", "count")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default="gendsl/weights/captioner-world-32", help="captioner folder")
    p.add_argument("--data", default="data/world32", help="a world dataset folder")
    p.add_argument("--split", choices=SPLITS, default="test", help="which pictures (default test)")
    p.add_argument("--limit", type=int, help="read the first LIMIT pictures of the split (default all)")
    p.add_argument("--sheet", help="write the missed pictures here as a PNG contact sheet")
    args = p.parse_args(argv)
    model, judge = Captioner.load(args.model), load_default()
    images, truths, _, seeds = _split(args.data, args.split, args.limit)
    one = [i for i, t in enumerate(truths) if len(t.items) == 1]
    captions = model.caption(images[one], "greedy")
    misses = []  # (picture, wrong attributes, judge prefers: "caption" / "truth" / "neither", truth, caption)
    for start in range(0, len(one), 256):
        rows = one[start:start + 256]
        said = [scene_or_none(c) for c in captions[start:start + 256]]
        reading = judge.predict(images[rows])
        near_truth = agreement(reading, [truths[i] for i in rows])
        near_said = agreement(reading, [s if s is not None else truths[i] for s, i in zip(said, rows)])
        for k, i in enumerate(rows):
            verdict = compare(said[k], truths[i], unshown=unshown(truths[i], seeds[i]))
            if verdict["all"]:
                continue
            prefers = ("caption" if near_said[k] > near_truth[k] else "truth" if near_said[k] < near_truth[k]
                       else "neither")
            misses.append((i, [a for a in ATTRS if verdict[a] is False], prefers, truths[i], said[k]))
    print(f"captioner {model.fingerprint()} on {args.data} {args.split}: {len(one)} one-item pictures, "
          f"{len(misses)} missed ({100 * (1 - len(misses) / max(len(one), 1)):.1f}% all right)\n")
    print("| wrong | pictures | judge reads it as the caption | as the truth | neither |")
    print("|---|---|---|---|---|")
    for name in (*ATTRS, "any"):
        hit = [m for m in misses if name == "any" or name in m[1]]
        tally = Counter(m[2] for m in hit)
        print(f"| {name} | {len(hit)} | {tally['caption']} | {tally['truth']} | {tally['neither']} |")
    for name in ATTRS:
        pairs = Counter((getattr(m[3].items[0], name), getattr(m[4].items[0], name) if m[4] and m[4].items else None)
                        for m in misses if name in m[1])
        print(f"\n{name}: " + ", ".join(f"{t} -> {c} {n}" for (t, c), n in pairs.most_common(8)))
    if args.sheet and misses:
        tiles = [np.asarray(images[m[0]]) for m in misses]
        write_png(args.sheet, contact_sheet(tiles, cols=12, gap=1), zoom=4)
        print(f"\n{len(tiles)} missed pictures -> {args.sheet} (pictures: {', '.join(str(m[0]) for m in misses)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
