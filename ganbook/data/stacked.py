"""Stacked MNIST, the mode-collapse benchmark of VEEGAN (Srivastava et al. 2017) and
PacGAN (Lin et al. 2018), framework-free (NumPy only).

A stacked image puts three MNIST digits, drawn uniformly at random with
replacement, into its red, green and blue channels: (28, 28, 3). Its mode is
100 * a + 10 * b + c for the digits' labels (a, b, c), so there are 1,000 modes.
A generator is scored by classifying each channel of its samples, which gives a
mode per sample, and by the histogram of those modes (ganbook.eval.stacked).
PacGAN trains on 128,000 stacked
images (`N_TRAIN`) and scores 26,000 samples (`N_EVAL`).
"""
from __future__ import annotations

import numpy as np

N_MODES = 1000
N_TRAIN = 128_000  # PacGAN's training set
N_EVAL = 26_000  # samples scored per run in VEEGAN and PacGAN
DIGIT_SHAPE = (28, 28)
PLACES = np.array([100, 10, 1], dtype=np.int64)  # the R, G, B digits' weights in the mode


def _check_digits(images, labels) -> tuple[np.ndarray, np.ndarray]:
    """images as uint8 (N, 28, 28) and labels as int64 (N,) in 0..9, or a ValueError."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != DIGIT_SHAPE or images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 digits (N, 28, 28), got {images.dtype} {images.shape}")
    if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers of shape ({len(images)},), got {labels.dtype} {labels.shape}")
    if len(images) == 0:
        raise ValueError("no digits to stack (images is empty)")
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"labels must be digits 0..9, got {labels.min()}..{labels.max()}")
    return images, labels.astype(np.int64)


def digits_to_modes(digits) -> np.ndarray:
    """Each row's mode: integer digits (n, 3) in 0..9, (a, b, c) -> 100 a + 10 b + c,
    int64 (n,) in [0, 1000)."""
    digits = np.asarray(digits)
    if digits.ndim != 2 or digits.shape[1] != 3 or not np.issubdtype(digits.dtype, np.integer):
        raise ValueError(f"digits must be integers of shape (n, 3), got {digits.dtype} {digits.shape}")
    if len(digits) and (digits.min() < 0 or digits.max() > 9):
        raise ValueError(f"digits must lie in 0..9, got {digits.min()}..{digits.max()}")
    return digits.astype(np.int64) @ PLACES


def stack_digits(images, labels, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n stacked images, each of three digits drawn uniformly with replacement.

    images: uint8 (N, 28, 28), pixels 0..255; labels: integers (N,) in 0..9.
    n: how many stacked images (>= 1). seed: seeds a private np.random.Generator
        (the global random state is neither read nor changed), so the same
        (images, n, seed) always gives the same result.
    Returns stacked uint8 (n, 28, 28, 3), digit i of a triple in channel i
    (R, G, B), and modes int64 (n,) in [0, 1000): 100 a + 10 b + c for the
    triple's labels (a, b, c).
    """
    images, labels = _check_digits(images, labels)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    idx = np.random.default_rng(seed).integers(0, len(images), size=(int(n), 3))
    stacked = np.empty((int(n), *DIGIT_SHAPE, 3), dtype=np.uint8)
    for channel in range(3):  # one channel at a time: no (n, 3, 28, 28) intermediate
        stacked[..., channel] = images[idx[:, channel]]
    return stacked, digits_to_modes(labels[idx])
