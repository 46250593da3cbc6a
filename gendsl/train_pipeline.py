"""A tf.data input pipeline for the training driver: batches made in parallel, ahead of the step.

The Python batch path (WorldTrainData.batch) plans every example's layout on each use, about
1,600 maps a second on one core: enough for a CPU, a ceiling on any GPU. Here each example is
planned once, up front (layout_graph.plan_arrays: a few floats per box), and each step's batch
is gathered and its maps painted by TensorFlow ops in a parallel map, with prefetch, so the
step never waits on Python. The batch of a step is the Python path's, byte for byte: the same
examples (train.batch_indices, sorted), the same maps, the same noise seed (seed, step); so a
run, and its resume, are bit for bit what they were.
"""
from __future__ import annotations

import sys
from functools import lru_cache

import numpy as np

from .lang.seeds import stream


def example_order(n: int, seed: int):
    """The step -> examples function of train.batch_indices, with each epoch's permutation cached."""
    @lru_cache(maxsize=4)
    def permutation(epoch: int) -> np.ndarray:
        return stream(seed, "order", str(epoch)).permutation(n)

    def indices(step: int, batch_size: int) -> np.ndarray:
        start, out = step * batch_size, []
        while len(out) < batch_size:
            epoch, offset = divmod(start + len(out), n)
            out.extend(permutation(epoch)[offset:offset + batch_size - len(out)])
        return np.sort(np.asarray(out, np.int64))  # the Python path sorts too (memmap reads in file order)
    return indices


class Pipeline:
    """tf.data batches of a WorldTrainData: images, cond, cond_input (the maps), seed."""

    def __init__(self, data, progress: bool = True):
        from .models.layout_graph import plan_arrays

        self.data = data
        if data.conditioning != "flat":
            if progress:
                print(f"planning the layouts of {len(data)} examples (once)", file=sys.stderr)
            self.plans = plan_arrays(data.cond, data.seeds, data.size, with_details=data.conditioning == "details")
        else:
            self.plans = None

    def dataset(self, batch_size: int, seed: int, start: int, stop: int, replicas: int = 1):
        """Steps start .. stop-1, one element per step (the global batch)."""
        import tensorflow as tf

        from .models.layout_graph import paint

        data, indices = self.data, example_order(len(self.data), seed)
        images = data.images
        plans = None if self.plans is None else {k: tf.constant(v) for k, v in self.plans.items()}
        cond = tf.constant(np.asarray(data.cond, np.float32))
        size = data.size

        def gather(step):
            ids = indices(int(step), batch_size)
            return ids, np.asarray(images[ids])  # a memmap read, in file order

        def make(step):
            ids, pixels = tf.numpy_function(gather, [step], (tf.int64, tf.uint8), stateful=False)
            ids.set_shape((batch_size,))
            pixels.set_shape((batch_size, size, size, 3))
            c = tf.gather(cond, ids)
            batch = {"image": tf.cast(pixels, tf.float32) / 127.5 - 1.0, "cond": c,
                     "seed": tf.stack([tf.cast(seed % 2**31, tf.int32), tf.cast(step % 2**31, tf.int32)])}
            batch["cond_input"] = c if plans is None else paint({k: tf.gather(v, ids) for k, v in plans.items()}, size,
                                                                   data.conditioning == "instances",
                                                                   data.conditioning == "details")
            return batch

        options = tf.data.Options()
        options.deterministic = True
        return (tf.data.Dataset.range(start, stop).map(make, num_parallel_calls=tf.data.AUTOTUNE)
                .prefetch(tf.data.AUTOTUNE).with_options(options))
