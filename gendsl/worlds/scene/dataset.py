"""World datasets: rendered scenes, their conditioning vectors and captions, with held-out compositions.

    build_dataset("data/world-64", n=20_000, size=64, seed=0)
    images, cond, records = load_split("data/world-64", "train")

writes

    out_dir/manifest.json          counts, size, seed, held-out pairs, vocabulary sizes, arguments
    out_dir/{train,test,heldout}/
        images.npy                 uint8 N x size x size x 3 (written through a memmap, never whole in memory)
        cond.npy                   float32 N x encode.DIM
        captions.jsonl             {"index", "seed", "scene", "captions"} per image, in image order

Scene i is sampled from its own stream, seeds.stream(seed, "dataset", str(i)), which also
gives its image seed; scenes are drawn until n of them are free of held-out (object, place)
pairs (sample.HELD_OUT). Those n are split into train and test by a fixed rule (every
1/test_fraction-th one goes to test); the held-out scenes met on the way, plus `heldout`
more built on purpose, form the heldout split. Same arguments, same bytes, whatever the
number of workers. The build writes into a hidden sibling folder and renames it into place
at the end, so `out_dir` is either absent or complete.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import secrets
import shutil
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import vocab
from .encode import DIM, encode
from ...lang.errors import GendslError
from .ir import Scene
from ...lang.seeds import check_seed, stream
from ...limits import MAX_SEED
from .captions import captions
from .render import SIZES, render_scene
from .sample import HELD_OUT, is_held_out, sample_held_out_scene, sample_scene

MAX_SCENES = 1_000_000  # train + test images in one dataset
SPLITS = ("train", "test", "heldout")
CAPTIONS_PER_IMAGE = 5
FORMAT = 1

Key = tuple[str, ...]  # names a scene's random stream: (str(i),) sampled, ("heldout", str(k)) built held-out


def scene_of(seed: int, key: Key) -> tuple[Scene, int]:
    """The scene and image seed that a dataset with this seed draws under this key."""
    rng = stream(seed, "dataset", *key)
    image_seed = int(rng.integers(MAX_SEED + 1))
    scene = sample_held_out_scene(rng) if key[0] == "heldout" else sample_scene(rng)
    return scene, image_seed


def plan(n: int, seed: int = 0, test_fraction: float = 0.1, heldout: int | None = None) -> dict[str, list[Key]]:
    """Which scene goes to which split, as stream keys (so a million-scene plan stays small)."""
    splits: dict[str, list[Key]] = {name: [] for name in SPLITS}
    kept = i = 0
    while kept < n:
        key = (str(i),)
        i += 1
        if is_held_out(scene_of(seed, key)[0]):
            splits["heldout"].append(key)
            continue
        to_test = math.floor((kept + 1) * test_fraction) > math.floor(kept * test_fraction)
        splits["test" if to_test else "train"].append(key)
        kept += 1
    built = round(n * test_fraction) if heldout is None else heldout
    splits["heldout"] += [("heldout", str(k)) for k in range(built)]
    return splits


def _draw(job: tuple[int, Key, int]) -> tuple[Scene, int, np.ndarray, list[str]]:
    seed, key, size = job
    scene, image_seed = scene_of(seed, key)
    return scene, image_seed, render_scene(scene, image_seed, size), captions(scene, image_seed, CAPTIONS_PER_IMAGE)


def _array(path: Path, shape: tuple[int, ...], dtype) -> np.ndarray:
    """An .npy file to fill in place (a memmap), or a plain array for an empty split."""
    if math.prod(shape) == 0:
        np.save(path, np.zeros(shape, dtype))
        return np.zeros(shape, dtype)
    return np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)


def _write_split(folder: Path, seed: int, keys: list[Key], size: int, draw, bar: tqdm) -> None:
    folder.mkdir()
    images = _array(folder / "images.npy", (len(keys), size, size, 3), np.uint8)
    cond = _array(folder / "cond.npy", (len(keys), DIM), np.float32)
    with open(folder / "captions.jsonl", "w", encoding="utf-8", newline="\n") as lines:
        for index, (scene, image_seed, image, texts) in enumerate(draw((seed, key, size) for key in keys)):
            images[index] = image
            cond[index] = encode(scene)
            lines.write(json.dumps({"index": index, "seed": image_seed, "scene": str(scene),
                                    "captions": texts}) + "\n")
            bar.update(1)
    for array in (images, cond):
        if isinstance(array, np.memmap):
            array.flush()
    del images, cond


def _version() -> str | None:
    import gendsl

    version = getattr(gendsl, "__version__", None)
    if version:
        return str(version)
    try:
        from importlib.metadata import PackageNotFoundError, version as package_version
        return package_version("gendsl")
    except PackageNotFoundError:
        return None


def _check(n: int, size: int, seed: int, test_fraction: float, heldout: int | None, workers: int) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SCENES:
        raise GendslError(f"a dataset holds 1 to {MAX_SCENES:,} train and test images, not {n!r}")
    if size not in SIZES:
        raise GendslError(f"size must be one of {', '.join(map(str, SIZES))}, not {size!r}")
    try:
        check_seed(seed)
    except (TypeError, ValueError) as error:
        raise GendslError(str(error)) from None
    if not 0 <= test_fraction < 1:
        raise GendslError(f"test_fraction must be at least 0 and below 1, not {test_fraction!r}")
    if heldout is not None and not 0 <= heldout <= MAX_SCENES:
        raise GendslError(f"heldout must be between 0 and {MAX_SCENES:,}, not {heldout!r}")
    if not isinstance(workers, int) or workers < 1:
        raise GendslError(f"workers must be a whole number of at least 1, not {workers!r}")


def build_dataset(out_dir, n: int, size: int, seed: int = 0, test_fraction: float = 0.1, progress: bool = True,
                  *, heldout: int | None = None, workers: int = 1, overwrite: bool = False,
                  command: list[str] | None = None, mapper=None) -> dict:
    """Render n train+test scenes (and the held-out ones) into out_dir; returns the manifest.

    heldout: how many held-out scenes to build on purpose (default n * test_fraction), on top of
    those the sampler meets. workers > 1 renders in that many processes, with the same bytes.
    command: the command line that asked for the build, recorded in the manifest.
    mapper: draws the jobs elsewhere (mapper(jobs) -> world draws, in order; e.g. cluster.ray_mapper).
    """
    _check(n, size, seed, test_fraction, heldout, workers)
    out = Path(out_dir)
    if out.exists() and not overwrite:
        raise GendslError(f"{out} already exists; choose another folder or pass overwrite=True to replace it")
    if out.exists() and not out.is_dir():
        raise GendslError(f"{out} exists and is not a folder; it will not be replaced")
    splits = plan(n, seed, test_fraction, heldout)
    manifest = {
        "format": FORMAT,
        "gendsl_version": _version(),
        "n": {name: len(keys) for name, keys in splits.items()},
        "size": size,
        "seed": seed,
        "test_fraction": test_fraction,
        "held_out": [list(pair) for pair in HELD_OUT],
        "vocabulary": {cat.name: len(cat.values) for cat in vocab.WORD_CATEGORIES},
        "cond_dim": DIM,
        "captions_per_image": CAPTIONS_PER_IMAGE,
        "args": {"n": n, "size": size, "seed": seed, "test_fraction": test_fraction, "heldout": heldout},
        "command": command,
    }

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    pool = None
    try:
        if mapper is not None:
            draw = mapper
        elif workers > 1:
            pool = multiprocessing.get_context().Pool(workers)
            draw = lambda jobs: pool.imap(_draw, jobs, chunksize=16)  # noqa: E731
        else:
            draw = lambda jobs: map(_draw, jobs)  # noqa: E731
        total = sum(len(keys) for keys in splits.values())
        with tqdm(total=total, desc=f"dataset {out.name}", unit="img", disable=not progress) as bar:
            for name, keys in splits.items():
                _write_split(tmp / name, seed, keys, size, draw, bar)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        if out.exists():  # overwrite=True: move the old one aside only once the new one is whole
            old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        if pool is not None:
            pool.terminate()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def load_split(out_dir, split: str) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """(images as a read-only memmap, cond, caption records) of one split of a built dataset."""
    if split not in SPLITS:
        raise GendslError(f"a dataset's splits are {', '.join(SPLITS)}, not {split!r}")
    folder = Path(out_dir) / split
    if not (Path(out_dir) / "manifest.json").is_file() or not folder.is_dir():
        raise GendslError(f"{out_dir} is not a built world dataset (no manifest.json or no {split}/ folder)")
    images = np.load(folder / "images.npy", mmap_mode="r")
    cond = np.load(folder / "cond.npy")
    with open(folder / "captions.jsonl", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return images, cond, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gendsl.worlds.scene.dataset", description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("-n", type=int, required=True, help="train + test images")
    parser.add_argument("--size", type=int, default=64, choices=SIZES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-fraction", type=float, default=0.1)
    parser.add_argument("--heldout", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    try:
        manifest = build_dataset(args.out_dir, args.n, args.size, args.seed, args.test_fraction, not args.quiet,
                                 heldout=args.heldout, workers=args.workers, overwrite=args.overwrite,
                                 command=["python", "-m", "gendsl.worlds.scene.dataset", *argv])
    except GendslError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(manifest["n"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
