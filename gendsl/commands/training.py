"""`gendsl train` for the judges and the learned conditional models, and the default world dataset.

Kept apart from cli.py (the parser and the other commands): training pulls in Keras, and other command
modules need the world dataset too (`--data world`).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .. import limits, worlds
from ..lang.errors import GendslError


def world_data(spec: str, size: int, quiet: bool) -> Path:
    """`--data world` means the default world dataset at this size, built on first use."""
    if spec != "world":
        return Path(spec)
    path = Path("data") / f"world{size}"
    if not (path / "manifest.json").is_file():
        from ..worlds.scene.dataset import build_dataset
        print(f"building the world dataset in {path} (50000 images at {size} px, once)", file=sys.stderr)
        build_dataset(path, n=50_000, size=size, seed=0, progress=not quiet, workers=os.cpu_count() or 1)
    return path


def data_world(spec: str) -> worlds.World:
    """The world `--data` speaks: a folder's world.toml, a world by name, or the scene world."""
    if (Path(spec) / worlds.TOML).is_file():
        return worlds.from_folder(spec)
    return worlds.get(spec) if spec in worlds.names() else worlds.default()


# config fields a command sets itself, and what sets them: --set may not (a size would skip the size check)
OWNED_FIELDS = {"size": "--size", "judge": "the shipped judge (its fingerprint)"}


def config_overrides(pairs, config_class) -> dict:
    """`--set field=value` pairs as config fields, each value read as JSON (a number, true) or else as text."""
    from dataclasses import fields

    known, out = {f.name for f in fields(config_class)} - set(OWNED_FIELDS), {}
    for pair in pairs:
        name, eq, text = pair.partition("=")
        if eq and name in OWNED_FIELDS:
            raise GendslError(f'--set cannot set {name}: {OWNED_FIELDS[name]} does')
        if not eq or name not in known:
            raise GendslError(f'--set takes FIELD=VALUE with a field of the model\'s config ({", ".join(sorted(known))}), '
                              f'not "{pair}"')
        try:
            out[name] = json.loads(text)
        except json.JSONDecodeError:
            out[name] = text
        default = next(f.default for f in fields(config_class) if f.name == name)
        if isinstance(default, float) and type(out[name]) is int:  # `--set kl_weight=0` is the float 0.0
            out[name] = float(out[name])
        if isinstance(default, tuple) and isinstance(out[name], list):  # `--set widths=[48,96,192]`
            out[name] = tuple(out[name])
    return out


def train_learned(args) -> int:
    """`gendsl train judge | box-judge | cgan | cvae`."""
    import keras

    from ..train import TrainConfig, WorldTrainData, train

    if args.kind == "judge" and data_world(args.data).places() is not None:  # the world reads place by place
        from ..eval.place_fit import train_place_judge
        train_place_judge(data_world(args.data), args.out, steps=args.steps, batch_size=args.batch,
                          examples=args.examples, seed=args.seed, resume=args.resume, progress=not args.quiet,
                          command="gendsl " + " ".join(sys.argv[1:]), checkpoint_every=args.checkpoint_every)
        print(f"{args.out}: judge trained; its report is in {args.out}/README.md; use it with: gendsl eval MODEL "
              f"--judge {args.out}")
        return 0
    if args.kind == "judge":
        from ..eval import train_judge
        from ..eval.judge import Config as JudgeConfig
        data = world_data(args.data, 32, args.quiet)
        options = {"epochs": args.epochs} if args.epochs else {}
        if getattr(args, "steps_given", None):  # stop early; the schedule stays that of --epochs
            options["steps"] = args.steps_given
        overrides = config_overrides(getattr(args, "set", []), JudgeConfig)
        if getattr(args, "init_from", None):  # its network's shape, and whatever --set changes
            from dataclasses import replace

            from ..eval.fit import saved_judge
            options["init_from"] = args.init_from
            options["config"] = replace(saved_judge(args.init_from).config, **overrides)
        elif overrides:
            options["config"] = JudgeConfig(**overrides)
        train_judge(data, args.out, batch_size=args.batch, seed=args.seed, progress=not args.quiet,
                    command=["gendsl", *sys.argv[1:]], resume=args.resume, checkpoint_every=args.checkpoint_every,
                    **options)
        print(f"{args.out}: judge trained; its report is in {args.out}/README.md")
        return 0
    if args.kind == "box-judge":
        from ..eval.box_fit import train_and_report
        from ..eval.box_judge import BoxConfig
        config = BoxConfig(**config_overrides(getattr(args, "set", []), BoxConfig))
        train_and_report(world_data(args.data, 32, args.quiet), args.out, args.epochs or 6, args.seed,
                         not args.quiet, "gendsl " + " ".join(sys.argv[1:]), args.resume, args.checkpoint_every, config)
        print(f"{args.out}: box judge trained; its report is in {args.out}/README.md")
        return 0
    if args.size not in limits.SIZES:
        raise GendslError(f"size must be one of {', '.join(map(str, limits.SIZES))}, not {args.size}")
    world = data_world(args.data)
    conditioning = args.conditioning or ("layout" if world.map_channels else "flat")  # a words world has no layout
    overrides = {k: v for k, v in (("width", args.width), ("conditioning", conditioning)) if v is not None}
    if args.kind == "cgan":
        from ..models.cgan import CGAN as Model, CGANConfig as Config
    else:
        from ..models.cvae import CVAE as Model, CVAEConfig as Config
    if args.conditioning == "flat" and args.kind == "cgan":
        overrides.update(l1_weight=0.0, encoder_width=0, diversity_weight=0.0)  # keras-io baseline: adversarial loss only
    overrides.update(config_overrides(getattr(args, "set", []), Config))
    from contextlib import nullcontext

    from ..distribute import set_precision, strategy_for
    strategy = strategy_for(getattr(args, "replicas", 1))  # first: a CPU is split before TensorFlow starts
    set_precision(getattr(args, "mixed_precision", False))
    keras.utils.set_random_seed(args.seed)  # weight initialisation; the driver derives everything else
    with strategy.scope() if strategy else nullcontext():
        model = Model(Config(size=args.size, **overrides), world=world)
    if getattr(args, "init_from", None) and not args.resume:
        from ..models.warm_start import init_generator
        init_generator(model, args.init_from)
    if (Path(args.data) / "captions.txt").is_file():  # the user's own images (in their own words, with world.toml)
        from ..data.folder import FolderTrainData
        data = FolderTrainData(args.data, args.size, model.config.conditioning, world)
    elif args.data in worlds.names():  # a world by name draws its own training pictures (`world` is a dataset)
        from ..train import RenderedTrainData
        data = RenderedTrainData(world, getattr(args, "examples", 20_000), args.size, model.config.conditioning,
                                 args.seed)
    else:
        data = WorldTrainData(world_data(args.data, args.size, args.quiet), args.size, model.config.conditioning)
    config = TrainConfig(steps=args.steps, batch_size=args.batch, seed=args.seed,
                         checkpoint_every=args.checkpoint_every, sample_every=args.sample_every)
    summary = train(model, data, args.out, config, resume=args.resume, progress=not args.quiet,
                    command="gendsl " + " ".join(sys.argv[1:]), strategy=strategy,
                    xla=getattr(args, "xla", False))
    if hasattr(model, "fit_latent"):  # the sampler's prior, fitted to the encoder's codes (cgan.latent_map)
        model.fit_latent(data).save(args.out)
    print(f"{args.out}: {summary['steps']} steps, {summary['images_per_s']} images/s; "
          f"evaluate with: gendsl eval {args.out}")
    return 0
