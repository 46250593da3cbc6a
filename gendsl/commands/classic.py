"""`gendsl train sparse|rbm|helmholtz|ae`, `gendsl denoise` and `gendsl gibbs`: the classic models.

    gendsl train sparse --data photos --patch 12 --atoms 144 --out runs/sparse   # atoms.png: learned bases
    gendsl train rbm --data digits --hidden 256 --method pcd --out runs/rbm      # samples, chain.gif, AIS
    gendsl train rbm --data digits-world --conditional --out runs/rbm-digits     # label units clamped
    gendsl train rbm --data scene --conditional --out runs/rbm-scene             # any world that draws its pictures
    gendsl train helmholtz --data digits --layers 200,100 --out runs/hm          # (or --data scene, digits-world)
    gendsl train ae --data world --size 32 --out runs/ae                         # --noise 0.2: denoising
    gendsl denoise runs/sparse --sigma 0.1 --out denoised.png
    gendsl gibbs rbm --scene "the digit 3 is at the top of the digit 9" --steps 500 --out chain.gif
    gendsl train judge --data digits --out runs/judge-digits; gendsl eval rbm   # eval/place_fit.py, eval/report.py

Each run folder is a saved model (config.json, weights, README.md model card
with the command, time, hardware and figures) plus its pictures. Imports are
light: numpy models never load TensorFlow, and nothing heavy loads until a
handler runs.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from ..lang.errors import GendslError

KINDS = ("sparse", "rbm", "helmholtz", "ae")
DEFAULT_BATCH = 64  # the shared --batch default: classic kinds then use their own


def register(sub, train) -> dict:
    group = train.add_argument_group("classic models (sparse, rbm, helmholtz, ae)")
    group.add_argument("--patch", type=int, default=12, help="sparse: patch side in pixels (default 12)")
    group.add_argument("--atoms", type=int, default=144, help="sparse: dictionary size (default 144)")
    group.add_argument("--patches", type=int, default=20000, help="sparse: training patches (default 20000)")
    group.add_argument("--alpha", type=float, help="sparse: L1 weight for fista (default 1.0)")
    group.add_argument("--nonzero", type=int, help="sparse: atoms per patch for omp (default 8)")
    group.add_argument("--hidden", type=int, default=256, help="rbm: hidden units (default 256)")
    group.add_argument("--method", help="sparse: fista|omp; rbm: cd|pcd; helmholtz: ws|rws")
    group.add_argument("--k", type=int, default=1, help="rbm: Gibbs steps per update, CD-k (default 1)")
    group.add_argument("--lr", type=float, help="rbm, helmholtz, ae, captioner: learning rate (default: the model's)")
    group.add_argument("--momentum", type=float, help="rbm: momentum after the first epochs (default 0.9)")
    group.add_argument("--conditional", action="store_true",
                       help="rbm: clamp label units (the digit class, or the label units of the world's scene)")
    group.add_argument("--layers", default="200,100", help="helmholtz: hidden layer sizes, bottom up (default 200,100)")
    group.add_argument("--rws-samples", type=int, default=5, help="helmholtz rws: samples per example (default 5)")
    group.add_argument("--code", type=int, default=64, help="ae: code size (default 64)")
    group.add_argument("--noise", type=float, default=0.0, help="ae: input noise std; > 0 trains a denoising AE")

    denoise = sub.add_parser("denoise", help="rebuild a noisy image from a sparse-coding dictionary")
    denoise.add_argument("model", help="a sparse model folder (from gendsl train sparse)")
    denoise.add_argument("image", nargs="?", help="an image file (default: a crop of scikit-learn's china.jpg)")
    denoise.add_argument("--sigma", type=float, default=0.1, help="noise std added, pixels in [0, 1] (default 0.1)")
    denoise.add_argument("--stride", type=int, default=2, help="patch stride (default 2; 1 is best and slowest)")
    denoise.add_argument("--seed", type=int, default=0)
    denoise.add_argument("--out", default="denoised.png", help="clean | noisy | denoised, side by side")
    denoise.set_defaults(func=cmd_denoise)

    gibbs = sub.add_parser("gibbs", help="an RBM's Gibbs chain as an animated GIF (and its last frame)")
    gibbs.add_argument("model", nargs="?", default="rbm", help="rbm name or folder (default: the shipped rbm)")
    gibbs.add_argument("--scene", help="a scene of a conditional RBM's world, e.g. 'the digit 3 is at the top left'")
    gibbs.add_argument("--seed", type=int, default=0)
    gibbs.add_argument("--steps", type=int, default=500, help="Gibbs sweeps (default 500)")
    gibbs.add_argument("--every", type=int, default=10, help="a frame every this many sweeps (default 10)")
    gibbs.add_argument("--out", default="chain.gif")
    gibbs.set_defaults(func=cmd_gibbs)
    return {kind: _train for kind in KINDS}


def _train(args) -> int:
    from . import classic_runs

    out = Path(args.out)
    if args.resume and args.kind != "ae":
        raise GendslError(f"--resume is for ae (the Keras driver); a {args.kind} run saves its folder every epoch, "
                          "start a new one with another --out")
    if (out / "config.json").exists() and not args.resume:
        raise GendslError(f"{out} already holds a model; choose another --out")
    command = "gendsl " + " ".join(sys.argv[1:]) if sys.argv[0].endswith("gendsl") else ""
    batch = None if args.batch == DEFAULT_BATCH else args.batch
    started = time.perf_counter()
    figures = getattr(classic_runs, f"train_{args.kind}")(args, out, batch, command, started)
    print(f"{out}: {args.kind} trained in {time.perf_counter() - started:.0f} s; "
          + ", ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


def cmd_denoise(args) -> int:
    from PIL import Image

    from ..data.photos import gray, gray_photos
    from ..lang.seeds import stream
    from ..models import load
    from ..models.classic import tile

    model = load(args.model)
    if model.kind != "sparse":
        raise GendslError(f"denoise needs a sparse coding model, not {model.kind!r}")
    if args.image:
        try:
            with Image.open(args.image) as image:
                clean = gray(np.asarray(image.convert("RGB")))
        except (OSError, ValueError) as error:
            raise GendslError(f"cannot read {args.image} as an image: {error}") from None
    else:
        clean = gray_photos()[0][150:278, 250:442]  # a 128 x 192 crop of china.jpg: roof tiles and leaves
    if max(clean.shape) > 512:
        raise GendslError(f"denoise takes images up to 512 px a side; {args.image} is {clean.shape[1]}x{clean.shape[0]}")
    if not 0 < args.sigma <= 1:
        raise GendslError(f"--sigma is a noise std in (0, 1], not {args.sigma}")
    noise = stream(args.seed, "denoise").standard_normal(clean.shape).astype(np.float32)
    noisy = np.clip(clean + args.sigma * noise, 0, 1)
    denoised = model.denoise(noisy, stride=args.stride)
    psnr = {name: round(_psnr(clean, im), 2) for name, im in (("noisy", noisy), ("denoised", denoised))}
    sheet = tile(np.stack([np.rint(im * 255).astype(np.uint8) for im in (clean, noisy, denoised)]), cols=3, gap=4)
    write_png(args.out, sheet)
    print(f"{args.out}: PSNR noisy {psnr['noisy']} dB -> denoised {psnr['denoised']} dB")
    return 0


def _psnr(clean: np.ndarray, other: np.ndarray) -> float:
    return float(10 * np.log10(1.0 / max(float(np.mean((clean - other) ** 2)), 1e-12)))


def cmd_gibbs(args) -> int:
    from ..models import load

    model = load(args.model)
    if model.kind != "rbm":
        raise GendslError(f"gibbs needs an RBM, not {model.kind!r}")
    if not 1 <= args.steps <= 100_000 or args.every < 1:
        raise GendslError("--steps must be between 1 and 100000 and --every at least 1")
    world = model.world  # None: an unconditional RBM, which reads no scene
    if world is not None and not args.scene:
        raise GendslError(f"this RBM is conditional: say what to draw with --scene, in the {world.name} world's "
                          f"words, e.g. --scene '{world.text(world.sample_scene(np.random.default_rng(0)))}'")
    cond = world.encode(world.compile(args.scene)) if world is not None else None
    frames = model.chain(cond, args.seed, args.steps, args.every)
    write_gif(args.out, frames)
    print(f"{args.out}: {len(frames)} frames of a {args.steps}-sweep chain, seed {args.seed}")
    return 0


def write_png(path, image: np.ndarray, zoom: int = 1) -> Path:
    """A figure (atoms, filters, samples), enlarged `zoom` times: render's one PNG writer."""
    from ..render.files import upscale, write_png as write_image
    return write_image(Path(path), upscale(np.asarray(image, np.uint8), zoom), {"kind": "figure"})[0]


def write_gif(path, frames, zoom: int = 4) -> None:
    """A chain's frames as a looping GIF, enlarged `zoom` times: render's one GIF writer."""
    from ..render.files import upscale
    from ..render.morph import write_gif as write_frames
    write_frames(path, np.stack([upscale(np.asarray(f, np.uint8), zoom) for f in frames]), frame_ms=80)
