"""Deep convolutional autoencoder, and its denoising variant (Vincent et al. 2008), in Keras.

    ae = Autoencoder(AEConfig(size=32, code=64, noise=0.2))   # trained by gendsl.train's driver
    codes = ae.encode(images)                  # float32 (N, code): the building block of semantic hashing
    ae.reconstruct(images); ae.interpolate(a, b, frames=8)
    ae.generate(cond, seeds)                   # decodes codes drawn from a Gaussian fitted to the data's codes

The encoder halves the image with strided 3x3 convolutions down to 4 x 4,
then a dense layer gives the code; the decoder mirrors it with transposed
convolutions and a tanh. With `noise` > 0 the encoder sees each training
image with Gaussian noise of that standard deviation added (and some pixels
dropped), and must rebuild the clean one. A plain autoencoder has no prior to
sample from, so the model keeps running averages of its codes' mean and
second moment while training, and samples from that Gaussian: the simplest
way to make an autoencoder generative, and honest about what it is.

Saved folder: config.json, encoder.weights.h5, decoder.weights.h5,
latent.npz (the code Gaussian), README.md.
"""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .._version import __version__
from ..io import atomic_path, atomic_write_bytes, atomic_write_text
from ..lang.errors import GendslError
from ..lang.seeds import check_seed, stream
from . import classic, conditional

FORMAT = 1


@dataclass(frozen=True)
class AEConfig:
    size: int = 32
    code: int = 64
    width: int = 32  # channels of the first stage; each halving doubles them (at most 4x)
    noise: float = 0.0  # > 0: the denoising autoencoder (input noise std, in [-1, 1] pixel units)
    drop: float = 0.1  # share of input pixels zeroed in the denoising variant
    lr: float = 1e-3
    stats_decay: float = 0.99  # running code statistics for sampling
    data: str = "world"


def _stages(size: int) -> int:
    return int(np.log2(size // 4))


def build_encoder(c: AEConfig) -> keras.Model:
    image = keras.Input((c.size, c.size, 3))
    x = image
    for stage in range(_stages(c.size)):
        x = keras.layers.Conv2D(c.width * min(2 ** stage, 4), 3, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Conv2D(c.width * min(2 ** stage, 4), 3, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    code = keras.layers.Dense(c.code)(keras.layers.Flatten()(x))
    return keras.Model(image, code, name="encoder")


def build_decoder(c: AEConfig) -> keras.Model:
    code = keras.Input((c.code,))
    n = _stages(c.size)
    x = keras.layers.Dense(4 * 4 * c.width * min(2 ** (n - 1), 4))(code)
    x = keras.layers.Reshape((4, 4, c.width * min(2 ** (n - 1), 4)))(keras.layers.LeakyReLU(0.2)(x))
    for stage in reversed(range(n)):
        x = keras.layers.Conv2DTranspose(c.width * min(2 ** stage, 4), 4, strides=2, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Conv2D(c.width * min(2 ** stage, 4), 3, padding="same")(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    image = keras.layers.Conv2D(3, 3, padding="same", activation="tanh")(x)
    return keras.Model(code, image, name="decoder")


class Autoencoder(keras.Model):
    kind = "ae"

    def __init__(self, config: AEConfig = AEConfig(), **kwargs):
        super().__init__(name=self.kind, **kwargs)
        conditional.check_size(config.size)
        if config.code < 1 or not 0 <= config.drop < 1 or config.noise < 0:
            raise GendslError("an autoencoder needs a code of at least 1, noise >= 0 and 0 <= drop < 1")
        self.config = config
        self.encoder, self.decoder = build_encoder(config), build_decoder(config)
        self.code_mean = tf.Variable(tf.zeros(config.code), trainable=False, name="code_mean")
        self.code_moment = tf.Variable(tf.eye(config.code), trainable=False, name="code_moment")
        self.optimizer_ = keras.optimizers.Adam(config.lr)
        self.optimizer_.build(self._to_train())
        self.trackers = {"recon": keras.metrics.Mean(name="recon")}

    def _to_train(self):
        return [*self.encoder.trainable_variables, *self.decoder.trainable_variables]

    @property
    def metrics(self):
        return list(self.trackers.values())

    @property
    def size(self) -> int:
        return self.config.size

    def train_step(self, batch):
        clean, c = batch["image"], self.config
        seeds = tf.cast(batch["seed"], tf.int32)
        seen = clean
        if c.noise > 0:  # the denoising variant: corrupt what the encoder sees, not what is rebuilt
            seen = clean + c.noise * tf.random.stateless_normal(tf.shape(clean), seed=seeds)
            keep = tf.random.stateless_uniform(tf.shape(clean)[:3], seed=seeds + 1) >= c.drop
            seen = tf.clip_by_value(seen * tf.cast(keep, clean.dtype)[..., None], -1.0, 1.0)
        with tf.GradientTape() as tape:
            code = self.encoder(seen, training=True)
            recon = tf.reduce_mean(tf.square(self.decoder(code, training=True) - clean))
        variables = self._to_train()
        self.optimizer_.apply(tape.gradient(recon, variables), variables)
        clean_code = self.encoder(clean, training=False)
        d = c.stats_decay
        self.code_mean.assign(d * self.code_mean + (1 - d) * tf.reduce_mean(clean_code, 0))
        moment = tf.matmul(clean_code, clean_code, transpose_a=True) / tf.cast(tf.shape(clean_code)[0], tf.float32)
        self.code_moment.assign(d * self.code_moment + (1 - d) * moment)
        self.trackers["recon"].update_state(recon)
        return {"recon": self.trackers["recon"].result()}

    def state_variables(self) -> list:
        return [*self.encoder.weights, *self.decoder.weights, self.code_mean, self.code_moment,
                *self.optimizer_.variables]

    # ---- using it
    def _check(self, images) -> np.ndarray:
        images = np.asarray(images)
        if images.ndim != 4 or images.shape[1:] != (self.size, self.size, 3):
            raise GendslError(f"images must have shape (N, {self.size}, {self.size}, 3), not {images.shape}")
        return images.astype(np.float32) / 127.5 - 1.0

    def _chunked(self, network, inputs: np.ndarray) -> np.ndarray:
        """The network on fixed chunks of CHUNK rows, so a result never depends on its batch."""
        if not len(inputs):
            return np.zeros((0, *network.output_shape[1:]), np.float32)
        return classic.chunked(len(inputs), lambda rows: np.asarray(
            network(classic.pad(inputs[rows]), training=False))[:rows.stop - rows.start])

    def encode(self, images) -> np.ndarray:
        return self._chunked(self.encoder, self._check(images))

    def decode(self, codes) -> np.ndarray:
        return conditional.to_uint8(self._chunked(self.decoder, np.asarray(codes, np.float32)))

    def reconstruct(self, images) -> np.ndarray:
        return self.decode(self.encode(images))

    def interpolate(self, a, b, frames: int = 8) -> np.ndarray:
        """Images decoded along the straight line between the codes of images a and b."""
        codes = self.encode(np.stack([a, b]))
        t = np.linspace(0, 1, frames, dtype=np.float32)[:, None]
        return self.decode((1 - t) * codes[0] + t * codes[1])

    def latent_gaussian(self) -> tuple[np.ndarray, np.ndarray]:
        """(mean, Cholesky factor) of the Gaussian fitted to the training codes."""
        mean = np.asarray(self.code_mean, np.float64)
        cov = np.asarray(self.code_moment, np.float64) - np.outer(mean, mean)
        cov = (cov + cov.T) / 2 + 1e-5 * np.eye(len(mean))
        return mean.astype(np.float32), np.linalg.cholesky(cov).astype(np.float32)

    # ---- the model protocol
    def generate(self, cond, seeds) -> np.ndarray:
        """Decoded codes drawn from the fitted Gaussian, one per seed; cond is ignored (unconditional)."""
        mean, factor = self.latent_gaussian()
        eps = np.stack([stream(check_seed(s), "latent").standard_normal(self.config.code).astype(np.float32)
                        for s in seeds]) if len(seeds) else np.zeros((0, self.config.code), np.float32)
        return self.decode(mean + eps @ factor.T)

    def fingerprint(self) -> str:
        return conditional.fingerprint_of(self.decoder)

    def save(self, path, card: str | None = None) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, network in (("encoder", self.encoder), ("decoder", self.decoder)):
            with atomic_path(path / f"{name}.weights.h5", suffix=".weights.h5") as tmp:
                network.save_weights(str(tmp))
        buffer = io.BytesIO()
        np.savez(buffer, mean=np.asarray(self.code_mean), moment=np.asarray(self.code_moment))
        atomic_write_bytes(path / "latent.npz", buffer.getvalue())
        atomic_write_text(path / "config.json", json.dumps(
            {"kind": self.kind, "format": FORMAT, "gendsl_version": __version__, "config": asdict(self.config)},
            indent=2))
        if card is not None or not (path / "README.md").exists():
            atomic_write_text(path / "README.md", card or "# ae\n\nNot trained yet.\n")
        return path

    @classmethod
    def load(cls, path) -> "Autoencoder":
        path = Path(path)
        files = [path / f for f in ("config.json", "encoder.weights.h5", "decoder.weights.h5", "latent.npz")]
        if not all(f.is_file() for f in files):
            raise GendslError(f"{path} is not a saved ae model (it needs {', '.join(f.name for f in files)})")
        try:
            saved = json.loads(files[0].read_text())
        except json.JSONDecodeError as error:
            raise GendslError(f"{files[0]} is damaged: {error}") from None
        if saved.get("kind") != cls.kind or saved.get("format") != FORMAT:
            raise GendslError(f"{path} holds a {saved.get('kind')!r} model in format {saved.get('format')}, "
                              f"not an ae in format {FORMAT}")
        known = {f.name for f in fields(AEConfig)}
        model = cls(AEConfig(**{k: v for k, v in saved["config"].items() if k in known}))
        conditional.load_weights(model.encoder, files[1])
        conditional.load_weights(model.decoder, files[2])
        with np.load(files[3]) as latent:
            model.code_mean.assign(latent["mean"])
            model.code_moment.assign(latent["moment"])
        return model
