"""Captioners side by side, from the report.json that `gendsl eval FOLDER` writes in each folder.

    gendsl eval runs/cap-a && gendsl eval runs/cap-b
    python benchmarks/captioners.py runs/cap-a runs/cap-b

All right in % (every stated attribute right and the same number of items), greedy captions of the world's test
and held-out images, BLEU-4, and the cycle (scene -> drawn by the cGAN or the world -> caption -> that scene?).
Both folders must have been evaluated by the same code, so that the same rule scores them.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

COLUMNS = ("test one", "test one: position", "test two", "test all", "held-out one", "held-out two", "BLEU-4",
           "cycle seen/one, cGAN", "cycle seen/one, world")


def _share(figures: dict, name: str = "all") -> float:
    return 100 * figures[name]["accuracy"]


def row(report: dict) -> list[float]:
    test, held = report["test_greedy"], report["heldout_greedy"]
    one, two = test["by_items"]["1"], test["by_items"]["2"]
    cycle = report["cycle"]
    return [_share(one), _share(one, "position"), _share(two), _share(test["accuracy"]),
            _share(held["by_items"]["1"]), _share(held["by_items"]["2"]), 100 * test["bleu4"],
            _share(cycle["cgan"]["seen/one"]["accuracy"]), _share(cycle["world"]["seen/one"]["accuracy"])]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folders", nargs="+", help="evaluated captioner folders (each with report.json)")
    args = p.parse_args(argv)
    print("| captioner | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for folder in args.folders:
        report = json.loads((Path(folder) / "report.json").read_text())
        print(f"| {folder} | " + " | ".join(f"{v:.1f}" for v in row(report)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
