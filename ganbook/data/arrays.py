"""Array helpers shared by both backends: scaling, shuffling, batching, checks."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np


def scale(images: np.ndarray) -> np.ndarray:
    """uint8 pixels 0..255 -> float32 in [-1, 1] (the range of a tanh generator)."""
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"scale expects uint8 pixels 0..255, got dtype {images.dtype}")
    return images.astype(np.float32) / 127.5 - 1.0


def unscale(x: np.ndarray) -> np.ndarray:
    """float in [-1, 1] -> uint8 pixels 0..255 (values outside are clipped)."""
    x = np.asarray(x, dtype=np.float32)
    return np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8)


def _check_lengths(arrays) -> int:
    if not arrays:
        raise ValueError("give at least one array")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"arrays must have the same length, got {sorted(lengths)}")
    return lengths.pop()


def shuffle(*arrays: np.ndarray, seed: int | None = 0):
    """Shuffle arrays of equal length with one permutation; returns a tuple."""
    n = _check_lengths(arrays)
    order = np.random.default_rng(seed).permutation(n)
    return tuple(np.asarray(a)[order] for a in arrays)


def batches(*arrays: np.ndarray, batch_size: int, seed: int | None = 0,
            drop_last: bool = True) -> Iterator[tuple[np.ndarray, ...]]:
    """One epoch of shuffled mini-batches: yields tuples of `batch_size` rows.

    seed=None keeps the order; drop_last drops a final short batch.
    """
    n = _check_lengths(arrays)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        idx = order[start:start + batch_size]
        yield tuple(np.asarray(a)[idx] for a in arrays)


def map_batches(fn: Callable, *arrays, batch_size: int):
    """fn run over arrays of equal length N in chunks of `batch_size` rows, the results joined.

    arrays: NumPy arrays (or anything that has a length and slices like them, e.g. a
    framework's tensors), cut at the same rows; fn(*chunks) returns a NumPy array
    (rows, ...) or a tuple of them. Returns np.concatenate of the results along
    axis 0, or a tuple of such, one per element of fn's tuples. Nothing is run
    for N = 0, so that is a ValueError (a chunk of no rows is not one every
    framework's kernels accept).
    """
    n = _check_lengths(arrays)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if n == 0:
        raise ValueError("no rows to run over (the arrays are empty)")
    out = [fn(*(a[start:start + batch_size] for a in arrays)) for start in range(0, n, batch_size)]
    if isinstance(out[0], tuple):
        return tuple(np.concatenate(parts) for parts in zip(*out))
    return np.concatenate(out)


def check_images(x: np.ndarray, shape: tuple[int, ...] | None = None,
                 name: str = "training data", bounded: bool = True) -> None:
    """Refuse data a tanh GAN cannot fit: NaN/Inf, values outside [-1, 1], wrong shape.

    `shape` is the expected shape of one sample, e.g. (28, 28, 1); None skips it.
    bounded=False skips the [-1, 1] check (toy data, linear generator output).
    """
    x = np.asarray(x)
    if shape is not None and tuple(x.shape[1:]) != tuple(shape):
        raise ValueError(
            f"{name} has samples of shape {tuple(x.shape[1:])}, the model expects "
            f"{tuple(shape)}; reshape the data or build the model for this shape"
        )
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or Inf values; clean the data first")
    lo, hi = float(x.min()), float(x.max())
    if bounded and (lo < -1.0 - 1e-6 or hi > 1.0 + 1e-6):
        raise ValueError(
            f"{name} lies in [{lo:.3g}, {hi:.3g}], outside [-1, 1] (the tanh range); "
            "scale uint8 images with ganbook.data.scale"
        )
