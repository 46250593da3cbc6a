"""`gendsl …`: the command line, a thin layer over the package.

Bad input (a mistyped sketch, an absurd value, a missing file) prints a
located message and exits 2 with no traceback; an interrupted run exits 130
and leaves no half-written file (every write is atomic).
"""
from __future__ import annotations

import argparse
import glob
import os
import sys
from pathlib import Path

from . import limits
from ._version import __version__
from .lang import GendslError, load_sketch
from .lang.unused import unused_words

EXIT_BAD_INPUT = 2
_TRAINERS: dict = {}  # `gendsl train KIND` handlers added by gendsl.commands modules


def _sketch_paths(patterns: list[str]) -> list[Path]:
    paths: list[Path] = []
    for pattern in patterns:
        if not pattern.strip():
            raise GendslError("a sketch path is empty")
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        if not matches:
            raise GendslError(f"no sketch files match {pattern}")
        paths += [Path(m) for m in matches]
    return paths


def cmd_check(args) -> int:
    from .lang.expand import Expander
    from .models import check_name
    from .render.jobs import sketch_model, sketch_world

    for path in _sketch_paths(args.sketches):
        sketch = load_sketch(path)
        check_name(sketch_model(sketch))
        expander = Expander.for_sketch(sketch, sketch_world(sketch))
        combos = 0
        for decl in sketch.scenes:
            for expansion in expander.every(decl.template, limits.MAX_EXPANSIONS_CHECKED):
                expansion.compile()
                combos += 1
        from .render import sketch_seeds
        from .render.sketch import check_grids
        check_grids(sketch, sketch.grids, sketch_seeds(sketch))
        print(f"{path}: ok, {len(sketch.scenes)} scenes, {combos} scene texts checked, model {sketch_model(sketch)}")
    return 0


def cmd_render(args) -> int:
    import time

    from .lang import checks
    from .lang.compiler import compile_grid_text
    from .models import check_name
    from .render import plan, render_sketch, sketch_seeds
    from .render.sketch import RenderOptions
    from .render.sketch import check_grids, checked_models
    from .render.jobs import sketch_model

    started = time.perf_counter()
    checks.upscale(args.upscale, args.resample)  # the factor itself; the size it makes is checked per model
    if not args.out.strip():
        raise GendslError("--out is empty: name the folder to write into")
    paths = _sketch_paths(args.sketches)
    grids = [(text, compile_grid_text(text)) for text in args.grid or ()]
    # Every sketch is compiled, expanded and planned before anything is written: a typo writes nothing.
    runs, rendered = [], set()
    for path in paths:
        sketch = load_sketch(path)
        check_name(args.model or sketch_model(sketch))
        seeds = sketch_seeds(sketch, args.seed, args.variations, args.seed_mode, args.variation_seed, args.strength)
        jobs = plan(sketch, seeds, args.scene, args.mode, args.model)
        chosen = {j.scene_name for j in jobs}
        rendered |= chosen
        check_grids(sketch, [g for g in (*sketch.grids, *(g for _, g in grids)) if g.scene in chosen], seeds)
        runs.append((path, sketch, seeds, len(jobs)))
    for text, grid in grids:  # a --grid no sketch draws is a mistake, not a silent nothing
        if grid.scene not in rendered:
            raise GendslError(f'--grid "{text}": no scene named "{grid.scene}" is rendered; '
                              f"scenes rendered: {', '.join(sorted(rendered))}")
    models = checked_models([(path, sketch, seeds) for path, sketch, seeds, _ in runs], args.model, args.upscale,
                            args.resample, args.size)
    failures = []
    out_root = _writable_folder(args.out)
    images, files = 0, 0
    with _progress(sum(r[3] for r in runs), "rendering", args.quiet) as bar:
        for path, sketch, seeds, total in runs:
            out = out_root / path.stem if len(paths) > 1 else out_root
            if isinstance(models[path], GendslError):
                failures.append((path, models[path]))
                continue
            try:
                options = RenderOptions(seeds, args.scene, args.mode, args.upscale, args.resample, args.sidecar,
                                        [g for _, g in grids if _has_scene(sketch, g)])
                written = render_sketch(sketch, out, models[path], options, progress=bar.update)
            except GendslError as error:
                failures.append((path, error))
                continue
            images, files = images + total, files + len(written)
            if seeds.mode == "random" and not args.quiet:
                print(f"{path}: seeds used: {', '.join(map(str, dict.fromkeys(seeds.seeds)))}")
    if not args.quiet:
        done = len(runs) - len(failures)
        print(f"{done} sketch{'es' if done != 1 else ''} rendered: {images} images, {files} files in {out_root} "
              f"({time.perf_counter() - started:.1f} s)" + (f"; {len(failures)} failed" if failures else ""))
    for path, error in failures:
        print(f"{path}: failed: {error}", file=sys.stderr)
    return EXIT_BAD_INPUT if failures else 0


def _writable_folder(path: str) -> Path:
    if not path.strip():
        raise GendslError("--out is empty: name the folder to write into")
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GendslError(f"cannot write to the folder {folder}: {error.strerror or error}") from None
    if not os.access(folder, os.W_OK):
        raise GendslError(f"cannot write to the folder {folder}: permission denied")
    return folder


def _has_scene(sketch, grid) -> bool:
    return any(d.name == grid.scene for d in sketch.scenes)


def cmd_restore(args) -> int:
    from .io import atomic_write_bytes
    from .render import restore_file

    from .lang.textfile import read_bytes

    out = _writable_folder(args.out)
    differ = 0
    for name in args.images:
        source = Path(name)
        restored = restore_file(source, args.model, args.force)
        target = out / source.name
        if target.resolve() == source.resolve():
            raise GendslError(f"{target} is the image being restored; choose another --out folder")
        atomic_write_bytes(target, restored.png)
        same = read_bytes(source, "image", limits.MAX_PNG_BYTES) == restored.png
        differ += not same
        print(f"{target}: {'identical to' if same else 'differs from'} {source} "
              f"(scene: {restored.metadata['scene']}, seed {restored.metadata['seed']})")
    return 1 if differ else 0


def cmd_data(args) -> int:
    from .worlds.scene.dataset import build_dataset

    if args.source != "world":
        raise GendslError(f'unknown data source "{args.source}"; known: world')
    if args.size not in limits.SIZES:
        raise GendslError(f"size must be one of {', '.join(map(str, limits.SIZES))}, not {args.size}")
    manifest = build_dataset(args.out, n=args.n, size=args.size, seed=args.seed, test_fraction=args.test_fraction,
                             progress=not args.quiet, overwrite=args.overwrite, workers=args.workers)
    counts = ", ".join(f"{split} {count}" for split, count in manifest["n"].items())
    print(f"{args.out}: {counts} images at {args.size} px")
    return 0


DEFAULT_STEPS, MAX_TRAIN_STEPS = 4000, 10_000_000  # gendsl train --steps


def cmd_train(args) -> int:
    if args.kind not in args.known_kinds:
        from .lang.errors import suggestion_hint
        hint = suggestion_hint(args.kind, args.known_kinds, cutoff=0.5) or f"known: {', '.join(args.known_kinds)}"
        raise GendslError(f'no trainable model kind "{args.kind}"; {hint}')
    scaled = [flag for flag, on in (("--replicas", getattr(args, "replicas", 1) != 1),
                                    ("--mixed-precision", getattr(args, "mixed_precision", False)),
                                    ("--xla", getattr(args, "xla", False))) if on]
    if scaled and args.kind not in ("cgan", "cvae"):  # the one driver's conditional models; others would ignore them
        raise GendslError(f"{', '.join(scaled)}: only for gendsl train cgan or cvae, not {args.kind}")
    if args.kind == "box-judge" and args.steps is not None:  # it would be ignored
        raise GendslError("the box judge trains whole --epochs; --steps is not one of its options")
    if args.steps is not None and not 1 <= args.steps <= MAX_TRAIN_STEPS:
        raise GendslError(f"--steps must be between 1 and {MAX_TRAIN_STEPS}, not {args.steps}")
    args.steps_given, args.steps = args.steps, DEFAULT_STEPS if args.steps is None else args.steps
    if args.kind in _TRAINERS:
        return _TRAINERS[args.kind](args)
    from .commands.training import train_learned
    return train_learned(args)


def cmd_eval(args) -> int:
    from .commands import retrieval
    if retrieval.evaluates(args.model):  # captioners and hashing models have their own report
        return retrieval.cmd_eval(args)
    from .eval import evaluate, format_table
    from .eval.protocol import load_judge
    from .models import load

    if args.steps is not None and not 1 <= args.steps <= 100_000:
        raise GendslError(f"--steps must be between 1 and 100000, not {args.steps}")
    model = load(args.model)
    judges = [load_judge(args.judge)] if args.judge else None  # None: every judge of the model's world
    out = Path(args.out) if args.out else (Path(args.model) if Path(args.model).is_dir() else Path("eval") / args.model)
    report = evaluate(model, judges, n_scenes=args.scenes, seeds=args.seeds, out_dir=out, steps=args.steps)
    print(format_table(report))
    print(f"report written to {out}")
    return 0


def cmd_scene(args) -> int:
    from .worlds.scene.compiler import compile_scene
    from .worlds.scene.encode import encode
    from .worlds.scene.encode import blocks

    scene = compile_scene(args.text, seed=args.seed)
    print(scene)
    print(repr(scene))
    if args.vector:
        vector = encode(scene)
        for name, start, stop in blocks():
            if vector[start:stop].any():
                print(f"  {name:16s} [{start:3d}:{stop:3d}] {vector[start:stop].round(3).tolist()}")
    return 0


class _progress:
    """A tqdm bar on stderr, or nothing when quiet."""

    def __init__(self, total: int, label: str, quiet: bool):
        self.bar = None
        if not quiet:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=label, unit="img", leave=False, file=sys.stderr)

    def __enter__(self):
        return self

    def update(self, n: int):
        if self.bar:
            self.bar.update(n)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gendsl", description="Write scenes, render seeded images of them.")
    parser.add_argument("--version", action="version", version=f"gendsl {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="parse and expand sketches, report errors, write nothing")
    check.add_argument("sketches", nargs="+", help="sketch files or globs")
    check.set_defaults(func=cmd_check)

    render = sub.add_parser("render", help="render sketches to PNG files (grids and morphs too)")
    render.add_argument("sketches", nargs="+", help="sketch files or globs")
    render.add_argument("--out", default="out", help="output folder (default: out)")
    render.add_argument("--model", help="model name or saved model folder (default: the sketch's `use`)")
    render.add_argument("--scene", action="append", help="only this scene (repeatable)")
    render.add_argument("--seed", type=int, help="first seed (default: the sketch's `seed`)")
    render.add_argument("--variations", type=int, help="images per scene (default: the sketch's `variations`)")
    render.add_argument("--seed-mode", choices=limits.SEED_MODES,
                        help="how seeds follow the first: increment (default), fixed, random (the seeds used are "
                             "printed and stored in each image)")
    render.add_argument("--variation-seed", type=int, help="a second noise mixed into each image (seed mode then "
                        "defaults to fixed; variation seeds count up from this one)")
    render.add_argument("--strength", type=float, default=0.0, help="how much of the variation seed's noise, 0 to 1")
    render.add_argument("--mode", choices=limits.MODES, help="how variants are chosen (default: the sketch's mode, "
                        "else random)")
    render.add_argument("--grid", action="append", metavar='"SCENE by AXIS [x AXIS]"',
                        help="also draw a labelled grid, e.g. \"mix by place x seed\" (repeatable); axes: seed, "
                             "strength, model, a variable or a kind of word")
    render.add_argument("--upscale", type=int, default=1, help=f"enlarge images for display, 1 to "
                        f"{limits.MAX_UPSCALE} times (the model's size is unchanged)")
    render.add_argument("--resample", choices=["nearest", "bicubic"], default="nearest",
                        help="how --upscale enlarges: nearest (crisp pixels, default) or bicubic (smooth)")
    render.add_argument("--sidecar", action="store_true", help="also write each image's metadata as JSON beside it")
    render.add_argument("--size", type=int, choices=limits.SIZES, help="image size for models that draw any size")
    render.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    render.set_defaults(func=cmd_render)

    restore = sub.add_parser("restore", help="make images again, byte for byte, from the metadata in their PNGs")
    restore.add_argument("images", nargs="+", help="PNG files written by gendsl")
    restore.add_argument("--out", required=True, help="folder for the remade images")
    restore.add_argument("--model", help="use this model (name or folder) instead of the one the image names")
    restore.add_argument("--force", action="store_true", help="redraw even with a model that draws differently")
    restore.set_defaults(func=cmd_restore)

    data = sub.add_parser("data", help="build a training dataset")
    data.add_argument("source", help="where the data comes from: world")
    data.add_argument("--n", type=int, default=50_000, help="images in train + test (default 50000)")
    data.add_argument("--size", type=int, default=64)
    data.add_argument("--seed", type=int, default=0)
    data.add_argument("--test-fraction", type=float, default=0.1)
    data.add_argument("--out", required=True)
    data.add_argument("--overwrite", action="store_true")
    data.add_argument("--workers", type=int, default=1, help="processes (the bytes do not depend on it)")
    data.add_argument("--quiet", action="store_true")
    data.set_defaults(func=cmd_data)

    train = sub.add_parser("train", help="train a model (checkpoints, --resume, progress, CSV log, sample grids)")
    train.add_argument("kind", help="cgan, cvae, judge or box-judge (and the kinds other capabilities add)")
    train.add_argument("--data", default="world", help="'world' (the default world dataset), a folder from `gendsl data world`, "
                       "a built-in world by name (it renders its own pictures), or a folder of your images with captions.txt "
                       "(and world.toml for your own words)")
    train.add_argument("--examples", type=int, default=20_000, help="pictures a rendering world draws to train on "
                       "(--data NAME of a built-in world; default 20000)")
    train.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                       help="a model config field, e.g. --set diversity_weight=0 (repeatable)")
    train.add_argument("--size", type=int, default=32, help="image size, 32, 64 or 128 (default 32)")
    train.add_argument("--out", required=True, help="run folder: checkpoints, logs, samples and the saved model")
    train.add_argument("--steps", type=int, help="training steps (default 4000); the scene world's judge trains "
                       "--epochs, and stops early after --steps when given (resume it with the same --epochs)")
    train.add_argument("--epochs", type=int, help="the scene world's judges only (default: the judge's own); a place "
                       "judge (--data a world with places) trains --steps through the training driver")
    train.add_argument("--batch", type=int, default=64)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--width", type=int, help="network width (default: the model's)")
    train.add_argument("--conditioning", choices=["layout", "instances", "details", "flat"],
                       help="layout maps; the maps with each instance's own noise (its design); those and where the backdrop's "
                       "markings, hills and clouds are (details); or the flat keras-io baseline")
    train.add_argument("--checkpoint-every", type=int, default=250)
    train.add_argument("--sample-every", type=int, default=500)
    train.add_argument("--resume", action="store_true", help="continue the run in --out where it stopped")
    train.add_argument("--quiet", action="store_true")
    train.set_defaults(func=cmd_train)

    evaluate = sub.add_parser("eval", help="judge a model: accuracy per attribute, FID, diversity, samples")
    evaluate.add_argument("model", help="a model name or saved model folder")
    evaluate.add_argument("--judge", help="a judge's name or folder (default: every judge of the model's world)")
    evaluate.add_argument("--scenes", type=int, default=200, help="scenes per group (seen / held-out)")
    evaluate.add_argument("--seeds", type=int, default=2, help="noise seeds per scene")
    evaluate.add_argument("--out", help="report folder (default: the model folder)")
    evaluate.add_argument("--steps", type=int, help="sampler steps, for models whose sampler takes them (the RBM's "
                          "Gibbs sweeps; default: the model's)")
    evaluate.set_defaults(func=cmd_eval)

    scene = sub.add_parser("scene", help="show the canonical scene (and vector) a phrase compiles to")
    scene.add_argument("text")
    scene.add_argument("--seed", type=int, default=0, help="seed for variants")
    scene.add_argument("--vector", action="store_true", help="print the conditioning vector's nonzero blocks")
    scene.set_defaults(func=cmd_scene)

    for command in (check, render, scene):
        command.add_argument("--strict", action="store_true", help="refuse words the world cannot draw "
                             "(without it they are left out, with a warning)")
    from .commands import extend
    _TRAINERS.update(extend(sub, train))
    known = ["cgan", "cvae", "judge", "box-judge", *_TRAINERS]
    train.set_defaults(known_kinds=known)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("train", "eval", "caption", "index", "search"):  # these load Keras models
        from ._tf import import_tensorflow_quietly
        import_tensorflow_quietly()
    try:
        with unused_words(getattr(args, "strict", False)) as report:
            try:
                return args.func(args)
            finally:  # the words left out, each once, after the run's own output
                for warning in report.found:
                    print(warning, file=sys.stderr)
    except GendslError as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; files already written are complete, nothing is half-written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
