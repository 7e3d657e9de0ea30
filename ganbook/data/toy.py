"""Toy distributions: Gaussian mixtures in 1-D and 2-D.

"ring" and "grid" are the 2-D benchmarks of PacGAN (Lin et al., 2018) and
VEEGAN (Srivastava et al., 2017), on which mode collapse is counted:

- ring: 8 Gaussians with centres on the unit circle at angles 2*pi*i/8,
  i = 0..7, std 0.01. (Spacing 8 angles with linspace(0, 2*pi, 8) would put
  the first and last on the same point and leave 7 modes.)
- grid: 25 Gaussians with centres on {-4, -2, 0, 2, 4}^2, std 0.05.
- bimodal: the 1-D mixture of the maths chapter, centres -2 and +2, std 0.5.

Every mixture weights its components equally.
"""
from __future__ import annotations

import numpy as np


def _ring() -> np.ndarray:
    angles = 2 * np.pi * np.arange(8) / 8
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _grid() -> np.ndarray:
    ticks = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    return np.array([(x, y) for x in ticks for y in ticks])


MIXTURES = {
    "ring": (_ring, 0.01),
    "grid": (_grid, 0.05),
    "bimodal": (lambda: np.array([[-2.0], [2.0]]), 0.5),
}


def mixture_centers(name: str) -> tuple[np.ndarray, float]:
    """The centres (k, d) float64 and the per-axis std of mixture `name`."""
    if name not in MIXTURES:
        raise ValueError(f"unknown mixture {name!r}; choose one of {sorted(MIXTURES)}")
    make, std = MIXTURES[name]
    return make(), std


def mixture(name: str, n: int, seed: int = 0):
    """Draw `n` samples of the mixture `name` ("ring", "grid" or "bimodal").

    Returns:
        x: float32 (n, d) samples, d = 2 for ring and grid, 1 for bimodal.
        centers: float64 (k, d) component means.
        std: float, the standard deviation of every component along each axis.
    The same (name, n, seed) always gives the same samples.
    """
    centers, std = mixture_centers(name)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer number of samples, got {n!r}")
    rng = np.random.default_rng(seed)
    component = rng.integers(0, len(centers), size=n)
    x = centers[component] + std * rng.standard_normal((n, centers.shape[1]))
    return x.astype(np.float32), centers, std


def mixture_pdf(x: np.ndarray, centers: np.ndarray, std: float) -> np.ndarray:
    """Density of the equal-weight isotropic Gaussian mixture at points x (m, d) -> (m,)."""
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    d = centers.shape[1]
    sq = ((x[:, None, :] - centers[None]) ** 2).sum(-1)
    norm = (2 * np.pi * std**2) ** (d / 2)
    return np.exp(-sq / (2 * std**2)).mean(1) / norm
