"""Box judges side by side: does each read the world's crowds, and does it read the thing rather than its box?

    python benchmarks/box_judges.py gendsl/weights/box-judge-world-32 runs/boxjudge6 --seeds 6

For each box judge folder, in one run:
- the ceiling: the world's own renders read by the composite judge (that box judge with the shipped whole-picture
  judge), all right in %, at the evaluation's seen and held-out scenes of one, two and three objects, at `--seeds`
  noise seeds (issue 12's bar: >= 97 / 95 / 90);
- false accepts: a one-object world picture of A (grass field by day) read as a right B in B's box, the mean over
  the pairs A != B at `--pair-seeds` seeds, and the worst pairs. A judge that reads the box's shape (a wide box in
  the sky is an airplane) passes a model that draws the wrong thing.
"""
from __future__ import annotations

import argparse

import numpy as np

from gendsl.eval.box_judge import BoxJudge
from gendsl.eval.composite_judge import CompositeJudge, world_ceiling
from gendsl.eval.protocol import load_judge
from gendsl.worlds import get
from gendsl.worlds.scene import vocab
from gendsl.worlds.scene.compiler import compile_scene_text
from gendsl.worlds.scene.render import render_scene


def false_accepts(judge: BoxJudge, seeds: list[int]) -> dict[tuple[str, str], float]:
    """{(drawn, asked): share of seeds at which a picture of `drawn` passes as `asked`}."""
    scenes = {o: compile_scene_text(f"a {o} in the grass field by day") for o in vocab.OBJECT.values}
    pictures = {o: np.stack([render_scene(scene, s, 32) for s in seeds]) for o, scene in scenes.items()}
    return {(a, b): float(judge.judge_items(pictures[a], [scenes[b]] * len(seeds), seeds)["object"].mean())
            for a in scenes for b in scenes if a != b}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folders", nargs="+", help="box judge folders")
    p.add_argument("--seeds", type=int, default=2, help="noise seeds of the ceiling")
    p.add_argument("--pair-seeds", type=int, default=10)
    args = p.parse_args()
    whole, world = load_judge("judge-world-32"), get("scene")
    print("| box judge | " + " | ".join(f"{g} all" for g in ("seen/one", "seen/two", "seen/three", "heldout/one",
                                                             "heldout/two", "heldout/three")) +
          " | false accepts | worst pairs |")
    print("|---" * 9 + "|")
    for folder in args.folders:
        boxes = BoxJudge.load(folder)
        ceiling = world_ceiling(CompositeJudge(boxes, whole), world, 200, tuple(range(args.seeds)))
        rates = false_accepts(boxes, list(range(args.pair_seeds)))
        worst = sorted(rates.items(), key=lambda kv: -kv[1])[:3]
        print(f"| {folder} ({boxes.fingerprint()}) | " + " | ".join(f"{100 * v['all']:.1f}" for v in ceiling.values())
              + f" | {100 * np.mean(list(rates.values())):.1f}% | "
              + ", ".join(f"{a} as {b} {100 * r:.0f}%" for (a, b), r in worst) + " |")


if __name__ == "__main__":
    main()
