"""Network builders shared by the conditional models (cGAN generator, cVAE decoder, discriminators).

Two ways to condition, chosen by `conditioning`:
- "layout": the scene's layout maps (layout_maps.py) are concatenated at every
  scale of the generator and to the discriminator's input, so each box is drawn
  from what is painted in it ("instances" is the same network reading maps with
  each instance's own noise in more channels);
- "flat": the keras-io conditional GAN design, kept as the measured baseline:
  the scene vector is concatenated to the noise in the generator and tiled as
  extra image channels in the discriminator.
"""
from __future__ import annotations

import keras
from keras import layers

from ..worlds.scene.encode import DIM  # the scene world's; a model of another world passes its own dim and channels
from ..worlds.scene.layout_maps import CHANNELS


def _stages(size: int) -> int:
    return {32: 3, 64: 4, 128: 5}[size]  # doublings from 4x4


def _widths(width: int, size: int) -> list[int]:
    """Channels per generator stage, widest first: 4w, 2w, w, w, ..."""
    return [max(width, width * 4 >> i) for i in range(_stages(size))]


def _tiled(z, side: int, name: str):
    """The latent repeated at every pixel of a side x side grid (BicycleGAN's add_to_all)."""
    z = layers.Reshape((1, 1, z.shape[-1]), name=f"{name}_z")(z)
    return layers.UpSampling2D(side, name=f"{name}_ztile")(z)


def _up_block(x, maps, channels: int, name: str, z=None):
    x = layers.UpSampling2D(name=f"{name}_up")(x)
    if maps is not None:
        at = layers.Resizing(x.shape[1], x.shape[2], interpolation="area", name=f"{name}_maps")(maps)
        parts = [x, at] + ([_tiled(z, x.shape[1], name)] if z is not None else [])
        x = layers.Concatenate(name=f"{name}_cat")(parts)
    for k in range(2):
        x = layers.Conv2D(channels, 3, padding="same", use_bias=False, name=f"{name}_conv{k}")(x)
        x = _batch_norm(f"{name}_bn{k}")(x)
        x = layers.ReLU(name=f"{name}_relu{k}")(x)
    return x


def _batch_norm(name: str):
    """Batch norm; built under a distribution strategy, its statistics are the global batch's (synchronized
    across replicas), so N replicas train what one device does. One device keeps the plain layer."""
    import tensorflow as tf

    return layers.BatchNormalization(name=name, synchronized=tf.distribute.has_strategy())


def build_generator(size: int, z_dim: int, width: int, conditioning: str, name: str = "generator",
                    channels: int = CHANNELS, z_everywhere: bool = False, dim: int = DIM) -> keras.Model:
    """(noise, condition) -> image in [-1, 1]; condition is maps (layout) or the scene vector (flat).
    z_everywhere: the latent also joins the maps at every scale, so it can shape each box's look directly
    (a latent that reaches the picture only through the 4x4 grid is easy for the generator to ignore)."""
    z = keras.Input((z_dim,), name="noise")
    if conditioning != "flat":
        cond = keras.Input((size, size, channels), name="maps")
        h = z
        maps = cond
    else:
        cond = keras.Input((dim,), name="cond")
        h = layers.Concatenate(name="noise_cond")([z, cond])
        maps = None
    widths = _widths(width, size)
    x = layers.Dense(4 * 4 * widths[0], use_bias=False, name="project")(h)
    x = layers.Reshape((4, 4, widths[0]), name="grid")(x)
    x = _batch_norm("project_bn")(x)
    x = layers.ReLU(name="project_relu")(x)
    zz = z if z_everywhere and maps is not None else None
    for i, channels in enumerate(widths):
        x = _up_block(x, maps, channels, f"stage{i}", zz)
    if maps is not None:
        x = layers.Concatenate(name="out_cat")([x, maps] + ([_tiled(zz, size, "out")] if zz is not None else []))
    image = layers.Conv2D(3, 3, padding="same", activation="tanh", name="to_rgb")(x)
    return keras.Model([z, cond], image, name=name)


def build_discriminator(size: int, width: int, conditioning: str, name: str = "discriminator",
                        dim: int = DIM, channels: int = CHANNELS) -> keras.Model:
    """(image, condition, scene vector) -> realness score; spectral norm on every weight layer.

    Besides seeing the condition at its input, it projects its pooled features
    onto an embedding of the scene vector (Miyato & Koyama's projection
    discriminator), which checks global attributes like place and time.
    """
    image = keras.Input((size, size, 3), name="image")
    vector = keras.Input((dim,), name="cond")
    if conditioning != "flat":
        cond = keras.Input((size, size, channels), name="maps")
        x = layers.Concatenate(name="image_maps")([image, cond])
        inputs = [image, cond, vector]
    else:
        tiled = layers.Reshape((1, 1, dim), name="cond_pixel")(vector)
        tiled = layers.UpSampling2D(size, name="cond_tiled")(tiled)
        x = layers.Concatenate(name="image_cond")([image, tiled])
        inputs = [image, vector]
    sn = layers.SpectralNormalization
    channels = width
    for i in range(_stages(size)):
        x = sn(layers.Conv2D(channels, 4, strides=2, padding="same"), name=f"down{i}")(x)
        x = layers.LeakyReLU(0.2, name=f"down{i}_act")(x)
        channels = min(channels * 2, width * 8)
    features = layers.GlobalAveragePooling2D(name="pool")(x)
    score = sn(layers.Dense(1), name="score")(features)
    embedded = sn(layers.Dense(features.shape[-1], use_bias=False), name="cond_embed")(vector)
    projection = layers.Dot(axes=1, name="projection")([features, embedded])
    out = layers.Add(name="realness")([score, projection])
    return keras.Model(inputs, out, name=name)


def build_encoder(size: int, z_dim: int, width: int, conditioning: str, name: str = "encoder",
                  dim: int = DIM, channels: int = CHANNELS) -> keras.Model:
    """(image, condition) -> (mean, log variance) of the posterior over the noise, for the cVAE."""
    image = keras.Input((size, size, 3), name="image")
    if conditioning != "flat":
        cond = keras.Input((size, size, channels), name="maps")
        x = layers.Concatenate(name="image_maps")([image, cond])
    else:
        cond = keras.Input((dim,), name="cond")
        tiled = layers.UpSampling2D(size, name="cond_tiled")(layers.Reshape((1, 1, dim))(cond))
        x = layers.Concatenate(name="image_cond")([image, tiled])
    channels = width
    for i in range(_stages(size)):
        x = layers.Conv2D(channels, 4, strides=2, padding="same", name=f"down{i}")(x)
        x = layers.LeakyReLU(0.2, name=f"down{i}_act")(x)
        channels = min(channels * 2, width * 8)
    x = layers.Flatten(name="flat")(x)
    mean = layers.Dense(z_dim, name="mean")(x)
    log_var = layers.Dense(z_dim, name="log_var")(x)
    return keras.Model([image, cond], [mean, log_var], name=name)
