"""Conditional GAN: draws a scene at its layout, from a seed, and its noise decides how.

Design (measured against the flat keras-io baseline in benchmarks/bench_models.py, and
against format 1, which drew one picture per layout; see the card):
- the generator is conditioned on the scene's layout maps at every scale
  (layout_maps.py): what the scene says and where things stand, so objects and
  places compose by construction; with "instances" each instance's own noise, with
  "details" also where the backdrop's markings, hills and clouds stand; how each
  thing looks beyond that is the latent's to decide;
- BicycleGAN (Zhu et al. 2017), with the batch split in half as its reference code does:
  * cVAE-GAN half: an encoder reads the real image into a latent, the generator redraws
    the image from it (an L1 pull, pix2pix's dense early signal, now well posed because
    the latent carries the facing, design and shade), and a KL term keeps those latents
    near the prior the sampler draws from;
  * cLR-GAN half: a random latent draws a picture whose latent the encoder must read back
    (latent regression, to the generator only), so no latent direction is ignored;
- a diversity-sensitive term (DSGAN, Yang et al. 2019; MSGAN's mode seeking in its bounded
  form): the cVAE half's layouts are redrawn with other real images' codes, and the generator
  is paid for the pixels that differ per unit of latent distance, up to a cap. BicycleGAN alone
  left the latent deciding little (SSIM 0.844 among latents of one layout at step 4,250):
  the L1 pull rewards the average design more than the KL lets the code pay for;
- the discriminator sees the maps beside the image, projects its features on the scene
  vector, and has spectral norm on every layer (hinge loss; SNGAN, BigGAN);
- an exponential moving average of the generator's weights is what samples.
Noise for a training step comes from tf's stateless RNG keyed by (run seed, step), so a
resumed run draws exactly the noise it would have drawn.
"""
from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from .. import worlds
from . import conditional, replicas
from .blocks import build_discriminator, build_encoder, build_generator


@dataclass(frozen=True)
class CGANConfig:
    size: int = 32
    z_dim: int = 16
    width: int = 32  # generator channels at the finest stage; coarser stages have up to 4x
    disc_width: int = 32
    encoder_width: int = 32  # 0: no encoder, format 1's plain conditional GAN (the keras-io baseline has none)
    z_everywhere: bool = True  # the latent joins the maps at every scale (blocks.build_generator)
    conditioning: str = "layout"  # "layout"; "instances" (the maps with each instance's own noise); "details" (those
    # and where the backdrop's markings, hills and clouds are: layout_maps.py); "flat" for the
    # keras-io baseline
    l1_weight: float = 5.0  # the cVAE-GAN half's reconstruction; 0 turns it off
    kl_weight: float = 0.03  # BicycleGAN's lambda_kl is 0.01; here that let one latent dim drift to a mean of
    # -1.1 (std 0.3) by step 1,250, so prior draws on its other side fell where the generator had never been
    # (garbage for about one seed in three). 0.1 (steps 1,250-1,500) squeezed the codes to 0.2 nats: the latent
    # then carried nothing and every house was one blurred average. The run went on from 1,500 with 0.03 ...
    kl_free_nats: float = 0.0  # free bits (Kingma et al. 2016): a latent dimension's KL, averaged over the batch,
    # is paid only above this. At 0.03 with none, the encoder carried about 1 nat in all (step 6,500): its codes
    # of a pine and a round tree were the same, so the sampler's latent could only tint the sky. With 0.5 from
    # there the KL rose to 6.8 nats in 250 steps, but the codes still drew every tree round (issue 12's note)
    object_l1: float = 4.0  # ... and pixels inside an object's box weigh 1 + this in the L1 pull: an object is a
    # few percent of the picture, so without it encoding its facing or design saved less L1 than its KL cost
    latent_weight: float = 0.5  # BicycleGAN's lambda_z: the cLR-GAN half's latent regression
    latent_trains_encoder: bool = False  # the regression trains the encoder too (InfoGAN's Q): at step 6,500 the
    # encoder read nothing of a drawn latent back (z_rec 0.80, the mean |z| itself); with this, weight 2 and free
    # bits, 0.18 after 500 steps. The generator then shows its latent, but still not as a design
    diversity_weight: float = 1.0  # DSGAN's lambda: pays for |G(c,z1) - G(c,z2)| / |z1 - z2| (0 turns it off) ...
    diversity_cap: float = 0.1  # ... up to this ratio (DSGAN's tau; mean abs pixel difference in [-1, 1] inside the
    # boxes per unit of mean abs latent difference). Measured from step 4,250 (issue 12's note has the figures):
    # paid for prior draws at caps 0.12 and 0.3, training batches reached the cap within 250 steps while sampled
    # pictures did not change; paid for the whole picture at weight 5 (cap 0.2), the generator overlaid textures
    # (SSIM 0.34); in the boxes at weight 2, cap 0.25 then 0.15, SSIM 0.39-0.40 but box-judge objects fell to 85%
    colour_shift_weight: float = 5.0  # against moving a box's mean colour between the two codes (see _diversity)
    latent_mean: tuple = ()  # set after training (fit_latent): where the encoder puts training images' codes ...
    latent_chol: tuple = ()  # ... and their spread (lower Cholesky factor, row-major); see latent_map
    temperature: float = 1.0  # the sampler's spread around latent_mean, in units of the codes' own spread
    ema_decay: float = 0.995
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    beta_1: float = 0.0
    beta_2: float = 0.99


class CGAN(conditional.ConditionalProtocol, keras.Model):
    kind = "cgan"
    config_class = CGANConfig

    def __init__(self, config: CGANConfig = CGANConfig(), world=None, **kwargs):
        super().__init__(name=self.kind, **kwargs)
        conditional.check_size(config.size)
        conditional.check_latent_map(config)
        self.config, self.world = config, world or worlds.default()  # the world its conditioning speaks
        shape = conditional.networks_shape(self)
        self.generator = build_generator(config.size, config.z_dim, config.width, config.conditioning,
                                         z_everywhere=config.z_everywhere, **shape)
        self.discriminator = build_discriminator(config.size, config.disc_width, config.conditioning, **shape)
        self.sampler = build_generator(config.size, config.z_dim, config.width, config.conditioning,
                                       name="generator_ema", z_everywhere=config.z_everywhere, **shape)
        self.sampler.set_weights(self.generator.get_weights())
        self.encoder = (build_encoder(config.size, config.z_dim, config.encoder_width, config.conditioning, **shape)
                        if config.encoder_width else None)
        self.g_optimizer = replicas.loss_scaled(keras.optimizers.Adam(config.lr_g, config.beta_1, config.beta_2))
        self.d_optimizer = replicas.loss_scaled(keras.optimizers.Adam(config.lr_d, config.beta_1, config.beta_2))
        self.g_optimizer.build(self._g_variables())
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_adv", "l1", "kl", "z_rec",
                                                                         "diversity", "colour_shift")}

    def _g_variables(self) -> list:
        return [*self.generator.trainable_variables, *(self.encoder.trainable_variables if self.encoder else [])]

    @property
    def metrics(self):
        return list(self.trackers.values())

    def _judged(self, images, batch):
        if self.config.conditioning != "flat":
            return tf.cast(self.discriminator([images, batch["cond_input"], batch["cond"]], training=True), tf.float32)
        return tf.cast(self.discriminator([images, batch["cond"]], training=True), tf.float32)

    def _latents(self, batch):
        """The step's latents: encoded from the first half's real images, drawn from the prior for the rest.
        Returns (z, mean, log_var, z_random); without an encoder every latent is random."""
        real = batch["image"]
        n = real.shape[0] if real.shape[0] is not None else tf.shape(real)[0]
        seed = batch["seed"]
        if self.encoder is None:
            z = replicas.normal((n, self.config.z_dim), seed)
            return z, None, None, z
        half = n // 2
        mean, log_var = (tf.cast(t, tf.float32) for t in
                         self.encoder([real[:half], batch["cond_input"][:half]], training=True))
        eps = replicas.normal((half, self.config.z_dim), seed + [0, 1 << 30])  # on N replicas each halves its shard
        z_random = replicas.normal((n - half, self.config.z_dim), seed)
        return tf.concat([mean + tf.exp(0.5 * log_var) * eps, z_random], 0), mean, log_var, z_random

    def _kl(self, mean, log_var):
        """(kl, paid): the codes' KL to the prior per image, and what the loss pays for it: each dimension
        only above kl_free_nats (its batch mean), so the encoder may carry that much for nothing."""
        per_dim = -0.5 * (1.0 + log_var - tf.square(mean) - tf.exp(log_var))
        kl = tf.reduce_mean(tf.reduce_sum(per_dim, axis=1))
        if not self.config.kl_free_nats:
            return kl, kl
        return kl, tf.reduce_sum(tf.maximum(tf.reduce_mean(per_dim, axis=0), self.config.kl_free_nats))

    def _box_mask(self, cond_input):
        """(n, H, W, 1): 1 inside the objects' boxes (the world's mask channel of the maps); None without one."""
        channel = self.world.mask_channel
        if self.config.conditioning == "flat" or channel is None:
            return None
        return cond_input[..., channel:channel + 1]

    def _l1(self, fake, real, cond_input):
        """Mean absolute error, objects' boxes weighted 1 + object_l1 (layout maps' mask channel)."""
        mask = self._box_mask(cond_input)
        if mask is None or not self.config.object_l1:
            return tf.reduce_mean(tf.abs(fake - real))
        weight = 1.0 + self.config.object_l1 * mask
        return tf.reduce_sum(tf.abs(fake - real) * weight) / (3.0 * tf.reduce_sum(weight))

    def _draw_with_redraw(self, z, cond_input, cond, half):
        """The step's pictures, and the first half's layouts redrawn with the codes of other real images of the
        batch, each borrowing the code of the image whose scene vector is nearest its own (None when the
        diversity term is off). The nearest scene: with any other image's code, the redraw took on that image's
        objects (box-judge objects 99% -> 84%). Codes of real images, not prior draws: paid for differences
        along any latent, the generator made them where the encoder never puts a code (sampled there, garbage;
        at the sampler's fitted prior, no change). One generator call draws both, so batch normalisation sees one
        batch: drawn apart, the generator learned to differ by batch statistics alone."""
        if not self.config.diversity_weight or half is None:
            return tf.cast(self.generator([z, cond_input], training=True), tf.float32), None, None
        scenes = tf.cast(cond[:half], tf.float32)
        likeness = tf.matmul(scenes, scenes, transpose_b=True) - 1e9 * tf.eye(half)  # never itself
        other = tf.gather(z[:half], tf.argmax(likeness, axis=1))
        both = tf.cast(self.generator([tf.concat([z, other], 0), tf.concat([cond_input, cond_input[:half]], 0)],
                                      training=True), tf.float32)  # float16 when mixed
        return both[:-half], both[-half:], other

    def _diversity(self, fake, redrawn, z, other, cond_input):
        """(ratio, shift): pixels changed per unit of latent changed (DSGAN's ratio), counted inside the
        objects' boxes (the maps' mask; the whole picture where a layout has none), and how far the boxes'
        mean colour moved. Paid for change anywhere, the generator laid a ghostly texture over sky and ground;
        paid inside the boxes alone, it recoloured the objects (box-judge colour 99.5% -> 88.5% in 500 steps)."""
        if redrawn is None:
            return tf.constant(0.0), tf.constant(0.0)
        half = tf.shape(other)[0]
        apart = tf.maximum(tf.reduce_mean(tf.abs(z[:half] - other)), 1e-6)  # a batch of one has no other code
        changed = tf.abs(fake[:half] - redrawn)
        mask = self._box_mask(cond_input[:half])
        if mask is None:
            return tf.reduce_mean(changed) / apart, tf.constant(0.0)
        area = tf.maximum(tf.reduce_sum(mask, axis=(1, 2)), 1.0)  # (half, 1)
        shift = tf.reduce_mean(tf.abs(tf.reduce_sum((fake[:half] - redrawn) * mask, axis=(1, 2)) / area))
        return tf.reduce_sum(changed * mask) / tf.maximum(3.0 * tf.reduce_sum(mask), 1.0) / apart, shift

    def train_step(self, batch):
        real, cond_input = batch["image"], batch["cond_input"]
        z, _, _, _ = self._latents(batch)
        with tf.GradientTape() as tape:
            fake = tf.cast(self.generator([z, cond_input], training=True), tf.float32)  # float16 when mixed
            d_loss = tf.reduce_mean(tf.nn.relu(1.0 - self._judged(real, batch))) + \
                tf.reduce_mean(tf.nn.relu(1.0 + self._judged(fake, batch)))
            scaled = self.d_optimizer.scale_loss(replicas.global_mean(d_loss))
        variables = self.discriminator.trainable_variables
        self.d_optimizer.apply(tape.gradient(scaled, variables), variables)

        with tf.GradientTape(persistent=True) as tape:
            z, mean, log_var, z_random = self._latents(batch)
            half = None if mean is None else tf.shape(mean)[0]
            fake, redrawn, other = self._draw_with_redraw(z, cond_input, batch["cond"], half)
            g_adv = -tf.reduce_mean(self._judged(fake, batch))
            if redrawn is not None:  # the redraws must look real too
                redrawn_batch = {"cond_input": cond_input[:half], "cond": batch["cond"][:half]}
                g_adv = 0.5 * (g_adv - tf.reduce_mean(self._judged(redrawn, redrawn_batch)))
            if self.encoder is None:
                l1 = tf.reduce_mean(tf.abs(fake - real))
                kl = kl_paid = z_rec = tf.constant(0.0)
            else:
                l1 = self._l1(fake[:half], real[:half], cond_input[:half])
                kl, kl_paid = self._kl(mean, log_var)
                read_back = tf.cast(self.encoder([fake[half:], cond_input[half:]], training=True)[0], tf.float32)
                z_rec = tf.reduce_mean(tf.abs(read_back - z_random))
            shared = g_adv + self.config.l1_weight * l1 + self.config.kl_weight * kl_paid
            diversity, shift = self._diversity(fake, redrawn, z, other, cond_input)
            g_loss = shared + self.config.latent_weight * z_rec  # the latent regression trains the generator only
            g_loss -= self.config.diversity_weight * tf.minimum(diversity, self.config.diversity_cap)
            g_loss += self.config.colour_shift_weight * shift  # a rendition keeps the colour the sentence said
            g_scaled = self.g_optimizer.scale_loss(replicas.global_mean(g_loss))
            if self.config.latent_trains_encoder:
                shared = shared + self.config.latent_weight * z_rec
            shared_scaled = self.g_optimizer.scale_loss(replicas.global_mean(shared))
        g_vars = self.generator.trainable_variables
        grads = tape.gradient(g_scaled, g_vars)
        if self.encoder is not None:
            e_vars = self.encoder.trainable_variables
            grads, g_vars = [*grads, *tape.gradient(shared_scaled, e_vars)], [*g_vars, *e_vars]
        del tape
        self.g_optimizer.apply(grads, g_vars)

        decay = self.config.ema_decay
        if replicas.replica()[1] == 1:  # one device: the graph exactly as before
            for average, current in zip(self.sampler.weights, self.generator.weights):
                average.assign(decay * average + (1.0 - decay) * current)
        else:
            replicas.assign(self.sampler.weights, [decay * average + (1.0 - decay) * current
                                                   for average, current in zip(self.sampler.weights,
                                                                               self.generator.weights)])
        for name, value in (("d_loss", d_loss), ("g_adv", g_adv), ("l1", l1), ("kl", kl), ("z_rec", z_rec),
                            ("diversity", diversity), ("colour_shift", shift)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    # ---- the latent the sampler reads
    def latent_map(self, z: np.ndarray) -> np.ndarray:
        """An image's Gaussian latent moved to where the encoder's codes of real images lie.

        The generator learns to draw well from the codes its encoder gives (the cVAE-GAN half); the KL term
        pulls those codes towards the prior, but not all the way: at step 2,250 one direction of them sat
        off-centre, and prior draws on its far side drew noise. A Gaussian fitted to the codes after training
        (ex-post density estimation, Ghosh et al. 2020) is the sampler's prior instead; an affine map of a
        Gaussian keeps every variation path Gaussian, so seeds, strengths and morphs work as before."""
        if not self.config.latent_mean:
            return z
        mean = np.asarray(self.config.latent_mean, np.float64)
        chol = np.asarray(self.config.latent_chol, np.float64).reshape(len(mean), len(mean))
        # row by row, not `z @ chol.T`: BLAS sums a batch in another order than one row (gemm vs gemv),
        # and an image must not depend on its batch
        z = np.asarray(z, np.float32).astype(np.float64)
        return ((z[:, None, :] * chol[None]).sum(-1) + mean).astype(np.float32)

    def fit_latent(self, data, n: int = 4096, batch: int = 256) -> "CGAN":
        """Fit the sampler's latent Gaussian to the encoder's codes of the first n training images."""
        from dataclasses import replace

        if self.encoder is None:
            return self
        codes = []
        rng = np.random.default_rng(0)
        for start in range(0, min(n, len(data)), batch):
            b = data.batch(np.arange(start, min(start + batch, n, len(data))))
            mean, log_var = self.encoder([b["image"], b["cond_input"]], training=False)
            mean, sd = np.asarray(mean, np.float64), np.exp(0.5 * np.asarray(log_var, np.float64))
            codes.append(mean + sd * rng.standard_normal(mean.shape))
        codes = np.concatenate(codes)
        cov = np.cov(codes, rowvar=False) + 1e-4 * np.eye(codes.shape[1])
        chol = np.linalg.cholesky(cov)
        self.config = replace(self.config, latent_mean=tuple(float(v) for v in codes.mean(0)),
                              latent_chol=tuple(float(v) for v in chol.reshape(-1)))
        return self

    # ---- the model protocol (size, fingerprint, save, load: ConditionalProtocol)
    def generate(self, cond, seeds, noise=None) -> np.ndarray:
        return conditional.sample(self, cond, seeds, noise, self.config.temperature)

    def state_variables(self) -> list:
        """Everything a checkpoint holds: the networks, the EMA copy, the encoder, both optimizers."""
        return [*self.generator.weights, *self.discriminator.weights, *self.sampler.weights,
                *(self.encoder.weights if self.encoder else []), *self.g_optimizer.variables,
                *self.d_optimizer.variables]
