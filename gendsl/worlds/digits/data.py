"""scikit-learn's bundled handwritten digits (1797 images, 8 x 8, 0..16): no download, ever.

    x, y = load(binarize=True)          # float32 (1797, 64) of 0/1, int labels 0..9
    train, test = split(len(y), seed=0) # a seeded, stratified-enough index split

Binarized at half intensity (8 of 16), the usual choice for Bernoulli models
on these digits; scikit-learn's RBM example scales to [0, 1] instead, which a
Bernoulli likelihood does not strictly allow.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from ...lang.seeds import stream

SIDE = 8
THRESHOLD = 8.0  # of 16


@cache
def _raw() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images.astype(np.float32), digits.target.astype(np.int64)


def images() -> tuple[np.ndarray, np.ndarray]:
    """(images float32 (1797, 8, 8) in [0, 1], labels): the grey originals, for the digits world's glyphs."""
    raw, labels = _raw()
    return raw / 16.0, labels.copy()


def split(n: int, seed: int = 0, test_fraction: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Sorted train and test indices from a seeded permutation."""
    order = stream(seed, "digits-split").permutation(n)
    cut = int(round(n * (1 - test_fraction)))
    return np.sort(order[:cut]), np.sort(order[cut:])


def load(binarize: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): x float32 (1797, 64), 0/1 when binarized, else scaled to [0, 1]; y the digit."""
    images, labels = _raw()
    flat = images.reshape(len(images), -1)
    x = (flat >= THRESHOLD).astype(np.float32) if binarize else flat / 16.0
    return x, labels.copy()


def one_hot(labels: np.ndarray, n: int = 10) -> np.ndarray:
    out = np.zeros((len(labels), n), np.float32)
    out[np.arange(len(labels)), labels] = 1.0
    return out
