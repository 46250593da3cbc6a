"""Sparse coding: a dictionary of atoms learned so that each whitened patch is a few atoms added up.

    model = SparseCoding(SparseConfig(patch=12, atoms=144)).fit(raw_patches, seed=0)
    codes = model.transform(raw_patches)       # sparse codes (FISTA for the lasso, or OMP)
    model.atoms_image()                        # the atoms as a PNG-ready grid: oriented edges on photos
    model.denoise(gray_image, seed=0)          # overlapping patches coded and averaged back

Learning is online dictionary learning (Mairal et al. 2009, the algorithm
behind scikit-learn's MiniBatchDictionaryLearning): for each mini-batch, infer
sparse codes, add their sufficient statistics A = sum a a^T and B = sum a x^T
(old batches fade by `forget`), then update each atom by block coordinate
descent, keeping it inside the unit ball. Inference is either
- FISTA (Beck & Teboulle) for min 1/2 |x - a D|^2 + alpha |a|_1, batched, or
- batch OMP: greedily picks `nonzero` atoms, solving least squares on the
  Gram matrix for all patches at once.
As a generative model it draws patches from its sparse prior: `nonzero`
atoms with Laplace coefficients at the scale the training codes had.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..data.photos import Whitening, average_patches, grid_patches
from ..lang.errors import GendslError
from ..lang.seeds import stream
from . import classic


@dataclass(frozen=True)
class SparseConfig:
    patch: int = 12
    atoms: int = 144
    method: str = "fista"  # fista (lasso codes) or omp (exactly `nonzero` atoms)
    # the L1 weight, for fista. Measured on 8000 photo patches (12 px, 144 atoms): alpha 0.15 with eps 0.1 coded
    # 53 atoms per patch and learned speckle; 1.0 with eps 1.0, about 10 per patch and oriented edges
    alpha: float = 1.0
    nonzero: int = 8  # atoms per patch, for omp (and for sampling)
    iterations: int = 60  # FISTA iterations per inference
    epochs: int = 4
    batch: int = 256
    forget: float = 0.99  # how much of the old statistics a batch keeps (after the first 1/(1-forget) batches)
    whiten_eps: float = 1.0  # ZCA regularizer, relative to the mean eigenvalue: damps the (JPEG) high frequencies
    data: str = "photos"  # what it was trained on: photos or world


def fista(x: np.ndarray, dictionary: np.ndarray, alpha: float, iterations: int) -> np.ndarray:
    """Lasso codes of every row of x: min 1/2 |x - a D|^2 + alpha |a|_1, by FISTA."""
    gram, corr = dictionary @ dictionary.T, x @ dictionary.T
    step = 1.0 / max(float(np.linalg.eigvalsh(gram)[-1]), 1e-12)
    codes = np.zeros_like(corr)
    y, t = codes, 1.0
    for _ in range(iterations):
        z = y - step * (y @ gram - corr)
        new = np.sign(z) * np.maximum(np.abs(z) - step * alpha, 0.0)
        t_new = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        y = new + ((t - 1.0) / t_new) * (new - codes)
        codes, t = new, t_new
    return codes


def omp(x: np.ndarray, dictionary: np.ndarray, nonzero: int) -> np.ndarray:
    """Codes with exactly `nonzero` atoms per row (fewer if the residual vanishes), batch OMP."""
    n, k = len(x), len(dictionary)
    nonzero = min(nonzero, k)
    gram, corr0 = dictionary @ dictionary.T, x @ dictionary.T
    chosen = np.zeros((n, 0), np.int64)
    coef = np.zeros((n, 0), x.dtype)
    rows = np.arange(n)
    for j in range(nonzero):
        corr = corr0 - np.einsum("nj,njk->nk", coef, gram[chosen]) if j else corr0
        corr = np.abs(corr)
        corr[rows[:, None], chosen] = -1.0  # never pick an atom twice
        chosen = np.concatenate([chosen, corr.argmax(axis=1)[:, None]], axis=1)
        sub = gram[chosen[:, :, None], chosen[:, None, :]] + 1e-8 * np.eye(j + 1, dtype=x.dtype)
        coef = np.linalg.solve(sub, np.take_along_axis(corr0, chosen, axis=1)[..., None])[..., 0]
    codes = np.zeros((n, k), x.dtype)
    np.put_along_axis(codes, chosen, coef, axis=1)
    return codes


class SparseCoding:
    kind = "sparse"

    def __init__(self, config: SparseConfig = SparseConfig()):
        if config.method not in ("fista", "omp"):
            raise GendslError(f'sparse inference is "fista" or "omp", not "{config.method}"')
        if config.patch < 2 or config.atoms < 1:
            raise GendslError("a dictionary needs a patch of at least 2 pixels and at least one atom")
        self.config = config
        self.dictionary_: np.ndarray | None = None
        self.whitening_ = Whitening.identity(config.patch ** 2)
        self.code_scale_ = np.float32(1.0)

    @property
    def size(self) -> int:
        return self.config.patch

    # ---- learning
    def fit(self, raw: np.ndarray, seed: int = 0, progress=None) -> "SparseCoding":
        """Learn the whitening and the dictionary from raw patches (rows of patch*patch pixels)."""
        raw = self._check(raw)
        c = self.config
        if c.atoms > len(raw):
            raise GendslError(f"a dictionary of {c.atoms} atoms needs at least as many patches; got {len(raw)}")
        self.whitening_ = Whitening.fit(raw, c.whiten_eps)
        x, _ = self.whitening_.apply(raw)
        rng = stream(seed, "sparse-init")
        self.dictionary_ = _unit_rows(x[rng.choice(len(x), c.atoms, replace=False)] +
                                      1e-3 * rng.standard_normal((c.atoms, x.shape[1])).astype(np.float32))
        gram_acc = np.zeros((c.atoms, c.atoms), np.float64)
        data_acc = np.zeros((c.atoms, x.shape[1]), np.float64)
        seen, good = 0, self.dictionary_.copy()
        for epoch in range(c.epochs):
            order = stream(seed, "sparse-order", str(epoch)).permutation(len(x))
            for start in range(0, len(x), c.batch):
                batch = x[order[start:start + c.batch]]
                codes = self._codes(batch)
                seen += 1
                forget = min(1.0 - 1.0 / seen, c.forget)
                gram_acc = forget * gram_acc + codes.T @ codes / len(batch)
                data_acc = forget * data_acc + codes.T @ batch / len(batch)
                self._update_atoms(gram_acc, data_acc, x, rng)
                if progress:
                    progress(1)
            if not np.isfinite(self.dictionary_).all():
                self.dictionary_ = good
                classic.check_finite(self, {"dictionary": np.array([np.nan])}, epoch + 1)
            good = self.dictionary_.copy()
        codes = self._codes(x[:min(len(x), 4096)])
        used = np.abs(codes[codes != 0])
        self.code_scale_ = np.float32(used.mean() if used.size else 1.0)
        return self

    def _update_atoms(self, gram_acc, data_acc, x, rng) -> None:
        """Block coordinate descent on the atoms (Mairal et al., Algorithm 2); unused atoms restart on data."""
        d = self.dictionary_.astype(np.float64)
        for j in range(len(d)):
            if gram_acc[j, j] < 1e-10:
                d[j] = x[rng.integers(len(x))]
                d[j] /= max(np.linalg.norm(d[j]), 1e-12)
                continue
            u = d[j] + (data_acc[j] - gram_acc[j] @ d) / gram_acc[j, j]
            d[j] = u / max(np.linalg.norm(u), 1.0)
        self.dictionary_ = d.astype(np.float32)

    def _codes(self, white: np.ndarray) -> np.ndarray:
        c = self.config
        if c.method == "omp":
            return omp(white, self.dictionary_, c.nonzero)
        return fista(white, self.dictionary_, c.alpha, c.iterations)

    def _check(self, raw) -> np.ndarray:
        raw = np.asarray(raw, np.float32)
        dim = self.config.patch ** 2
        if raw.ndim != 2 or raw.shape[1] != dim:
            raise GendslError(f"patches must have shape (n, {dim}) for {self.config.patch}-px patches, not {raw.shape}")
        if not np.isfinite(raw).all():
            raise GendslError("the patches hold NaN or infinite values")
        return raw

    def _fitted(self) -> None:
        if self.dictionary_ is None:
            raise GendslError("this dictionary is not trained yet; fit it or load a trained one")

    # ---- using it
    def transform(self, raw: np.ndarray) -> np.ndarray:
        """Sparse codes of raw patches (in the whitened space the dictionary lives in)."""
        self._fitted()
        white, _ = self.whitening_.apply(self._check(raw))
        return self._codes(white)

    def reconstruct(self, raw: np.ndarray) -> np.ndarray:
        """Raw patches rebuilt from their sparse codes (DC kept)."""
        self._fitted()
        white, dc = self.whitening_.apply(self._check(raw))
        return self.whitening_.invert(self._codes(white) @ self.dictionary_, dc)

    def error(self, raw: np.ndarray) -> float:
        """Relative reconstruction error |x - x_hat|^2 / |x|^2 in the whitened space (what is optimized)."""
        white, _ = self.whitening_.apply(self._check(raw))
        rebuilt = self._codes(white) @ self.dictionary_
        return float(((white - rebuilt) ** 2).sum() / max((white ** 2).sum(), 1e-12))

    def denoise(self, image: np.ndarray, stride: int = 2) -> np.ndarray:
        """A gray image in [0, 1] rebuilt from the sparse codes of its overlapping patches."""
        self._fitted()
        image = np.asarray(image, np.float32)
        p = self.config.patch
        if image.ndim != 2 or min(image.shape) < p:
            raise GendslError(f"denoise takes a gray image at least {p} x {p}, not shape {image.shape}")
        raw, corners = grid_patches(image, p, max(1, stride))
        rebuilt = np.concatenate([self.reconstruct(raw[i:i + 4096]) for i in range(0, len(raw), 4096)])
        return np.clip(average_patches(rebuilt, corners, image.shape, p), 0.0, 1.0)

    def atoms_image(self, zoom: int = 3) -> np.ndarray:
        """The atoms as a grid of gray tiles (each scaled to its own range), zoomed for viewing."""
        self._fitted()
        p = self.config.patch
        tiles = np.rint(classic.normalize_each(self.dictionary_) * 255).astype(np.uint8).reshape(-1, p, p)
        return classic.tile(tiles.repeat(zoom, axis=1).repeat(zoom, axis=2), gap=2)

    # ---- the model protocol
    def generate(self, cond, seeds: Sequence[int]) -> np.ndarray:
        """Patches from the sparse prior: `nonzero` random atoms with Laplace coefficients; cond is ignored."""
        self._fitted()
        c = self.config
        codes = np.zeros((len(seeds), c.atoms), np.float32)
        for i, rng in enumerate(classic.seed_streams(seeds, "sparse-prior")):
            picked = rng.choice(c.atoms, min(c.nonzero, c.atoms), replace=False)
            codes[i, picked] = rng.laplace(0.0, self.code_scale_, len(picked))

        def run(rows: slice) -> np.ndarray:
            raw = self.whitening_.invert(classic.pad(codes[rows]) @ self.dictionary_, np.float32(0.5))
            return raw[:rows.stop - rows.start]
        raw = classic.chunked(len(seeds), run) if len(seeds) else np.zeros((0, c.patch ** 2), np.float32)
        return classic.gray_images(np.clip(raw, 0, 1), c.patch)

    def arrays(self) -> dict:
        self._fitted()
        return {"dictionary_": self.dictionary_, "whitening_": self.whitening_.matrix,
                "dewhitening_": self.whitening_.inverse, "code_scale_": np.asarray(self.code_scale_)}

    def fingerprint(self) -> str:
        return classic.fingerprint(self.kind, self.arrays())

    def save(self, path, card: str | None = None):
        return classic.save_folder(self, path, card)

    @classmethod
    def load(cls, path) -> "SparseCoding":
        config, arrays = classic.read_folder(path, cls.kind, SparseConfig)
        model = cls(config)
        model.dictionary_ = arrays["dictionary_"]
        model.whitening_ = Whitening(arrays["whitening_"], arrays["dewhitening_"])
        model.code_scale_ = np.float32(arrays["code_scale_"])
        return model


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)
