"""The two small layers the judge's slot head needs beyond Keras' own (the captioner uses Positions too)."""
from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="gendsl")
class Queries(keras.layers.Layer):
    """n learned query vectors, one set per image: (B, ...) -> (B, n, dim). Each query reads one item slot."""

    def __init__(self, n: int, dim: int, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.n, self.dim, self.seed = n, dim, seed

    def build(self, input_shape):
        self.queries = self.add_weight(shape=(self.n, self.dim), name="queries",
                                       initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed))

    def call(self, x):
        return ops.broadcast_to(self.queries[None], (ops.shape(x)[0], self.n, self.dim))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, self.dim)

    def get_config(self):
        return super().get_config() | {"n": self.n, "dim": self.dim, "seed": self.seed}


@keras.saving.register_keras_serializable(package="gendsl")
class Positions(keras.layers.Layer):
    """Adds a learned embedding per token position: (B, T, D) -> (B, T, D), so slots can tell
    two like objects apart by where they stand."""

    def __init__(self, seed: int = 0, stddev: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.seed, self.stddev = seed, stddev

    def build(self, input_shape):
        self.table = self.add_weight(shape=tuple(input_shape[1:]), name="table",
                                     initializer=keras.initializers.RandomNormal(stddev=self.stddev, seed=self.seed))

    def call(self, x):
        return x + self.table[None]

    def get_config(self):
        return super().get_config() | {"seed": self.seed, "stddev": self.stddev}
