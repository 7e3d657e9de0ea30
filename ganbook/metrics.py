"""Metrics on NumPy arrays, framework-free."""
from __future__ import annotations

import numpy as np


def _as_2d(name: str, x, min_rows: int = 1) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n, d), got shape {x.shape}")
    if len(x) < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} rows, got {len(x)}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or Inf")
    return x


def mode_coverage(samples, centers, std: float) -> dict:
    """Mode coverage as PacGAN and VEEGAN count it on Gaussian mixtures.

    A sample is high quality when it lies within 3 std of its nearest centre; a
    mode is covered when at least one high-quality sample is nearest to it.

    Args:
        samples: (n, d) generated points (the papers use n = 2,500).
        centers: (k, d) mixture centres; std: the components' standard deviation.
    Returns dict: modes (int, covered modes), high_quality (fraction in [0, 1]),
        reverse_kl (KL(q || uniform) of the histogram q of high-quality samples
        over modes; 0 when spread evenly, log k when all in one mode), n.
    """
    samples = _as_2d("samples", samples)
    centers = _as_2d("centers", centers)
    if samples.shape[1] != centers.shape[1]:
        raise ValueError(f"samples have {samples.shape[1]} dims, centers {centers.shape[1]}")
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    d2 = ((samples[:, None, :] - centers[None]) ** 2).sum(-1)
    nearest = d2.argmin(1)
    good = np.sqrt(d2[np.arange(len(samples)), nearest]) <= 3 * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    k = len(centers)
    if counts.sum() == 0:
        reverse_kl = float("nan")
    else:
        q = counts / counts.sum()
        nz = q > 0
        reverse_kl = float((q[nz] * np.log(q[nz] * k)).sum())
    return {"modes": int((counts > 0).sum()), "high_quality": float(good.mean()),
            "reverse_kl": reverse_kl, "n": len(samples)}
