"""The small layers the judge's slot head needs beyond Keras' own (the captioner uses Positions too)."""
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


def _softmax_part(x, part: slice):
    return ops.softmax(x[..., part.start:part.stop], axis=-1)


@keras.saving.register_keras_serializable(package="gendsl")
class SlotTally(keras.layers.Layer):
    """How many instances each slot's item has, as a sum rather than attention's average:
    [slot logits (B, S, W), cell logits (B, G, G, W), centre map (B, G, G, 1)] -> (B, S, 4), n and log(1 + n)
    twice: n = sum over cells of centres x P(the cell's object is the slot's), then x P(its colour is too), each
    P the dot product of the two softmaxes. Both: a colour the scene leaves unsaid is never taught to the cells
    (its target is masked), so the second undercounts there (three read as two), and the first merges two
    groups of one object."""

    def __init__(self, objects: slice, colors: slice, detached: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.objects, self.colors = slice(*_bounds(objects)), slice(*_bounds(colors))
        self.detached = detached  # the sums' gradient reaches the centre map only, not the slots' or cells' reading

    def call(self, inputs):
        slots, cells, centres = inputs
        cells = ops.reshape(cells, (ops.shape(cells)[0], -1, cells.shape[-1]))  # (B, G*G, W)
        centres = ops.reshape(centres, (ops.shape(centres)[0], 1, -1))  # (B, 1, G*G)
        same, out = ops.ones_like(centres), []
        for part in (self.objects, self.colors):
            match = ops.einsum("bsk,bck->bsc", _softmax_part(slots, part), _softmax_part(cells, part))
            same = same * (ops.stop_gradient(match) if self.detached else match)
            n = ops.sum(same * centres, axis=-1, keepdims=True)  # (B, S, 1)
            out += [n, ops.log1p(n)]
        return ops.concatenate(out, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], input_shape[0][1], 4)

    def get_config(self):
        return super().get_config() | {"objects": _bounds(self.objects), "colors": _bounds(self.colors),
                                       "detached": self.detached}


@keras.saving.register_keras_serializable(package="gendsl")
class PadInto(keras.layers.Layer):
    """(B, S, k) -> (B, S, width): zeros, with the input at `part` (k columns), to add to a slot's logits."""

    def __init__(self, part: slice, width: int, **kwargs):
        super().__init__(**kwargs)
        self.part, self.width = slice(*_bounds(part)), width

    def call(self, x):
        return ops.pad(x, [(0, 0), (0, 0), (self.part.start, self.width - self.part.stop)])

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.width)

    def get_config(self):
        return super().get_config() | {"part": _bounds(self.part), "width": self.width}


def _bounds(part) -> tuple[int, int]:
    return (part.start, part.stop) if isinstance(part, slice) else tuple(part)
