"""The compiled sampler: a batch is its seeds one at a time, at every chunk shape, on the shipped weights."""
import numpy as np
import pytest

import gendsl
from gendsl.models.conditional import CHUNK, chunk_sizes


def test_chunk_sizes_cover_the_batch():
    for n in range(0, 70):
        for gpu in (False, True):
            sizes = chunk_sizes(n, gpu)
            assert sum(sizes) >= n and sum(sizes) - n < (CHUNK if gpu else max(1, n % CHUNK))
            assert all(s == CHUNK for s in sizes[:-1]) and all(s & (s - 1) == 0 for s in sizes)
    assert chunk_sizes(1, False) == [1] and chunk_sizes(1, True) == [CHUNK] and chunk_sizes(19, False) == [16, 4]


@pytest.mark.parametrize("name", ["cgan", "cvae"])
def test_compiled_batch_equals_single_seeds(name):
    model = gendsl.load(name)
    scenes = ["a yellow school bus in a parking lot", "two small red cars next to a house on the beach at night"]
    cond = np.stack([gendsl.encode(gendsl.compile_scene(scenes[i % 2])) for i in range(21)])
    seeds = list(range(100, 121))
    batch = model.generate(cond, seeds)  # chunks of 16 and 8 (5 padded)
    assert batch.shape == (21, model.size, model.size, 3) and batch.dtype == np.uint8
    for i in (0, 7, 15, 16, 20):
        assert model.generate(cond[i], [seeds[i]]).tobytes() == batch[i].tobytes()
    assert model.generate(cond[3:6], seeds[3:6]).tobytes() == batch[3:6].tobytes()  # a chunk of 4, 1 padded
    assert model.generate(cond, seeds).tobytes() == batch.tobytes()  # and again, the same bytes
