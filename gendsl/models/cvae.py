"""Conditional VAE: an encoder and a decoder conditioned on the scene's layout maps.

The decoder has the cGAN generator's architecture (blocks.build_generator), so
the two models differ only in how they are trained: the cVAE by reconstruction
plus a KL term whose weight warms up linearly from 0 (so the decoder learns to
use the code before the prior squeezes it; Bowman et al.'s KL annealing).
Sampling draws the code from the prior at a temperature: below 1 is safer,
above 1 wilder.
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from .. import worlds
from . import conditional, replicas
from .blocks import build_encoder, build_generator


@dataclass(frozen=True)
class CVAEConfig:
    size: int = 32
    z_dim: int = 32
    width: int = 32
    conditioning: str = "layout"
    z_everywhere: bool = True  # the latent joins the maps at every scale (blocks.build_generator)
    pixel_sigma: float = 0.1  # the decoder's Gaussian noise, in [-1, 1] pixel units: sets recon vs KL balance
    kl_weight: float = 1.0
    kl_warmup_steps: int = 2000
    lr: float = 1e-3
    temperature: float = 1.0  # default sampling temperature


class CVAE(conditional.ConditionalProtocol, keras.Model):
    kind = "cvae"
    config_class = CVAEConfig

    def __init__(self, config: CVAEConfig = CVAEConfig(), world=None, **kwargs):
        super().__init__(name=self.kind, **kwargs)
        conditional.check_size(config.size)
        self.config, self.world = config, world or worlds.default()  # the world its conditioning speaks
        shape = conditional.networks_shape(self)
        self.encoder = build_encoder(config.size, config.z_dim, config.width, config.conditioning, **shape)
        self.sampler = build_generator(config.size, config.z_dim, config.width, config.conditioning,
                                       name="decoder", z_everywhere=config.z_everywhere, **shape)
        self.optimizer_ = replicas.loss_scaled(keras.optimizers.Adam(config.lr))
        self.optimizer_.build(self._variables_to_train())
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("recon", "kl", "beta")}

    def _variables_to_train(self):
        return [*self.encoder.trainable_variables, *self.sampler.trainable_variables]

    @property
    def metrics(self):
        return list(self.trackers.values())

    def train_step(self, batch):
        real, cond_input = batch["image"], batch["cond_input"]
        step = tf.cast(self.optimizer_.iterations, tf.float32)
        beta = self.config.kl_weight * tf.minimum(1.0, step / max(1, self.config.kl_warmup_steps))
        with tf.GradientTape() as tape:
            mean, log_var = (tf.cast(t, tf.float32) for t in self.encoder([real, cond_input], training=True))
            eps = replicas.normal(tf.shape(mean), batch["seed"])
            z = mean + tf.exp(0.5 * log_var) * eps
            recon = tf.cast(self.sampler([z, cond_input], training=True), tf.float32)  # float16 when mixed
            squared = tf.reduce_sum(tf.square(recon - real), axis=[1, 2, 3])
            recon_loss = tf.reduce_mean(squared) / (2.0 * self.config.pixel_sigma ** 2)
            kl = tf.reduce_mean(-0.5 * tf.reduce_sum(1.0 + log_var - tf.square(mean) - tf.exp(log_var), axis=1))
            loss = replicas.global_mean(recon_loss + beta * kl)
        variables = self._variables_to_train()
        self.optimizer_.apply(tape.gradient(self.optimizer_.scale_loss(loss), variables), variables)
        pixels = float(np.prod(real.shape[1:]))  # report per-pixel figures, readable at any size
        for name, value in (("recon", recon_loss / pixels), ("kl", kl), ("beta", beta)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    # ---- the model protocol (size, fingerprint, save, load: ConditionalProtocol)
    def generate(self, cond, seeds, noise=None, temperature: float | None = None) -> np.ndarray:
        temperature = self.config.temperature if temperature is None else temperature
        return conditional.sample(self, cond, seeds, noise, temperature)

    def state_variables(self) -> list:
        return [*self.encoder.weights, *self.sampler.weights, *self.optimizer_.variables]
