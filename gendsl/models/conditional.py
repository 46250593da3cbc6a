"""What the learned conditional models (cGAN, cVAE) share: noise from seeds, conditioning inputs,
batch-exact generation, checkpoint state, and the saved-folder format.

Saved folder (config.json names the kind; weights are plain Keras weight files
loaded into an architecture built from the config, so loading runs no stored
code):
    config.json          kind, format, config, gendsl version, and the world's signature (its name, version
                         and words: a saved model carries its own language; worlds.from_signature)
    generator.weights.h5 the sampling network (the cGAN's EMA generator, the cVAE's decoder)
    README.md            model card: how it was trained and what it scored
"""
from __future__ import annotations

import hashlib
import json
import weakref
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

import numpy as np

from .. import limits, worlds
from .._version import __version__
from ..io import atomic_path, atomic_write_text
from ..lang.errors import GendslError
from ..lang.noise import as_noise
from .folder import FORMAT, checked_config, read_saved
from .world import broadcast_cond

CONDITIONINGS = ("layout", "instances", "details", "flat")  # blocks.py: maps; maps with each instance's noise;
# those and the backdrop's details; the vector
CHUNK = 16  # the network always runs on batches of this many, so one image never depends on its batch


def latents(seeds: Sequence, z_dim: int, temperature: float = 1.0) -> np.ndarray:
    """The latent of each seed (an int or a lang.noise.Noise): the draw named 'latent' of the image's noise,
    so a variation seed moves it together with the layout."""
    return np.stack([as_noise(s).normal("latent", z_dim).astype(np.float32) * temperature for s in seeds])


def networks_shape(model) -> dict:
    """The input widths of a model's networks, from its world: the vector's and the maps'."""
    world, conditioning = model.world, model.config.conditioning
    if conditioning not in CONDITIONINGS:
        raise GendslError(f"conditioning must be one of {', '.join(CONDITIONINGS)}, not {conditioning!r}")
    if conditioning != "flat" and world.map_channels is None:
        raise GendslError(f"the {world.name} world has no layout maps; train with --conditioning flat")
    if conditioning in ("instances", "details") and not world.instance_channels:
        raise GendslError(f"the {world.name} world paints no instance noise; train with --conditioning layout")
    if conditioning == "details" and not world.detail_channels:
        raise GendslError(f"the {world.name} world paints no backdrop details; train with --conditioning instances")
    return {"dim": world.dim, "channels": world.map_width(conditioning)}


def to_uint8(images) -> np.ndarray:
    return np.clip(np.rint((np.asarray(images) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def chunk_sizes(n: int, gpu: bool) -> list[int]:
    """The fixed shapes a batch of n runs in: whole CHUNKs, then the rest padded up to a power of two.

    On a CPU the network's kernels are batch-invariant (an image is the same bytes at every shape and
    place in its chunk: tests/test_speed_generate.py), and padding one image to 16 would cost 16 images'
    time. On a GPU a chunk of 1 costs what a chunk of 16 does, and cuDNN may pick its algorithm by shape,
    so there every chunk is CHUNK: the one shape, whatever the batch."""
    sizes = [CHUNK] * (n // CHUNK)
    rest = n % CHUNK
    if rest:
        sizes.append(CHUNK if gpu else 1 << (rest - 1).bit_length())
    return sizes


_COMPILED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def compiled(network):
    """The network as a tf.function (traced once per chunk shape, at most log2(CHUNK) + 1 of them);
    it reads the network's variables, so weights loaded or averaged later are what it draws with."""
    import tensorflow as tf

    if network not in _COMPILED:
        _COMPILED[network] = tf.function(lambda z, c: network([z, c], training=False))
    return _COMPILED[network]


def on_gpu() -> bool:
    import tensorflow as tf

    return bool(tf.config.list_logical_devices("GPU"))


def run_chunked(network, noise: np.ndarray, cond_input: np.ndarray) -> np.ndarray:
    """Images from the compiled network in fixed-shape chunks (padded), so a batch equals its seeds one
    at a time."""
    run, out, start = compiled(network), [], 0
    for size in chunk_sizes(len(noise), on_gpu()):
        z, c = noise[start:start + size], cond_input[start:start + size]
        pad = size - len(z)
        if pad:
            z = np.concatenate([z, np.zeros((pad, *z.shape[1:]), z.dtype)])
            c = np.concatenate([c, np.zeros((pad, *c.shape[1:]), c.dtype)])
        out.append(run(z, c).numpy()[:size - pad])
        start += size
    return to_uint8(np.concatenate(out)) if out else np.zeros((0,), np.uint8)


def sample(model, cond, seeds: Sequence[int], noise=None, temperature: float = 1.0) -> np.ndarray:
    """uint8 images of a conditional model at seeds (ints or Noises); `noise` (N, z_dim) overrides the latents."""
    seeds = [as_noise(s) for s in seeds]
    cond = broadcast_cond(cond, len(seeds), model.world.dim)
    config = model.config
    if noise is None:
        noise = latents(seeds, config.z_dim, temperature)
    noise = np.asarray(noise, np.float32)
    if noise.shape != (len(seeds), config.z_dim):
        raise GendslError(f"noise must have shape ({len(seeds)}, {config.z_dim}), not {noise.shape}")
    if hasattr(model, "latent_map"):
        noise = model.latent_map(noise)
    if not len(seeds):
        return np.zeros((0, config.size, config.size, 3), np.uint8)
    return run_chunked(model.sampler, noise, model.world.condition(cond, seeds, config.size, config.conditioning))


def save_folder(model, path, card: str | None = None) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    with atomic_path(path / "generator.weights.h5", suffix=".weights.h5") as tmp:
        model.sampler.save_weights(str(tmp))
    config = {"kind": model.kind, "format": FORMAT, "gendsl_version": __version__,
              "config": asdict(model.config), "world": model.world.signature()}
    atomic_write_text(path / "config.json", json.dumps(config, indent=2))
    if card is not None or not (path / "README.md").exists():
        atomic_write_text(path / "README.md", card or f"# {model.kind}\n\nNot trained yet.\n")
    return path


def read_config(path, kind: str, config_class):
    """(config, world, weights file) of a saved model folder, with a clear error for anything missing or foreign."""
    saved, weights = read_saved(path, kind, "generator.weights.h5")
    world = worlds.from_signature(saved.get("world"), path)
    return config_class(**checked_config(config_class, saved["config"], path)), world, weights


def load_weights(network, weights: Path) -> None:
    try:
        network.load_weights(str(weights))
    except Exception as error:  # h5py/keras raise many kinds for a truncated or mismatched file
        raise GendslError(f"cannot read the weights in {weights}: {error}") from None


def fingerprint_of(path_or_network) -> str:
    """A short hash of the sampling weights: two models with it draw the same images."""
    digest = hashlib.sha256()
    for weight in path_or_network.weights:
        digest.update(np.asarray(weight).tobytes())
    return digest.hexdigest()[:12]


def check_latent_map(config) -> None:
    """A fitted latent map must fit the latent: z_dim means and a z_dim x z_dim factor, all finite."""
    mean, chol = getattr(config, "latent_mean", ()), getattr(config, "latent_chol", ())
    if not mean and not chol:
        return
    if len(mean) != config.z_dim or len(chol) != config.z_dim ** 2 or \
            not np.all(np.isfinite(np.asarray([*mean, *chol], np.float64))):
        raise GendslError(f"the latent map must have {config.z_dim} means and {config.z_dim ** 2} factors, all finite")


def check_size(size: int) -> None:
    if size not in limits.SIZES:
        raise GendslError(f"size must be one of {', '.join(map(str, limits.SIZES))}, not {size}")


class ConditionalProtocol:
    """The model protocol for a keras.Model that has `config`, `sampler` and a `config_class`."""

    kind: str
    config_class: type
    takes_noise = True  # generate() takes lang.noise.Noise seeds: variations move layout and latent together

    @property
    def size(self) -> int:
        return self.config.size

    def fingerprint(self) -> str:
        # a loaded model's weights are what its folder holds: hash them once (12 ms each time for the cGAN,
        # more than drawing one image); a model being trained is built, not loaded, and is hashed every time
        return getattr(self, "_loaded_fingerprint", None) or fingerprint_of(self.sampler)

    def noise(self, seeds: Sequence) -> np.ndarray:
        """The latent each seed (an int or a Noise) draws: what generate uses when it is given no noise."""
        return latents(seeds, self.config.z_dim, getattr(self.config, "temperature", 1.0))

    def save(self, path, card: str | None = None) -> Path:
        return save_folder(self, path, card)

    @classmethod
    def load(cls, path):
        config, world, weights = read_config(path, cls.kind, cls.config_class)
        model = cls(config, world=world)
        load_weights(model.sampler, weights)
        model._loaded_fingerprint = fingerprint_of(model.sampler)
        return model
