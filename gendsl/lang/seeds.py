"""Seeds and independent random streams.

One integer seed names one image. From it we derive independent streams with
numpy's SeedSequence, keyed by a stream name (and, for word picks, by what is
being picked), so that the words a variant picks never shift the noise a model
draws, and one variant's pick never depends on where other variants stand.
Keys are hashed with crc32, which unlike hash() is the same in every process.
"""
from __future__ import annotations

import zlib

import numpy as np

from ..limits import MAX_SEED

NOISE = "noise"  # the model's noise: latent vectors, the world's layout jitter
PICK = "pick"  # which option a variant, variable or wildcard takes


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"a seed is an integer, not {type(seed).__name__}")
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed {seed} is out of range: seeds go from 0 to {MAX_SEED}")
    return int(seed)


def _key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def stream(seed: int, name: str, *keys: str) -> np.random.Generator:
    """An independent generator for (seed, stream name, keys...)."""
    entropy = [check_seed(seed), _key(name), *(_key(k) for k in keys)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


def noise_rng(seed: int) -> np.random.Generator:
    return stream(seed, NOISE)


def pick_rng(seed: int, *keys: str) -> np.random.Generator:
    return stream(seed, PICK, *keys)
