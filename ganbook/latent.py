"""Latent codes: the noise a generator is fed, and paths through the latent space
(interpolation between codes and random walks).

Framework-free (NumPy only). Feed the codes to a generator with
``gb.sample``-style calls after ``z.reshape(-1, latent_dim)``.
"""
from __future__ import annotations

import numpy as np

from ganbook.nets.protocol import latent_dim_of, n_classes_of

_PARALLEL_EPS = 1e-6  # |sin(angle)| below this: treat the codes as (anti)parallel


def _code(z, name: str) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 2 and z.shape[0] == 1:
        z = z[0]
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"{name} must be one latent code of shape (latent_dim,) or (1, latent_dim), "
                         f"got shape {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError(f"{name} contains NaN or Inf")
    return z


def interpolate(z0, z1, steps: int = 10, spherical: bool = True) -> np.ndarray:
    """Codes on the path from z0 to z1, endpoints included.

    Args:
        z0, z1: latent codes, shape (latent_dim,) (or (1, latent_dim)).
        steps: number of codes, >= 2, at t = 0, 1/(steps-1), ..., 1.
        spherical: slerp (follows the great circle; keeps the norm when
            |z0| = |z1|, which suits Gaussian latents whose mass lies on a
            shell), else lerp (1 - t) z0 + t z1. Slerp falls back to lerp when
            the codes are parallel or antiparallel (the great circle is undefined).

    Returns:
        float32 array (steps, latent_dim); row 0 is z0 and row -1 is z1 exactly.
    """
    a, b = _code(z0, "z0"), _code(z1, "z1")
    if a.shape != b.shape:
        raise ValueError(f"z0 and z1 must have the same shape, got {a.shape} and {b.shape}")
    if not isinstance(steps, (int, np.integer)) or steps < 2:
        raise ValueError(f"steps must be an integer >= 2 (both endpoints), got {steps!r}")
    t = np.linspace(0.0, 1.0, int(steps))[:, None]
    path = (1.0 - t) * a + t * b
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if spherical and na > 0 and nb > 0:
        cos = np.clip(a @ b / (na * nb), -1.0, 1.0)
        omega = np.arccos(cos)
        if np.sin(omega) > _PARALLEL_EPS:
            path = (np.sin((1.0 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    out = path.astype(np.float32)
    out[0], out[-1] = a, b
    return out


def latent_walk(latent_dim: int, n_rows: int = 4, steps: int = 10, seed: int = 0,
                spherical: bool = True) -> np.ndarray:
    """n_rows independent interpolations between pairs of standard normal codes.

    Returns float32 (n_rows, steps, latent_dim); the same arguments give the same
    codes. Reshape to (n_rows * steps, latent_dim) for the generator, and show the
    images with ``plot.interpolation_strip(images, ncols=steps)``.
    """
    for name, v, low in (("latent_dim", latent_dim, 1), ("n_rows", n_rows, 1), ("steps", steps, 2)):
        if not isinstance(v, (int, np.integer)) or v < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
    ends = np.random.default_rng(seed).standard_normal((n_rows, 2, latent_dim))
    return np.stack([interpolate(z0, z1, steps, spherical) for z0, z1 in ends])


def noise(n: int, latent_dim: int, seed: int | None = 0) -> np.ndarray:
    """n standard normal codes, float32 (n, latent_dim), drawn with NumPy so that a
    seed gives the same codes in both backends."""
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def cycling_labels(G, n: int) -> np.ndarray | None:
    """For a conditional G (n_classes > 0) the labels 0, 1, ..., n_classes - 1, 0, 1, ...
    int (n,); None for an unconditional G."""
    classes = n_classes_of(G)
    return np.arange(n) % classes if classes else None


def standing_codes(G, n: int, seed: int = 0, latent_dim: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The fixed inputs `recalibrate_batchnorm` feeds G: `noise(n, latent_dim, seed)`
    (latent_dim: default G.latent_dim) and `cycling_labels(G, n)`."""
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2 (BatchNorm needs a batch), got {n!r}")
    return noise(n, latent_dim or latent_dim_of(G), seed), cycling_labels(G, n)


def class_cdf(frequencies, n_classes: int) -> np.ndarray:
    """The cumulative shares (n_classes,) of `frequencies` (how often to draw each class,
    any positive scale), ending at exactly 1: a uniform u picks the first class whose
    cumulative share exceeds u (MarginalGenerator in each backend)."""
    p = np.asarray(frequencies, dtype=np.float64)
    if p.shape != (n_classes,):
        raise ValueError(f"frequencies must have one entry per class of G, shape ({n_classes},); "
                         f"got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any() or p.sum() <= 0:
        raise ValueError("frequencies must be finite, non-negative and not all zero")
    cdf = np.cumsum(p / p.sum())
    cdf[-1] = 1.0
    return cdf
