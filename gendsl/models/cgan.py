"""Conditional GAN: draws a scene at its layout, from a seed.

Design (measured against the flat keras-io baseline in benchmarks/bench_models.py):
- the generator is conditioned on the scene's layout maps at every scale
  (layout_maps.py), so objects and places compose by construction;
- the discriminator sees the maps beside the image, projects its features on
  the scene vector, and has spectral norm on every layer: with the hinge loss,
  the usual recipe for a GAN that trains without collapsing (SNGAN, BigGAN);
- an L1 term pulls each fake towards the world render of the same scene and
  seed (pix2pix): with the same layout the pair is well defined, and it gives
  the generator a dense signal early, which matters on a 2-core CPU;
- an exponential moving average of the generator's weights is what samples
  (EMA generator; steadier than the last step's weights).
Noise for a training step comes from tf's stateless RNG keyed by (run seed,
step), so a resumed run draws exactly the noise it would have drawn.
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from . import conditional
from .blocks import build_discriminator, build_generator


@dataclass(frozen=True)
class CGANConfig:
    size: int = 32
    z_dim: int = 64
    width: int = 32  # generator channels at the finest stage; coarser stages have up to 4x
    disc_width: int = 32
    conditioning: str = "layout"  # "layout", or "flat" for the keras-io baseline
    l1_weight: float = 5.0  # 0 turns the pix2pix term off (the baseline has none)
    ema_decay: float = 0.995
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta_1: float = 0.0
    beta_2: float = 0.99


class CGAN(conditional.ConditionalProtocol, keras.Model):
    kind = "cgan"
    config_class = CGANConfig

    def __init__(self, config: CGANConfig = CGANConfig(), **kwargs):
        super().__init__(name=self.kind, **kwargs)
        conditional.check_size(config.size)
        self.config = config
        self.generator = build_generator(config.size, config.z_dim, config.width, config.conditioning)
        self.discriminator = build_discriminator(config.size, config.disc_width, config.conditioning)
        self.sampler = build_generator(config.size, config.z_dim, config.width, config.conditioning,
                                       name="generator_ema")
        self.sampler.set_weights(self.generator.get_weights())
        self.g_optimizer = keras.optimizers.Adam(config.lr_g, config.beta_1, config.beta_2)
        self.d_optimizer = keras.optimizers.Adam(config.lr_d, config.beta_1, config.beta_2)
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_adv", "l1")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def _judged(self, images, batch):
        if self.config.conditioning == "layout":
            return self.discriminator([images, batch["cond_input"], batch["cond"]], training=True)
        return self.discriminator([images, batch["cond"]], training=True)

    def train_step(self, batch):
        real, cond_input = batch["image"], batch["cond_input"]
        z = tf.random.stateless_normal((tf.shape(real)[0], self.config.z_dim), seed=batch["seed"])
        with tf.GradientTape() as tape:
            fake = self.generator([z, cond_input], training=True)
            d_loss = tf.reduce_mean(tf.nn.relu(1.0 - self._judged(real, batch))) + \
                tf.reduce_mean(tf.nn.relu(1.0 + self._judged(fake, batch)))
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(d_loss, variables), variables)

        with tf.GradientTape() as tape:
            fake = self.generator([z, cond_input], training=True)
            g_adv = -tf.reduce_mean(self._judged(fake, batch))
            l1 = tf.reduce_mean(tf.abs(fake - real))
            g_loss = g_adv + self.config.l1_weight * l1
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(g_loss, variables), variables)

        decay = self.config.ema_decay
        for average, current in zip(self.sampler.weights, self.generator.weights):
            average.assign(decay * average + (1.0 - decay) * current)
        for name, value in (("d_loss", d_loss), ("g_adv", g_adv), ("l1", l1)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    # ---- the model protocol (size, fingerprint, save, load: ConditionalProtocol)
    def generate(self, cond, seeds, noise=None) -> np.ndarray:
        return conditional.sample(self, cond, seeds, noise)

    def state_variables(self) -> list:
        """Everything a checkpoint holds: both networks, the EMA copy, both optimizers."""
        return [*self.generator.weights, *self.discriminator.weights, *self.sampler.weights,
                *self.g_optimizer.variables, *self.d_optimizer.variables]
