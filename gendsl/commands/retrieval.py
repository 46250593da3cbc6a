"""`gendsl caption`, `gendsl index`, `gendsl search`, and `gendsl train captioner|hashing`.

    gendsl caption out/classic-0007.png                      # a sentence the language parses
    gendsl index out/ --out my.index                         # binary codes for a folder of images
    gendsl search my.index "red car on the beach" --top 8    # text -> image
    gendsl search my.index --image out/classic-0007.png      # image -> image and image -> caption

Imports are light: TensorFlow loads only when a handler runs.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..lang.errors import GendslError


def register(sub, train) -> dict:
    train.add_argument("--bits", type=int, choices=[16, 32, 64, 128], help="hashing only: code length (default 64)")
    train.add_argument("--binarize", choices=["noise", "straight-through"],
                       help="hashing only: how the code layer is pushed to binary (default noise)")
    train.add_argument("--limit", type=int, help="captioner and hashing: use only the first N training images")
    train.add_argument("--encoder", choices=["judge", "tuned", "own"],
                       help="captioner only: read the shipped judge's frozen features (default), train the judge's "
                            "network on with the decoder (tuned), or train a CNN from scratch (own)")
    train.add_argument("--targets", choices=["said", "seen", "nearest", "shown"],
                       help="captioner only: train on the scene's canonical text (said), or on that plus the position "
                            "a lone group with none was drawn at: where it stands within the jitter of a position "
                            "word's x (seen), or always, the word nearest its centre (nearest: say where it stands); "
                            "shown: nearest, and the place and time drawn where the sentence gives none (default)")
    train.add_argument("--init-from", help="start from a saved model: a captioner's decoder (and adapter), e.g. to tune "
                                           "the judge's network under a decoder trained on its features; a cgan's or "
                                           "cvae's generator (also one of the previous world format); a judge's "
                                           "weights and config (then --set changes options such as tally_detached)")
    train.add_argument("--init-encoder", action="store_true",
                       help="captioner only, with --init-from and --encoder tuned: also copy the saved captioner's "
                            "tuned encoder (without it the encoder starts again from the shipped judge)")

    caption = sub.add_parser("caption", help="describe images in the scene language (files or folders of PNGs)")
    caption.add_argument("paths", nargs="+", help="image files or folders")
    caption.add_argument("--model", default="captioner", help="captioner name or saved folder (default: shipped)")
    caption.add_argument("--method", choices=["greedy", "beam", "judged", "sample"], default="beam",
                         help="beam (default): the likeliest caption; judged: of the --beam likeliest, the one the "
                              "shipped judge reads best in the picture (scene world only)")
    caption.add_argument("--beam", type=int, default=4, help="beam width (default 4)")
    caption.add_argument("--seed", type=int, default=0, help="sample: the first seed (default 0)")
    caption.add_argument("--samples", type=int, default=1, help="sample: captions per image, seeds seed, seed+1, ...")
    caption.add_argument("--temperature", type=float, default=1.0, help="sample: softmax temperature (default 1)")
    caption.set_defaults(func=cmd_caption)

    index = sub.add_parser("index", help="binary codes for a folder of images, for `gendsl search`")
    index.add_argument("folder", help="folder of images (searched recursively)")
    index.add_argument("--out", required=True, help="index file to write")
    index.add_argument("--model", default="hashing", help="hashing model name or saved folder (default: shipped)")
    index.add_argument("--captioner", default="captioner",
                       help="captions images that carry no gendsl scene (default: the shipped captioner)")
    index.add_argument("--no-captions", action="store_true", help="index images only (no image -> text search)")
    index.add_argument("--quiet", action="store_true")
    index.set_defaults(func=cmd_index)

    search = sub.add_parser("search", help="search an index by text or by image")
    search.add_argument("index", help="index file written by `gendsl index`")
    search.add_argument("query", nargs="?", help="scene text, e.g. \"red car on the beach\"")
    search.add_argument("--image", help="query image: finds similar images and captions")
    search.add_argument("--top", type=int, default=8, help="results (default 8)")
    search.add_argument("--radius", type=int, choices=[0, 1, 2],
                        help="Hamming-ball lookup: every image within this distance, instead of the top k")
    search.add_argument("--model", help="hashing model (default: the one the index was built with)")
    search.set_defaults(func=cmd_search)
    return {"captioner": train_captioner, "hashing": train_hashing}


def _command() -> str:
    return "gendsl " + " ".join(sys.argv[1:])


def _data(args) -> Path:
    path = Path("data") / f"world{args.size}" if args.data == "world" else Path(args.data)
    if not (path / "manifest.json").is_file():
        raise GendslError(f"{path} is not a world dataset; build one with: "
                          f"gendsl data world --size {args.size} --out {path}")
    return path


def _train_config(args):
    from ..train import TrainConfig

    return TrainConfig(steps=args.steps, batch_size=args.batch, seed=args.seed,
                       checkpoint_every=args.checkpoint_every, sample_every=args.sample_every)


def train_captioner(args) -> int:
    import keras

    from ..retrieval.captioner import Captioner, CaptionerConfig
    from ..retrieval.training import CaptionData, Trainee
    from ..train import train
    from .training import config_overrides

    if args.init_encoder and not args.init_from:  # start_from checks that both captioners are tuned
        raise GendslError("--init-encoder copies a saved captioner's tuned encoder: "
                          "give --init-from and --encoder tuned")
    data_dir = _data(args)
    keras.utils.set_random_seed(args.seed)
    from ..eval.judge import load_default

    overrides = {"dim": args.width} if args.width else {}
    if args.lr:
        overrides["lr"] = args.lr
    if args.encoder == "own":
        overrides["encoder"] = "own"
    else:
        overrides["judge"] = load_default().fingerprint()
        overrides["encoder"] = args.encoder or "judge"
        overrides["reading"] = True  # the shipped captioner's: the judge's reading of each slot (--set reading=false)
    overrides["targets"] = args.targets or "shown"
    overrides.update(config_overrides(getattr(args, "set", []), CaptionerConfig))  # e.g. --set reading=false
    decay = max(args.steps - CaptionerConfig.warmup_steps, 0)  # cosine over the run, unless --set decay_steps=N
    config = CaptionerConfig(**({"size": args.size, "decay_steps": decay} | overrides))
    model = Captioner(config, seed=args.seed)
    if args.init_from:
        start_from(model, args.init_from, encoder=args.init_encoder)
    data = CaptionData(data_dir, args.size, config.max_len, limit=args.limit, words=config.vocabulary,
                       features=model.judge_features if config.encoder == "judge" else None, targets=config.targets)
    summary = train(Trainee(model, data), data, args.out, _train_config(args), resume=args.resume,
                    progress=not args.quiet, command=_command())
    print(f"{args.out}: {summary['steps']} steps, {summary['images_per_s']} captions/s; "
          f"evaluate with: gendsl eval {args.out}")
    return 0


def start_from(model, name_or_path: str, encoder: bool = False) -> None:
    """Copy a trained captioner's decoder and adapter into `model` (same widths and vocabulary); with
    `encoder`, its whole tuned encoder (the judge's network as it trained on, and the adapter) as well."""
    from ..retrieval.models import load

    source = load(name_or_path, "captioner")
    if source.config.encoder == "own" or model.config.encoder == "own":
        raise GendslError("--init-from copies the decoder over the judge's features: both captioners need the "
                          "judge or tuned encoder")
    if (source.config.dim, source.config.layers, source.config.vocabulary, source.config.reading) != \
            (model.config.dim, model.config.layers, model.config.vocabulary, model.config.reading):
        raise GendslError(f"{name_or_path} has another width, depth, vocabulary or reading than the captioner being "
                          f"trained (it has reading={str(source.config.reading).lower()}: --set reading=... to match)")
    if encoder and not (source.config.encoder == model.config.encoder == "tuned"):
        raise GendslError(f"--init-encoder copies a tuned encoder: {name_or_path} and the captioner being trained "
                          "both need --encoder tuned")
    model.decoder.set_weights(source.decoder.get_weights())
    part = "encoder" if encoder else "adapter"  # a tuned encoder holds the adapter
    getattr(model, part).set_weights(getattr(source, part).get_weights())


def train_hashing(args) -> int:
    import keras

    from ..eval.judge import load_default
    from ..retrieval.hashing import Hashing, HashingConfig
    from ..retrieval.training import PairData, Trainee
    from ..train import train
    from .training import config_overrides

    data_dir = _data(args)
    keras.utils.set_random_seed(args.seed)
    judge = load_default()
    options = {k: v for k, v in (("bits", args.bits), ("binarize", args.binarize), ("hidden", args.width))
               if v is not None}
    options.update(config_overrides(getattr(args, "set", []), HashingConfig))  # e.g. --set recon_weight=0.3
    model = Hashing(HashingConfig(size=args.size, judge=judge.fingerprint(), **options), seed=args.seed)
    data = PairData(data_dir, args.size, judge, limit=args.limit, progress=not args.quiet)
    model.adapt(data.features)
    summary = train(Trainee(model, data), data, args.out, _train_config(args), resume=args.resume,
                    progress=not args.quiet, command=_command())
    print(f"{args.out}: {summary['steps']} steps; evaluate with: gendsl eval {args.out}")
    return 0


def cmd_caption(args) -> int:
    from ..retrieval import folder
    from ..retrieval.models import load

    model = load(args.model, "captioner")
    found = folder.read_images(args.paths, model.config.size)
    if not len(found):
        raise GendslError("no readable images to caption")
    images, paths = found.pixels, found.paths
    if args.method == "sample":
        if args.samples < 1:
            raise GendslError(f"--samples must be at least 1, not {args.samples}")
        for k in range(args.samples):
            seeds = [args.seed + k] * len(paths)
            for path, text in zip(paths, model.caption(images, "sample", seeds=seeds, temperature=args.temperature)):
                print(f"{path}\t{text}")
        return 0
    for path, text in zip(paths, model.caption(images, args.method, beam=args.beam)):
        print(f"{path}\t{text}")
    return 0


def cmd_index(args) -> int:
    from ..retrieval.index import build_index

    index = build_index(args.folder, args.model, None if args.no_captions else args.captioner,
                        progress=not args.quiet)
    index.save(args.out)
    print(f"{args.out}: {len(index)} images, {index.bits}-bit codes"
          + (f", {len(index.skipped)} file{'s' if len(index.skipped) != 1 else ''} skipped" if index.skipped else ""))
    return 0


def cmd_search(args) -> int:
    from ..retrieval.index import Index

    if args.query is None and args.image is None:
        raise GendslError('give a text query (gendsl search my.index "a red car") or --image PATH')
    if args.query is not None and args.image is not None:
        raise GendslError("give a text query or --image, not both")
    if args.top < 1:
        raise GendslError(f"--top must be at least 1, not {args.top}")
    index = Index.load(args.index)
    hasher = index.model(args.model)
    if args.image is not None:
        hits, captions = index.search_image(hasher, args.image, args.top, args.radius)
        print(f"images like {args.image}:")
        _print(hits)
        if captions is not None:
            print("captions:")
            _print(captions)
        return 0
    _print(index.search_text(hasher, args.query, args.top, args.radius))
    return 0


def _print(hits) -> None:
    if not hits:
        print("  (nothing within reach)")
    for distance, name in hits:
        print(f"  {distance:3d}  {name}")


def evaluates(name: str) -> bool:
    """Whether `gendsl eval NAME` is for a captioner or hashing model (cli.cmd_eval dispatches here)."""
    from ..retrieval.models import kind_of

    return kind_of(name) is not None


def cmd_eval(args) -> int:
    from ..retrieval.models import kind_of, load
    from ..retrieval.report import evaluate_captioner, evaluate_hashing

    kind = kind_of(args.model)
    model = load(args.model, kind)
    out = Path(args.out) if args.out else (Path(args.model) if Path(args.model).is_dir() else Path("eval") / args.model)
    evaluate = evaluate_captioner if kind == "captioner" else evaluate_hashing
    report = evaluate(model, out_dir=out, scenes=args.scenes)
    print(report["table"])
    print(f"report written to {out}")
    return 0
