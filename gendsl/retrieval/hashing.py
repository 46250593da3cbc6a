"""Semantic hashing: images and scene texts mapped to one space of short binary codes.

    hasher = Hashing.load("gendsl/weights/hashing-world-32")
    hasher.image_bits(images)                        # bool (N, bits)
    hasher.text_bits(["two red cars on the beach"])  # bool (N, bits), the same space

After Salakhutdinov & Hinton's semantic hashing: an encoder whose code layer is
pushed to binary by Gaussian noise added before a sigmoid during training, so
that only saturated units carry a signal (or, with binarize="straight-through",
rounding in the forward pass and the sigmoid's gradient in the backward pass),
and is rounded at 0.5 afterwards. Two encoders share the code space:
- images: the shipped judge's reading of the picture (its 256 pooled features
  and its per-slot and scene logits; the judge is trained on world renders only)
  through an MLP; the judge's fingerprint is stored and checked;
- texts: the scene language compiles any phrasing to its canonical scene and
  its conditioning vector, and an MLP maps that to a code, so every phrasing of
  a scene gets the same code by construction and a mistyped query gets the
  language's located error.
Training is contrastive (InfoNCE both ways over the batch, pairs with the same
scene counted as positives) on the codes' +-1 inner product, which is
bits - 2 * Hamming distance; plus, as in the semantic-hashing autoencoder, a
decoder that must rebuild the scene vector from each code, and a bit-balance
term so every bit splits the data (which the Hamming-ball lookup needs).
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .. import worlds
from ..worlds.scene.encode import DIM
from ..lang.errors import GendslError
from ..models import conditional

FEATURES = 256 + 99  # the judge's feature layer and its logits (3 slots x 30 + 9)
CHUNK = 256  # rows per network call, padded: codes never depend on the batch


@dataclass(frozen=True)
class HashingConfig:
    size: int = 32  # images are read by the judge at 32 px (larger ones are area-downsampled)
    bits: int = 64
    hidden: int = 384  # keeps the shipped folder under 3 MB (512 weighs 3.3 MB)
    binarize: str = "noise"  # "noise" (noise before the sigmoid) or "straight-through"
    noise: float = 3.0  # std of the noise added to the code layer's input while training
    temperature: float = 0.1  # of the contrastive softmax over codes' inner products / bits
    recon_weight: float = 0.1  # of the scene vector rebuilt from the code (summed binary cross-entropy)
    balance_weight: float = 1.0
    lr: float = 1e-3
    centred: bool = True  # batch-normalise the code layer's input without a shift (see _mlp)
    judge: str = ""  # fingerprint of the judge whose features the image encoder reads

    def __post_init__(self):
        if self.bits not in (16, 32, 64, 128):
            raise GendslError(f"codes have 16, 32, 64 or 128 bits, not {self.bits}")
        if self.binarize not in ("noise", "straight-through"):
            raise GendslError(f'binarize is "noise" or "straight-through", not {self.binarize!r}')


def _mlp(inputs, config: HashingConfig, seed: int, name: str, normalize: bool):
    x = layers.Normalization(name=f"{name}_norm")(inputs) if normalize else inputs
    for k in range(2):
        x = layers.Dense(config.hidden, activation="relu", name=f"{name}_{k}",
                         kernel_initializer=keras.initializers.HeNormal(seed + k))(x)
    x = layers.Dense(config.bits, name=f"{name}_code", kernel_initializer=keras.initializers.GlorotUniform(seed + 9))(x)
    # Batch normalisation with a learned scale but no shift: every code unit is centred on the data, so
    # each bit splits it about in half and none can die at 0 or 1 (measured: without it, 8 of 32 bits did).
    return layers.BatchNormalization(center=False, name=f"{name}_balance")(x) if config.centred else x


def build_encoders(config: HashingConfig, seed: int = 0) -> keras.Model:
    """[judge features (N, FEATURES), scene vectors (N, DIM)] -> [image code logits, text code logits]."""
    feats = keras.Input((FEATURES,), name="features")
    scene = keras.Input((DIM,), name="scene")
    return keras.Model([feats, scene], [_mlp(feats, config, seed * 100, "image", True),
                                        _mlp(scene, config, seed * 100 + 50, "text", False)], name="hashing")


def build_reconstructor(config: HashingConfig, seed: int = 0) -> keras.Model:
    code = keras.Input((config.bits,))
    x = layers.Dense(config.hidden, activation="relu", kernel_initializer=keras.initializers.HeNormal(seed * 100 + 70))(code)
    return keras.Model(code, layers.Dense(DIM, kernel_initializer=keras.initializers.GlorotUniform(seed * 100 + 71))(x),
                       name="reconstructor")


def image_features(judge, images) -> np.ndarray:
    """float32 (N, FEATURES): what the judge reads in each image, the image encoder's input."""
    logits, feats = judge._run(images)
    return np.concatenate([feats, logits], axis=1).astype(np.float32)


def scene_vectors(texts) -> np.ndarray:
    """float32 (N, DIM): each text compiled with the scene language (errors are located)."""
    from ..worlds.scene.compiler import compile_scene_text
    from ..worlds.scene.encode import encode_batch

    texts = list(texts)
    for text in texts:
        if not text.strip():
            raise GendslError("the query is empty; write a scene, e.g. \"a red car on the beach\"")
    return encode_batch([compile_scene_text(t) for t in texts])


class Hashing(conditional.ConditionalProtocol, keras.Model):
    kind = "hashing"
    config_class = HashingConfig

    def __init__(self, config: HashingConfig = HashingConfig(), seed: int = 0, world=None, **kwargs):
        super().__init__(name=self.kind, **kwargs)
        self.config, self.world = config, world or worlds.default()  # the scenes its text codes read
        self.sampler = build_encoders(config, seed)
        self.reconstructor = build_reconstructor(config, seed)
        self.optimizer_ = keras.optimizers.Adam(config.lr, clipnorm=1.0)
        self.optimizer_.build(self._train_vars())
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("nce", "recon", "balance", "bit_gap")}
        self._judge = None
        self._run = tf.function(lambda f, s: self.sampler([f, s], training=False))

    def _train_vars(self):
        return [*self.sampler.trainable_variables, *self.reconstructor.trainable_variables]

    @property
    def metrics(self):
        return list(self.trackers.values())

    def adapt(self, features: np.ndarray) -> None:
        """Set the image encoder's input standardisation from training features (before training)."""
        norm = self.sampler.get_layer("image_norm")
        norm.adapt(np.asarray(features, np.float32))

    def _binary(self, logits, noise):
        if self.config.binarize == "noise":
            return tf.sigmoid(logits + self.config.noise * noise)
        soft = tf.sigmoid(logits)
        return soft + tf.stop_gradient(tf.round(soft) - soft)

    def train_step(self, batch):
        cond = batch["cond"]
        seed = batch["seed"]
        n = tf.shape(cond)[0]
        noise = tf.random.stateless_normal((2, n, self.config.bits), seed=seed)
        same = tf.cast(tf.reduce_all(tf.equal(cond[:, None], cond[None]), -1), tf.float32)
        targets = same / tf.reduce_sum(same, -1, keepdims=True)
        with tf.GradientTape() as tape:
            z_image, z_text = self.sampler([batch["features"], cond], training=True)
            b_image, b_text = self._binary(z_image, noise[0]), self._binary(z_text, noise[1])
            s_image, s_text = 2.0 * b_image - 1.0, 2.0 * b_text - 1.0
            sim = tf.matmul(s_image, s_text, transpose_b=True) / (self.config.bits * self.config.temperature)
            nce = 0.5 * (tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(targets, sim)) +
                         tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(targets, tf.transpose(sim))))
            recon = 0.5 * sum(tf.reduce_mean(tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
                cond, self.reconstructor(b, training=True)), -1)) for b in (b_image, b_text))
            balance = sum(tf.reduce_mean(tf.square(tf.reduce_mean(b, 0) - 0.5)) for b in (b_image, b_text))
            loss = nce + self.config.recon_weight * recon + self.config.balance_weight * balance
        variables = self._train_vars()
        self.optimizer_.apply(tape.gradient(loss, variables), variables)
        # how far the code units sit from 0.5 without noise (1: fully binary)
        gap = tf.reduce_mean(tf.abs(2.0 * tf.sigmoid(z_image) - 1.0))
        for name, value in (("nce", nce), ("recon", recon), ("balance", balance), ("bit_gap", gap)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def state_variables(self) -> list:
        return [*self.sampler.weights, *self.reconstructor.weights, *self.optimizer_.variables]

    # ---- codes
    def _logits(self, features=None, scenes=None) -> np.ndarray:
        """Code-layer logits of image features or of scene vectors, in padded chunks."""
        which = 0 if scenes is None else 1
        x = np.asarray(features if scenes is None else scenes, np.float32)
        out = []
        for start in range(0, len(x), CHUNK):
            part = x[start:start + CHUNK]
            pad = np.zeros((CHUNK - len(part), x.shape[1]), np.float32)
            full = np.concatenate([part, pad])
            f = full if which == 0 else np.zeros((CHUNK, FEATURES), np.float32)
            s = full if which == 1 else np.zeros((CHUNK, DIM), np.float32)
            out.append(np.asarray(self._run(f, s)[which])[:len(part)])
        return np.concatenate(out) if out else np.zeros((0, self.config.bits), np.float32)

    def judge(self):
        """The judge whose features the image encoder reads (the shipped one; checked by fingerprint)."""
        if self._judge is None:
            from ..eval.judge import load_default
            judge = load_default()
            if self.config.judge and judge.fingerprint() != self.config.judge:
                raise GendslError(f"this hashing model reads the features of judge {self.config.judge}, but this "
                                  f"gendsl ships judge {judge.fingerprint()}; retrain it with `gendsl train hashing`")
            self._judge = judge
        return self._judge

    def image_logits(self, images) -> np.ndarray:
        return self._logits(features=image_features(self.judge(), images))

    def feature_logits(self, features) -> np.ndarray:
        return self._logits(features=features)

    def text_logits(self, texts) -> np.ndarray:
        return self._logits(scenes=scene_vectors(texts))

    def image_bits(self, images) -> np.ndarray:
        return self.image_logits(images) > 0  # sigmoid(z) > 0.5

    def text_bits(self, texts) -> np.ndarray:
        return self.text_logits(texts) > 0
