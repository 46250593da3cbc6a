"""Contact sheets of renditions: 8 scenes x 8 seeds, the world beside each model, for the model cards.

    python benchmarks/renditions.py --models cgan cvae --out gendsl/weights/cgan-world-32/renditions.png

Each row is one scene; each block of 8 columns one drawer (the world first) at the same 8 seeds, so a
block shows how different one sentence's renditions are and the blocks side by side compare the drawers.
A second sheet (--variation-out) shows one scene's image at seed 7 walking to seed 99 as the strength rises.
"""
from __future__ import annotations

import argparse

import numpy as np
from PIL import Image

import gendsl
from gendsl.lang.noise import Noise
from gendsl.render import contact_sheet

SCENES = ("a yellow school bus parked in a parking lot", "a red car on the road", "a white boat on the lake",
          "a house in the grass field", "a green tree in the snowy field", "an airplane in the blue sky",
          "a gray elephant on the beach at night", "two red balloons above a blue truck on the road")
SEEDS = range(8)
STRENGTHS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)


def _scale(image: np.ndarray, side: int) -> np.ndarray:
    f = max(1, side // image.shape[0])
    return np.repeat(np.repeat(image, f, 0), f, 1)


def sheet(models: list[str], size: int, tile: int) -> np.ndarray:
    drawers = [gendsl.load("world", size=size)] + [gendsl.load(m) for m in models]
    rows = []
    for text in SCENES:
        cond = gendsl.encode(gendsl.compile_scene(text))
        blocks = [contact_sheet([_scale(x, tile) for x in d.generate(cond, list(SEEDS))], rows=1, gap=1)
                  for d in drawers]
        spacer = np.full((blocks[0].shape[0], 8, 3), 255, np.uint8)
        rows.append(np.concatenate([b for block in blocks for b in (block, spacer)][:-1], axis=1))
    return np.concatenate(rows, axis=0)


def variation_sheet(models: list[str], size: int, tile: int) -> np.ndarray:
    drawers = [gendsl.load("world", size=size)] + [gendsl.load(m) for m in models]
    cond = gendsl.encode(gendsl.compile_scene(SCENES[0]))
    tiles = [_scale(x, tile) for d in drawers for x in d.generate(cond, [Noise(7, 99, t) for t in STRENGTHS])]
    return contact_sheet(tiles, rows=len(drawers), cols=len(STRENGTHS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=["cgan", "cvae"])
    parser.add_argument("--size", type=int, default=32, help="the world's size (the models' own)")
    parser.add_argument("--tile", type=int, default=64)
    parser.add_argument("--out", default="renditions.png")
    parser.add_argument("--variation-out", help="also the variation walk (seed 7 to 99, rows: world, then models)")
    args = parser.parse_args()
    Image.fromarray(sheet(args.models, args.size, args.tile)).save(args.out)
    print(f"{args.out}: rows {', '.join(SCENES)}; blocks: world, {', '.join(args.models)}; seeds 0-7")
    if args.variation_out:
        Image.fromarray(variation_sheet(args.models, args.size, args.tile)).save(args.variation_out)
        print(f"{args.variation_out}: strengths {', '.join(map(str, STRENGTHS))}")


if __name__ == "__main__":
    main()
