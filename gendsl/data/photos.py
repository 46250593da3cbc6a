"""Whitened patches of scikit-learn's two bundled sample photos (china.jpg, flower.jpg), or of world renders.

    raw = patches(gray_photos(), 10000, 12, seed=0)   # float32 (10000, 144), pixels in [0, 1]
    white = Whitening.fit(raw)                        # per-patch DC removed, then ZCA
    x = white.apply(raw); back = white.invert(x, dc)  # what sparse coding learns on, and the way back

ZCA whitening flattens the 1/f spectrum of natural images so that a sparse
code's atoms come out as localized, oriented edges (Olshausen & Field) rather
than smooth blobs. The regularizer `eps` (relative to the mean eigenvalue)
keeps the highest, noise-dominated frequencies from being blown up.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..lang.errors import GendslError
from ..lang.seeds import stream

PHOTOS = ("china", "flower")


def gray(image: np.ndarray) -> np.ndarray:
    """uint8 RGB (or gray) -> float32 gray in [0, 1] (ITU-R 601 luma)."""
    image = np.asarray(image, np.float32) / 255.0
    return image if image.ndim == 2 else image[..., :3] @ np.array([0.299, 0.587, 0.114], np.float32)


def gray_photos() -> list[np.ndarray]:
    from sklearn.datasets import load_sample_images

    return [gray(image) for image in load_sample_images().images]


def world_images(n: int = 64, size: int = 64, seed: int = 0) -> list[np.ndarray]:
    """Gray world renders of random scenes, for dictionaries of the world's own parts."""
    from ..worlds.scene.render import render_scene
    from ..worlds.scene.sample import sample_scene

    rng = stream(seed, "sparse-world-scenes")
    return [gray(render_scene(sample_scene(rng), int(rng.integers(2**31)), size)) for _ in range(n)]


def patches(images: list[np.ndarray], n: int, patch: int, seed: int = 0) -> np.ndarray:
    """n random patch x patch squares from the images (flattened), drawn from a seeded stream."""
    if patch < 2:
        raise GendslError(f"a patch is at least 2 pixels wide, not {patch}")
    images = [im for im in images if min(im.shape[:2]) >= patch]
    if not images:
        raise GendslError(f"every image is smaller than a {patch} x {patch} patch")
    rng = stream(seed, "patches")
    which = rng.integers(len(images), size=n)
    out = np.empty((n, patch * patch), np.float32)
    for i, k in enumerate(which):
        image = images[k]
        r, c = rng.integers(image.shape[0] - patch + 1), rng.integers(image.shape[1] - patch + 1)
        out[i] = image[r:r + patch, c:c + patch].ravel()
    return out


def grid_patches(image: np.ndarray, patch: int, stride: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Every patch on a stride grid (the last row and column always included), with its corner."""
    h, w = image.shape
    rows = sorted({*range(0, h - patch + 1, stride), h - patch})
    cols = sorted({*range(0, w - patch + 1, stride), w - patch})
    corners = [(r, c) for r in rows for c in cols]
    return np.stack([image[r:r + patch, c:c + patch].ravel() for r, c in corners]).astype(np.float32), corners


def average_patches(values: np.ndarray, corners, shape, patch: int) -> np.ndarray:
    """Put overlapping patches back into an image, averaging where they overlap."""
    total, count = np.zeros(shape, np.float64), np.zeros(shape, np.float64)
    for value, (r, c) in zip(values, corners):
        total[r:r + patch, c:c + patch] += value.reshape(patch, patch)
        count[r:r + patch, c:c + patch] += 1
    return (total / np.maximum(count, 1)).astype(np.float32)


@dataclass(frozen=True)
class Whitening:
    """Per-patch DC removal, then ZCA: x_white = (x - dc) @ matrix; its inverse is exact."""

    matrix: np.ndarray
    inverse: np.ndarray

    @staticmethod
    def fit(raw: np.ndarray, eps: float = 0.1) -> "Whitening":
        centred = raw - raw.mean(axis=1, keepdims=True)
        cov = centred.T @ centred / len(centred)
        values, vectors = np.linalg.eigh(cov.astype(np.float64))
        values = np.maximum(values, 0.0)
        reg = eps * values.mean()
        matrix = (vectors / np.sqrt(values + reg)) @ vectors.T
        inverse = (vectors * np.sqrt(values + reg)) @ vectors.T
        return Whitening(matrix.astype(np.float32), inverse.astype(np.float32))

    @staticmethod
    def identity(dim: int) -> "Whitening":
        eye = np.eye(dim, dtype=np.float32)
        return Whitening(eye, eye)

    def apply(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(whitened patches, their DC values), the DC kept to put the patches back."""
        dc = raw.mean(axis=1, keepdims=True)
        return (raw - dc) @ self.matrix, dc

    def invert(self, white: np.ndarray, dc: np.ndarray) -> np.ndarray:
        return white @ self.inverse + dc
