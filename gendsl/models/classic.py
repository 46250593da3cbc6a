"""What the classic numpy models (sparse coding, RBM, Helmholtz machine) share.

Saved folder (config.json names the kind; the weights are plain arrays, so
loading runs no stored code):
    config.json   kind, format, config, gendsl version, and the conditioning
                  world's signature for models a digits scene drives
    weights.npz   the fitted arrays (attributes ending in `_`)
    README.md     model card: how it was trained and what it scored

Sampling is seeded per image: each seed has its own numpy stream, and the
matrix products run on fixed chunks of CHUNK rows (padded), because BLAS
gives a row a different rounding in a 1-row product than in a 16-row one;
so a batch of seeds draws exactly what the seeds draw one at a time.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .._version import __version__
from ..io import atomic_write_bytes, atomic_write_text
from ..lang.errors import GendslError
from ..lang.seeds import check_seed, stream
from .folder import FORMAT, checked_config, read_saved

WEIGHTS = "weights.npz"
CHUNK = 16


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # no overflow warnings for large |x|


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def seed_streams(seeds: Sequence[int], name: str) -> list[np.random.Generator]:
    return [stream(check_seed(s), name) for s in seeds]


def uniforms(rngs: Sequence[np.random.Generator], n: int) -> np.ndarray:
    """One row of n uniforms per image, each from its own stream, padded to CHUNK rows."""
    out = np.zeros((CHUNK, n), np.float32)
    for i, rng in enumerate(rngs):
        out[i] = rng.random(n, np.float32)
    return out


def chunked(n: int, run: Callable[[slice], np.ndarray]) -> np.ndarray:
    """Concatenate run(rows) over fixed CHUNK-sized slices; run must pad its own arrays to CHUNK."""
    return np.concatenate([run(slice(start, min(start + CHUNK, n))) for start in range(0, n, CHUNK)])


def pad(rows: np.ndarray) -> np.ndarray:
    if len(rows) == CHUNK:
        return rows
    return np.concatenate([rows, np.zeros((CHUNK - len(rows), *rows.shape[1:]), rows.dtype)])


def gray_images(values: np.ndarray, side: int) -> np.ndarray:
    """Values in [0, 1], one flat image per row -> uint8 RGB (N, side, side, 3), ink white on black."""
    gray = np.clip(np.rint(np.asarray(values, np.float64) * 255.0), 0, 255).astype(np.uint8)
    return np.repeat(gray.reshape(len(gray), side, side, 1), 3, axis=3)


def upscale(images: np.ndarray, size: int) -> np.ndarray:
    """Nearest-neighbour upscaling by a whole factor (the digits world's 32 px canvases drawn at 64 or 128)."""
    factor = size // images.shape[1]
    return images if factor <= 1 else images.repeat(factor, axis=1).repeat(factor, axis=2)


def tile(images: np.ndarray, cols: int | None = None, gap: int = 1) -> np.ndarray:
    """(N, h, w) or (N, h, w, 3) uint8 -> one RGB grid image (atoms, filters, samples)."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = np.repeat(images[..., None], 3, axis=3)
    n, h, w = images.shape[:3]
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    sheet = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap, 3), 128, np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, cols)
        sheet[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = image
    return sheet


def normalize_each(arrays: np.ndarray) -> np.ndarray:
    """Scale each row to [0, 1] around its own range (how atoms and filters are shown)."""
    arrays = np.asarray(arrays, np.float64)
    low, high = arrays.min(axis=1, keepdims=True), arrays.max(axis=1, keepdims=True)
    return (arrays - low) / np.maximum(high - low, 1e-12)


def check_binary(x: np.ndarray, what: str = "data") -> np.ndarray:
    """Bernoulli models read 0/1 data; anything else is refused with a message, never silently cast."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise GendslError(f"{what} must be a 2-d array (examples, units), not shape {x.shape}")
    if not np.isfinite(x).all():
        raise GendslError(f"{what} holds NaN or infinite values")
    if not np.isin(x, (0, 1)).all():
        raise GendslError(f"{what} is not binary (values {float(x.min()):.3g}..{float(x.max()):.3g}); "
                          "binarize it first, e.g. gendsl.worlds.digits.data.load(binarize=True)")
    return x.astype(np.float32)


def check_finite(model, arrays: dict, epoch: int) -> None:
    if not all(np.isfinite(a).all() for a in arrays.values()):
        raise GendslError(f"{model.kind}: the weights became NaN or infinite in epoch {epoch}; "
                          "lower the learning rate (--lr). The last good epoch's model was kept")


# ---- the saved folder
def save_folder(model, path, card: str | None = None, world: dict | None = None) -> Path:
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez(buffer, **model.arrays())
    atomic_write_bytes(path / WEIGHTS, buffer.getvalue())
    config = {"kind": model.kind, "format": FORMAT, "gendsl_version": __version__,
              "config": asdict(model.config), "world": world}
    atomic_write_text(path / "config.json", json.dumps(config, indent=2))
    if card is not None or not (path / "README.md").exists():
        atomic_write_text(path / "README.md", card or f"# {model.kind}\n\nNot trained yet.\n")
    return path


def read_folder(path, kind: str, config_class, world: Callable[[object], dict | None] = lambda c: None):
    """(config, arrays) of a saved folder, with a clear error for anything missing or foreign.

    `world(config)` is the conditioning signature this code expects for that config.
    """
    path = Path(path)
    saved, weights = read_saved(path, kind, WEIGHTS)
    config = config_class(**checked_config(config_class, saved["config"], path))
    if saved.get("world") != world(config):
        raise GendslError(f"{path} was trained on another world (other vocabulary or renderer version); "
                          "retrain it with `gendsl train`")
    try:
        with np.load(weights) as data:
            arrays = {name: data[name] for name in data.files}
    except Exception as error:  # zipfile/numpy raise many kinds for a truncated file
        raise GendslError(f"cannot read the weights in {weights}: {error}") from None
    return config, arrays


def fingerprint(kind: str, arrays: dict) -> str:
    digest = hashlib.sha256(kind.encode())
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()[:12]


class Adam:
    """Adam on a dict of numpy arrays (updated in place), for the numpy models' gradient ascent."""

    def __init__(self, params: dict, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.lr, self.beta1, self.beta2, self.eps, self.t = lr, beta1, beta2, eps, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def ascend(self, params: dict, grads: dict) -> None:
        self.t += 1
        correction = np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        for k, g in grads.items():
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            params[k] += (self.lr * correction * self.m[k] / (np.sqrt(self.v[k]) + self.eps)).astype(params[k].dtype)


class ParamsModel:
    """What the numpy models with a `params` dict share: a trained check, their arrays, their fingerprint."""

    name: str
    untrained = "this model is not trained yet; fit it or load a trained one"

    def _fitted(self) -> None:
        if getattr(self, "params", None) is None:
            raise GendslError(self.untrained)

    def arrays(self) -> dict:
        self._fitted()
        return {f"{k}_": v for k, v in self.params.items()}

    def fingerprint(self) -> str:
        return fingerprint(self.kind, self.arrays())
