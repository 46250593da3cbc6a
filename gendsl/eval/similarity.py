"""How alike pictures look to a person: SSIM, and diversity as SSIM among the seeds of one scene.

    ssim(a, b)                         # two uint8 (H, W, 3) images -> mean SSIM in [-1, 1]
    intra_scene_ssim(images)           # (scenes, seeds, H, W, 3) -> mean pairwise SSIM among seeds
    between_scene_ssim(images)         # the same figure for pairs of different scenes (the floor)

AC-GAN's measure of intra-class diversity (Odena et al. 2017): the lower the mean SSIM
among the seeds of one scene, the more the renditions differ. It is read beside the
same figure for the world's renders and for different scenes. SSIM follows Wang et al.
2004 with scikit-image's defaults: a uniform 7 x 7 window, K1 = 0.01, K2 = 0.03, the
data range of uint8, each colour channel apart and then averaged, border pixels that
the window cannot centre on left out.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter

WINDOW = 7
K1, K2, RANGE = 0.01, 0.03, 255.0


def ssim_batch(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mean SSIM of each pair of uint8 images a[i], b[i] ((N, H, W, C) each) -> (N,)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape or a.ndim != 4:
        raise ValueError(f"ssim needs two image batches (N, H, W, C) of one shape, not {a.shape} and {b.shape}")
    size = (1, WINDOW, WINDOW, 1)
    n = WINDOW * WINDOW
    ma, mb = uniform_filter(a, size), uniform_filter(b, size)
    va = (uniform_filter(a * a, size) - ma * ma) * n / (n - 1)  # sample covariances, as scikit-image
    vb = (uniform_filter(b * b, size) - mb * mb) * n / (n - 1)
    cov = (uniform_filter(a * b, size) - ma * mb) * n / (n - 1)
    c1, c2 = (K1 * RANGE) ** 2, (K2 * RANGE) ** 2
    s = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
    pad = (WINDOW - 1) // 2
    return s[:, pad:-pad, pad:-pad, :].mean(axis=(1, 2, 3))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    return float(ssim_batch(np.asarray(a)[None], np.asarray(b)[None])[0])


def intra_scene_ssim(images: np.ndarray, per_scene: bool = False):
    """Mean SSIM over every pair of seeds of each scene, averaged over scenes.
    images: (scenes, seeds >= 2, H, W, C) uint8."""
    x = np.asarray(images)
    if x.ndim != 5 or x.shape[1] < 2:
        raise ValueError(f"intra-scene SSIM needs images (scenes, seeds >= 2, H, W, C), not {x.shape}")
    i, j = np.triu_indices(x.shape[1], 1)
    scores = np.stack([ssim_batch(x[:, p], x[:, q]) for p, q in zip(i, j)], axis=1).mean(axis=1)
    return scores if per_scene else float(scores.mean())


def between_scene_ssim(images: np.ndarray) -> float:
    """Mean SSIM between different scenes at the same seed index: scene k beside scene k+1."""
    x = np.asarray(images)
    if x.ndim != 5 or x.shape[0] < 2:
        raise ValueError(f"between-scene SSIM needs images (scenes >= 2, seeds, H, W, C), not {x.shape}")
    a, b = x[:-1].reshape(-1, *x.shape[2:]), x[1:].reshape(-1, *x.shape[2:])
    return float(ssim_batch(a, b).mean())
