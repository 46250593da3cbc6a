"""The training runs behind `gendsl train sparse|rbm|helmholtz|ae`: data, fit, pictures, figures, card.

Each returns the figures it measured (also written into the model card).
The numpy models save their folder after every epoch (atomically), so a run
that stops, or hits NaN, keeps the last good model.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..eval.classic import card, rbm_figures
from ..io import atomic_write_text
from ..lang.errors import GendslError
from .classic import write_gif, write_png

TEST_SHARE = 10  # a world's test pictures: one for every ten it trains on


def _bar(total: int, quiet: bool):
    from tqdm import tqdm
    return tqdm(total=total, disable=quiet, unit="epoch", dynamic_ncols=True)


def _epochs(args, default: int) -> int:
    epochs = args.epochs or default
    if epochs < 1:
        raise GendslError(f"--epochs must be at least 1, not {epochs}")
    return epochs


def _finish(model, out: Path, args, command, started, figures, files, notes="") -> dict:
    model.save(out, card=card(model.kind, command, time.perf_counter() - started, asdict(model.config), figures,
                              notes, files))
    return figures


# ---- sparse coding
def train_sparse(args, out: Path, batch, command, started) -> dict:
    from ..data.photos import gray_photos, patches, world_images
    from ..models.sparse import SparseCoding, SparseConfig
    from .classic import _psnr

    if args.data not in ("photos", "world"):  # the shared default "world" means world renders
        raise GendslError(f'sparse coding trains on --data photos or --data world, not "{args.data}"')
    images = gray_photos() if args.data == "photos" else world_images(64, 64, args.seed)
    method = args.method or "fista"
    options = {k: v for k, v in (("alpha", args.alpha), ("nonzero", args.nonzero), ("batch", batch)) if v}
    model = SparseCoding(SparseConfig(patch=args.patch, atoms=args.atoms, method=method, epochs=_epochs(args, 4),
                                      data=args.data, **options))
    raw = patches(images, args.patches, args.patch, seed=args.seed)
    test = patches(images, 2000, args.patch, seed=args.seed + 1)
    bar = _bar(model.config.epochs * -(-len(raw) // model.config.batch), args.quiet)
    model.fit(raw, seed=args.seed, progress=bar.update)
    bar.close()
    codes = model.transform(test)
    figures = {"patches": len(raw), "relative_error_train": round(model.error(raw[:2000]), 4),
               "relative_error_test": round(model.error(test), 4),
               "nonzero_per_patch_test": round(float((codes != 0).sum(axis=1).mean()), 2)}
    if args.data == "photos":
        from ..lang.seeds import stream
        clean = gray_photos()[0][150:278, 250:442]
        noisy = np.clip(clean + 0.1 * stream(0, "denoise").standard_normal(clean.shape).astype(np.float32), 0, 1)
        figures.update(denoise_psnr_noisy_db=round(_psnr(clean, noisy), 2),
                       denoise_psnr_denoised_db=round(_psnr(clean, model.denoise(noisy, stride=2)), 2))
    model.save(out)
    write_png(out / "atoms.png", model.atoms_image())
    write_png(out / "samples.png", _grid(model.generate(None, list(range(64)))), zoom=3)
    return _finish(model, out, args, command, started, figures, ("atoms.png", "samples.png"),
                   "Atoms are shown in the whitened space they are learned in, each scaled to its own range. "
                   "`gendsl denoise` rebuilds a noisy image from overlapping patches' codes.")


def _grid(images: np.ndarray, cols: int | None = None) -> np.ndarray:
    from ..models.classic import tile
    return tile(images, cols=cols)


# ---- RBM
def _world_pictures(args, conditional: bool) -> tuple[dict, dict, int]:
    """(train, test, side) from a built-in world that draws its own pictures (`--data NAME`): `--examples`
    pictures and a tenth as many test ones, each grey and then black or white (these models' units are
    binary), with the world's label units beside them when conditional."""
    from .. import worlds

    if not worlds.built_in(args.data):
        raise GendslError(f"these models train on --data digits (scikit-learn's) or a world that draws its own "
                          f'pictures ({", ".join(worlds.names())}), not "{args.data}"')
    world = worlds.get(args.data)
    parts = []
    for split, n in (("train", args.examples), ("test", max(1, args.examples // TEST_SHARE))):
        data = world.training_set(n, args.size, seed=args.seed, split=split)
        if data is None:
            raise GendslError(f"the {world.name} world draws no pictures to train on")
        grey = data["images"].astype(np.float32).mean(axis=-1) / 255.0
        part = {"x": (grey >= 0.5).reshape(n, -1).astype(np.float32)}
        if conditional:
            part["labels"] = world.label_units(data["cond"])
        parts.append(part)
    return parts[0], parts[1], args.size


def _data_name(args) -> str:
    """What a model's config says it learnt: "world", the shared --data default, means scikit-learn's digits here."""
    return "digits" if args.data == "world" else args.data


def _rbm_data(args, conditional: bool):
    """(train, test, side, conditioning, labels): scikit-learn's digits (--data digits), or a world's pictures."""
    from ..worlds.digits import data as digits

    if args.data in ("digits", "world"):  # "world" is the shared --data default; these models read digits
        x, y = digits.load(binarize=True)
        tr, te = digits.split(len(y), seed=0)
        labels = digits.one_hot(y) if conditional else None
        train = {"x": x[tr], "y": y[tr], **({"labels": labels[tr]} if conditional else {})}
        test = {"x": x[te], "y": y[te], **({"labels": labels[te]} if conditional else {})}
        return train, test, 8, "digit" if conditional else "none", 10 if conditional else 0
    train, test, side = _world_pictures(args, conditional)
    return train, test, side, "world" if conditional else "none", train["labels"].shape[1] if conditional else 0


def train_rbm(args, out: Path, batch, command, started) -> dict:
    from ..models.rbm import RBM, RBMConfig

    train, test, side, conditioning, labels = _rbm_data(args, args.conditional)
    options = {k: v for k, v in (("lr", args.lr), ("batch", batch), ("momentum", args.momentum)) if v is not None}
    model = RBM(RBMConfig(visible=side * side, hidden=args.hidden, labels=labels, side=side, conditioning=conditioning,
                          method=args.method or "pcd", k=args.k, epochs=_epochs(args, 20),
                          data=_data_name(args), **options))
    bar = _bar(model.config.epochs, args.quiet)

    def checkpoint(epoch, rbm):  # the last good epoch is always on disk
        rbm.save(out, card=f"# rbm\n\nTraining: epoch {epoch} of {rbm.config.epochs} done.\n")
        bar.update(1)
    model.fit(train["x"], train.get("labels"), seed=args.seed, on_epoch=checkpoint)
    bar.close()
    figures = {"train_examples": len(train["x"]), "test_examples": len(test["x"])}
    figures.update(rbm_figures(model, train, test, ais_betas=10000 if side == 8 else 3000, seed=args.seed))
    if conditioning == "digit":  # the clamped labels also classify: the label of lowest free energy
        energies = np.stack([model.free_energy(test["x"], np.broadcast_to(np.eye(10, dtype=np.float32)[d],
                                                                          (len(test["x"]), 10))) for d in range(10)])
        figures["free_energy_classifier_accuracy"] = round(float((energies.argmin(0) == test["y"]).mean()), 4)
    cond, seeds = _sample_conditions(model)
    write_png(out / "samples.png", _grid(model.generate(cond, seeds), cols=10), zoom=3 if side == 8 else 2)
    write_png(out / "filters.png", model.filters_image())
    write_gif(out / "chain.gif", model.chain(cond[0] if cond is not None else None, 0, model.config.gibbs_steps, 10))
    return _finish(model, out, args, command, started, figures, ("samples.png", "filters.png", "chain.gif"),
                   "Samples are the visible means after a seeded Gibbs chain of `gibbs_steps` sweeps from a random "
                   "start; chain.gif shows one chain every 10 sweeps. Log-likelihoods are in nats per image.")


def _sample_conditions(model):
    """Conditions and seeds for the sample grid, ten seeds a row: one row per digit class, or five seen and
    five held-out scenes of the model's world."""
    if model.config.conditioning == "none":
        return None, list(range(100))
    world = model.world
    if model.config.conditioning == "digit":
        scenes = [world.compile(str(d)) for d in range(10)]
    else:
        scenes = [next(iter(world.evaluation_scenes(10, held_out, seed=0).values()))[:5] for held_out in (False, True)]
        scenes = scenes[0] + scenes[1]
    cond = world.encode_batch([s for s in scenes for _ in range(10)]).astype(np.float32)
    return cond, [i % 10 for i in range(len(cond))]


# ---- Helmholtz machine
def train_helmholtz(args, out: Path, batch, command, started) -> dict:
    from ..models.helmholtz import Helmholtz, HelmholtzConfig

    try:
        hidden = tuple(int(n) for n in args.layers.split(","))
    except ValueError:
        raise GendslError(f'--layers is a list of sizes like 200,100, not "{args.layers}"') from None
    train, test, side, _, _ = _rbm_data(args, conditional=False)
    x, test_x = train["x"], test["x"]
    options = {k: v for k, v in (("lr", args.lr), ("batch", batch)) if v}
    model = Helmholtz(HelmholtzConfig(layers=(side * side, *hidden), side=side, method=args.method or "rws",
                                      samples=args.rws_samples, epochs=_epochs(args, 100), data=_data_name(args),
                                      **options))
    bar = _bar(model.config.epochs, args.quiet)

    def checkpoint(epoch, hm):
        if epoch % 10 == 0 or epoch == hm.config.epochs:
            hm.save(out, card=f"# helmholtz\n\nTraining: epoch {epoch} of {hm.config.epochs} done.\n")
        bar.update(1)
    model.fit(x, seed=args.seed, on_epoch=checkpoint)
    bar.close()
    figures = {"train_examples": len(x), "is_log_likelihood_test_1000": round(model.log_likelihood(test_x, 1000), 3),
               "is_log_likelihood_train_1000": round(model.log_likelihood(x[:len(test_x)], 1000), 3)}
    write_png(out / "samples.png", _grid(model.generate(None, list(range(100))), cols=10), zoom=3 if side == 8 else 2)
    return _finish(model, out, args, command, started, figures, ("samples.png",),
                   "log p(v) is estimated by importance sampling with 1000 samples from the recognition network "
                   "(nats per image; a stochastic lower bound that tightens with more samples).")


# ---- autoencoder (the Keras training driver: checkpoints, --resume, samples)
def train_ae(args, out: Path, batch, command, started) -> dict:
    from .._tf import import_tensorflow_quietly
    import_tensorflow_quietly()
    import keras

    from ..models.autoencoder import AEConfig, Autoencoder
    from .. import worlds
    from ..train import RenderedTrainData, TrainConfig, WorldTrainData, train

    if worlds.built_in(args.data):  # a built-in world draws its own pictures
        world = worlds.get(args.data)
        data = RenderedTrainData(world, args.examples, args.size, "flat", args.seed)
        test = RenderedTrainData(world, 256, args.size, "flat", args.seed, split="test")
    else:
        from .training import world_data as _world_data
        folder = _world_data(args.data, args.size, args.quiet)
        data, test = WorldTrainData(folder, args.size, "flat"), WorldTrainData(folder, args.size, "flat", "test")
    keras.utils.set_random_seed(args.seed)
    options = {"lr": args.lr} if args.lr else {}
    model = Autoencoder(AEConfig(size=args.size, code=args.code, noise=args.noise, data=args.data, **options))
    summary = train(model, data, out, TrainConfig(steps=args.steps, batch_size=batch or 64, seed=args.seed,
                                                   checkpoint_every=args.checkpoint_every,
                                                   sample_every=args.sample_every),
                    resume=args.resume, progress=not args.quiet, command=command)
    originals = np.rint((test.batch(np.arange(min(64, len(test))))["image"] + 1) * 127.5).astype(np.uint8)
    rebuilt = model.reconstruct(originals)
    mse = float(np.mean((originals.astype(np.float32) / 127.5 - rebuilt.astype(np.float32) / 127.5) ** 2))
    pairs = [model.interpolate(originals[2 * i], originals[2 * i + 1], 8) for i in range(4)]
    write_png(out / "reconstructions.png", _grid(np.concatenate([originals[:16], rebuilt[:16]]), cols=16), zoom=2)
    write_png(out / "interpolation.png", _grid(np.concatenate(pairs), cols=8), zoom=2)
    figures = {"steps": summary["steps"], "test_reconstruction_mse": round(mse, 5),
               "test_reconstruction_psnr_db": round(float(10 * np.log10(4.0 / max(mse, 1e-12))), 2)}
    text = card("ae", command, summary["seconds_total"], asdict(model.config), figures,
                "Pixels in [-1, 1]. Samples decode codes drawn from a Gaussian fitted to the training codes. "
                "Training log: log.csv; driver summary: run.json.",
                ("reconstructions.png (originals, then rebuilt)", "interpolation.png", "samples/"))
    model.save(out, card=text)
    atomic_write_text(out / "figures.json", json.dumps(figures, indent=2))
    return figures
