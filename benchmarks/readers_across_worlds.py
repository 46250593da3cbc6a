"""Two judges side by side on two worlds' test images: did retraining on a harder world cost what it reads?

    python benchmarks/readers_across_worlds.py --judges OLD_JUDGE_FOLDER gendsl/weights/judge-world-32 \
        --data data/world32-v1 data/world32-judge

Each judge reads each dataset's test split; the table gives all-right (and object, colour) by item count.
A judge retrained on world format 2 (every choice a sentence leaves open drawn from the seed) scores lower on
that world than the format-1 judge did on its own world; this says whether it reads the old world as well as the
old judge, and the new world better. The old world's images are made with the commit before the change:
    git worktree add /tmp/wt-v1 be15a12^ && cd /tmp/wt-v1 && python -m gendsl.worlds.scene.dataset DATA -n 20000 --seed 1000
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from gendsl.eval.judge import Judge
from gendsl.eval.metrics import judged_accuracy
from gendsl.worlds.scene.encode import decode
from gendsl.worlds.scene.dataset import load_split

COLUMNS = ("object", "color", "all")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--judges", nargs="+", required=True, help="judge folders")
    p.add_argument("--data", nargs="+", required=True, help="world dataset folders (their test splits are read)")
    p.add_argument("--limit", type=int, default=2000, help="test images per dataset (default 2000)")
    p.add_argument("--json", help="write the figures here too")
    args = p.parse_args(argv)
    figures, judges = {}, {folder: Judge.load(folder) for folder in args.judges}
    for data in args.data:
        images, cond, _ = load_split(data, "test")
        n = min(len(images), args.limit)
        x, scenes = np.asarray(images[:n]), [decode(c) for c in cond[:n]]
        for folder, judge in judges.items():
            got = judged_accuracy(judge, x, scenes, by_items=True)["by_items"]
            figures[f"{folder} on {data}"] = {k: {c: round(100 * v["accuracy"][c], 1) for c in COLUMNS} | {"n": v["n"]["all"]}
                                              for k, v in got.items()}
    print("| judge | test images of | " + " | ".join(f"{k} item(s): {c}" for k in "123" for c in COLUMNS) + " |")
    print("|---|---|" + "---|" * 9)
    for key, by in figures.items():
        judge, data = key.split(" on ")
        print(f"| {judge} ({judges[judge].fingerprint()}) | {data} | "
              + " | ".join(f"{by[k][c]:.1f}" if k in by else "—" for k in "123" for c in COLUMNS) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
