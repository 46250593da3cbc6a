"""Where renditions differ: intra-scene SSIM split into the objects' boxes, the sky and the ground.

    python benchmarks/ssim_regions.py cgan --scenes 30

The figure `gendsl eval` reports (eval/variety.py: mean SSIM among 8 seeds of one-object scenes) is the mean of a
per-pixel SSIM map. This prints that map's mean over the pixels of each region, for the world's renders and for
the model at the same scenes and seeds: a region where the model's figure is well above the world's is where its
renditions look alike. Regions come from the layout maps of each seed (the boxes; below the horizon is ground),
so a pixel is "box" if either image of a pair has an object there. Issue 12 found the ground (0.64 against the
world's 0.47) and the sky (0.55 against 0.45) behind the cGAN's gap, and then the backdrop's details.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
from scipy.ndimage import uniform_filter

import gendsl
from gendsl.eval.metrics import generate, image_seeds
from gendsl.eval.similarity import K1, K2, RANGE, WINDOW
from gendsl.eval.variety import _Reference
from gendsl.worlds.scene.layout_maps import CHANNELS, MASK_CHANNEL, layout_maps


def ssim_maps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, H', W') SSIM maps of image pairs, channels averaged, border left out: eval/similarity.py's arithmetic."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    size, n = (1, WINDOW, WINDOW, 1), WINDOW * WINDOW
    ma, mb = uniform_filter(a, size), uniform_filter(b, size)
    va = (uniform_filter(a * a, size) - ma * ma) * n / (n - 1)
    vb = (uniform_filter(b * b, size) - mb * mb) * n / (n - 1)
    cov = (uniform_filter(a * b, size) - ma * mb) * n / (n - 1)
    c1, c2 = (K1 * RANGE) ** 2, (K2 * RANGE) ** 2
    s = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
    pad = (WINDOW - 1) // 2
    return s.mean(-1)[:, pad:-pad, pad:-pad]


def regions(model, n_scenes: int, seeds: int = 8) -> dict:
    world = model.world
    scenes = next(iter(world.evaluation_scenes(2 * n_scenes, False, 0).values()))[:n_scenes]
    grid = np.array([image_seeds(1000 + j, len(scenes), "diversity") for j in range(seeds)], np.int64).T
    flat_scenes = [s for s in scenes for _ in range(seeds)]
    flat_seeds = [int(s) for s in grid.reshape(-1)]
    maps = np.stack([layout_maps(s, k, model.size) for s, k in zip(flat_scenes, flat_seeds)])
    shape = (len(scenes), seeds, model.size, model.size)
    box, ground = (maps[..., MASK_CHANNEL] > 0).reshape(shape), (maps[..., CHANNELS - 1] > 0).reshape(shape)
    pad = (WINDOW - 1) // 2
    out = {}
    for who, drawer in (("world", _Reference(world, model.size)), ("model", model)):
        images = generate(drawer, flat_scenes, flat_seeds, world).reshape(*shape, 3)
        sums = {"all": [], "box": [], "sky": [], "ground": []}
        for p, q in zip(*np.triu_indices(seeds, 1)):
            s = ssim_maps(images[:, p], images[:, q])
            either = (box[:, p] | box[:, q])[:, pad:-pad, pad:-pad]
            below = (ground[:, p] & ground[:, q])[:, pad:-pad, pad:-pad] & ~either
            above = ~(ground[:, p] | ground[:, q])[:, pad:-pad, pad:-pad] & ~either
            for name, where in (("all", np.ones_like(either)), ("box", either), ("sky", above), ("ground", below)):
                sums[name].append(float(s[where].mean()) if where.any() else float("nan"))
        out[who] = {name: round(float(np.nanmean(v)), 3) for name, v in sums.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="a model name or folder")
    parser.add_argument("--scenes", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps(regions(gendsl.load(args.model), args.scenes)))


if __name__ == "__main__":
    main()
