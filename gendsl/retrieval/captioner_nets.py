"""The captioner's networks: image encoders (the judge's frozen or tuned network, or a small CNN), the
Transformer decoder, and the learning-rate schedule. captioner.py puts them together (see its docstring).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ..eval.layers import Positions  # the decoder and adapter always read full-length inputs

if TYPE_CHECKING:
    from .captioner import CaptionerConfig


def build_backbone(judge, reading: bool = False) -> keras.Model:
    """The judge's network cut before its heads: image in [-1, 1] -> (grid tokens (N, G*G, C + 30), pooled (N, F)),
    its last conv map with its per-cell attribute logits, and its feature layer (shapes: token_shapes).
    reading: pooled also carries the judge's logits (N, F + 99): what it reads in each item slot (object, colour,
    size, count) and the place and time, which the grid's cells hold only piecemeal (a count is no cell's).
    Frozen: the judge was trained on other world renders (data/world32-judge) and reads objects well."""
    net = judge.net
    image = keras.Input((32, 32, 3))
    wanted = [net.get_layer("cells").input, net.get_layer("cells").output, net.get_layer("features").output]
    if reading:  # only then does the cut hold the slot head
        wanted.append(net.get_layer("logits").output)
    grid, cells, *pooled = keras.Model(net.input, wanted)(layers.Rescaling(0.5, offset=0.5)(image))  # reads 0..1
    pooled = layers.Concatenate()(pooled) if reading else pooled[0]
    tokens = layers.Reshape((grid.shape[1] * grid.shape[2], grid.shape[3] + cells.shape[3]))(
        layers.Concatenate()([grid, cells]))
    backbone = keras.Model(image, [tokens, pooled], name="judge_backbone")
    backbone.trainable = False
    return backbone


def token_shapes(backbone: keras.Model) -> tuple[tuple[int, int], tuple[int]]:
    """((tokens, channels), (features,)): what a judge backbone hands the adapter (a wider judge, wider tokens)."""
    tokens, pooled = backbone.outputs
    return tuple(tokens.shape[1:]), tuple(pooled.shape[1:])


def build_adapter(config: CaptionerConfig, shapes, seed: int = 0) -> keras.Model:
    """Judge tokens and pooled features (shapes: token_shapes) -> (N, tokens + 1, dim) tokens for the decoder."""
    grid = keras.Input(shapes[0], name="judge_grid")
    pooled = keras.Input(shapes[1], name="judge_pooled")
    x = layers.Dense(config.dim, kernel_initializer=keras.initializers.GlorotUniform(seed * 100 + 1))(grid)
    g = layers.Dense(config.dim, kernel_initializer=keras.initializers.GlorotUniform(seed * 100 + 2))(pooled)
    x = layers.Concatenate(axis=1)([x, layers.Reshape((1, config.dim))(g)])
    x = Positions(seed=seed * 100 + 3, stddev=0.02)(x)
    return keras.Model([grid, pooled], layers.LayerNormalization()(x), name="encoder")


def build_encoder(config: CaptionerConfig, seed: int = 0) -> keras.Model:
    """uint8-range float image (N, S, S, 3) in [-1, 1] -> (N, G*G, dim) tokens."""
    counter = iter(range(seed * 100, seed * 100 + 100))
    x = image = keras.Input((config.size, config.size, 3), name="image")
    for stage, (width, convs) in enumerate(zip(config.widths, config.convs)):
        if stage:
            x = layers.MaxPooling2D()(x)
        for _ in range(convs):
            x = layers.Conv2D(width, 3, padding="same", use_bias=False,
                              kernel_initializer=keras.initializers.HeNormal(next(counter)))(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
    x = layers.Reshape((config.grid * config.grid, config.widths[-1]))(x)
    x = layers.Dense(config.dim, kernel_initializer=keras.initializers.GlorotUniform(next(counter)))(x)
    x = Positions(seed=next(counter), stddev=0.02)(x)
    return keras.Model(image, layers.LayerNormalization()(x), name="encoder")


def build_decoder(config: CaptionerConfig, seed: int = 0) -> keras.Model:
    """[tokens (N, L) int, memory (N, M, dim)] -> next-word logits (N, L, V), L = max_len - 1."""
    counter = iter(range(seed * 100 + 50, seed * 100 + 150))

    def glorot():
        return keras.initializers.GlorotUniform(next(counter))

    length, d = config.max_len - 1, config.dim
    words = keras.Input((length,), dtype="int32", name="tokens")
    memory = keras.Input((config.tokens, d), name="memory")
    x = layers.Embedding(len(config.vocabulary), d,
                         embeddings_initializer=keras.initializers.RandomNormal(stddev=0.02, seed=next(counter)))(words)
    x = Positions(seed=next(counter), stddev=0.02)(x)
    for _ in range(config.layers):
        h = layers.LayerNormalization()(x)
        x = layers.Add()([x, layers.MultiHeadAttention(config.heads, d // config.heads, kernel_initializer=glorot())(
            h, h, use_causal_mask=True)])
        h = layers.LayerNormalization()(x)
        x = layers.Add()([x, layers.MultiHeadAttention(config.heads, d // config.heads,
                                                       kernel_initializer=glorot())(h, memory)])
        h = layers.LayerNormalization()(x)
        h = layers.Dense(config.mlp, activation="gelu", kernel_initializer=glorot())(h)
        x = layers.Add()([x, layers.Dense(d, kernel_initializer=glorot())(h)])
    logits = layers.Dense(len(config.vocabulary), kernel_initializer=glorot())(layers.LayerNormalization()(x))
    return keras.Model([words, memory], logits, name="decoder")


def build_tuned(backbone: keras.Model, adapter: keras.Model, size: int) -> keras.Model:
    """Image in [-1, 1] -> (N, 65, dim) tokens through the judge's network, now trainable. Its batch
    normalisations stay frozen (inference mode): captions come in smaller, less varied batches than the
    judge's training, and moving its statistics would undo what it learnt."""
    backbone.trainable = True
    for layer in _all_layers(backbone):
        if isinstance(layer, layers.BatchNormalization):
            layer.trainable = False
    image = keras.Input((size, size, 3))
    return keras.Model(image, adapter(list(backbone(image))), name="encoder")


def _all_layers(model: keras.Model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from _all_layers(layer)


class Schedule(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up, then constant or cosine decay to lr/20."""

    def __init__(self, lr: float, warmup: int, decay: int):
        self.lr, self.warmup, self.decay = lr, warmup, decay

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        rate = self.lr * tf.minimum(1.0, (step + 1.0) / max(self.warmup, 1))
        if self.decay:
            progress = tf.clip_by_value((step - self.warmup) / self.decay, 0.0, 1.0)
            rate *= 0.05 + 0.95 * 0.5 * (1.0 + tf.cos(np.pi * progress))
        return rate

    def get_config(self):
        return {"lr": self.lr, "warmup": self.warmup, "decay": self.decay}
