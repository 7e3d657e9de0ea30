"""Scoring samples of Stacked MNIST (ganbook.data.stacked): a mode per sample, and the
modes' histogram, as VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018) count them.

Each channel of a sample is classified by the book's MNIST classifier (the one
`ganbook.evaluate` uses, ganbook/eval/classifier.py), which gives three digits
(a, b, c) and the mode 100 a + 10 b + c. `classify_channels` does this with any
`predict` function and is framework-free; `stacked_modes` runs it with the
classifier of a backend (the backends' `load_classifier` and `classify`);
`score_modes` turns modes into the benchmark's numbers: how many modes the
histogram covers (`modes_covered`) and how far it is from uniform
(ganbook.eval.metrics.kl_from_uniform).

Importing this module imports neither PyTorch nor TensorFlow.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ganbook.backend import backend
from ganbook.data.arrays import map_batches
from ganbook.data.stacked import N_MODES, digits_to_modes
from ganbook.eval.evaluation import book_classifier, default_framework
from ganbook.eval.metrics import kl_from_uniform

SAMPLE_SHAPE = (28, 28, 3)


def _check_samples(samples) -> np.ndarray:
    """samples as float32 (N, 28, 28, 3) in [-1, 1], N >= 1, or a ValueError naming the problem."""
    x = np.asarray(samples)
    if x.dtype == np.uint8:
        raise ValueError("samples are uint8 pixels; scale them to [-1, 1] with ganbook.data.scale")
    if x.ndim != 4 or x.shape[1:] != SAMPLE_SHAPE or len(x) == 0:
        raise ValueError(f"samples must be stacked images (N, 28, 28, 3) with N >= 1, got shape {x.shape}")
    x = x.astype(np.float32, copy=False)
    if not np.isfinite(x).all():
        raise ValueError("samples contain NaN or Inf values")
    lo, hi = float(x.min()), float(x.max())
    if lo < -1.0 - 1e-4 or hi > 1.0 + 1e-4:
        raise ValueError(f"samples lie in [{lo:.3g}, {hi:.3g}], outside [-1, 1] (the generators' tanh range)")
    return x


def classify_channels(samples, predict: Callable[[np.ndarray], np.ndarray],
                      batch_size: int = 1000) -> np.ndarray:
    """The mode of each stacked sample, its three channels classified as digits.

    samples: float (N, 28, 28, 3) in [-1, 1].
    predict: images float32 (M, 28, 28, 1) in [-1, 1] -> integer labels (M,) in 0..9.
    batch_size: samples per call of predict (which then gets 3 * batch_size images),
        so memory stays bounded for any N.
    Returns int64 modes (N,) in [0, 1000): 100 a + 10 b + c for the digits (a, b, c)
    predicted for channels R, G, B.
    """
    x = _check_samples(samples)

    def modes(chunk):  # (b, 28, 28, 3) -> one image per channel, sample-major: (3 b, 28, 28, 1)
        channels = np.ascontiguousarray(np.moveaxis(chunk, -1, 1)).reshape(-1, 28, 28, 1)
        labels = np.asarray(predict(channels))
        if labels.shape != (len(channels),):
            raise ValueError(f"predict returned shape {labels.shape} for {len(channels)} images; "
                             "it must return one label per image")
        return digits_to_modes(labels.reshape(len(chunk), 3))

    return map_batches(modes, x, batch_size=batch_size)


def stacked_modes(samples, framework: str | None = None, batch_size: int = 1000) -> np.ndarray:
    """`classify_channels` with the book's MNIST classifier in a backend.

    samples: float (N, 28, 28, 3) in [-1, 1]. framework: "torch" or "tf"; None picks
    as `ganbook.evaluate` does for arrays (an imported backend, else the first installed).
    The classifier is loaded once per backend and kept (shared with ganbook.evaluate).
    Returns int64 modes (N,) in [0, 1000).
    """
    fw = framework or default_framework()
    gb = backend(fw)  # a ValueError for a name other than "torch" or "tf"
    model = book_classifier(fw)

    def predict(images):
        logits, _ = gb.classify(model, images, batch_size)
        return logits.argmax(1)

    return classify_channels(samples, predict, batch_size)


def mode_histogram(modes) -> np.ndarray:
    """How many samples fall in each mode: integer modes (n,) in [0, 1000) -> int64 (1000,)."""
    modes = np.asarray(modes)
    if modes.ndim != 1 or not np.issubdtype(modes.dtype, np.integer):
        raise ValueError(f"modes must be integers of shape (n,), got {modes.dtype} {modes.shape}")
    if len(modes) and (modes.min() < 0 or modes.max() >= N_MODES):
        raise ValueError(f"modes must lie in [0, {N_MODES}), got {modes.min()}..{modes.max()}")
    return np.bincount(modes.astype(np.int64), minlength=N_MODES)


def _check_histogram(histogram) -> np.ndarray:
    """histogram as int64 (1000,) counts >= 0 with at least one sample, or a ValueError."""
    h = np.asarray(histogram)
    if h.shape != (N_MODES,):
        raise ValueError(f"histogram must have shape ({N_MODES},), one count per mode, got {h.shape}")
    if not (np.issubdtype(h.dtype, np.integer) or (np.isfinite(h).all() and (h == np.round(h)).all())):
        raise ValueError("histogram must hold whole-number counts")
    h = h.astype(np.int64)
    if h.min() < 0 or h.sum() == 0:
        raise ValueError("histogram must hold counts >= 0 and at least one sample")
    return h


def modes_covered(histogram) -> int:
    """Modes with at least one sample: counts (1000,) -> int in [1, 1000]."""
    return int((_check_histogram(histogram) > 0).sum())


def histogram_scores(histogram) -> dict:
    """A mode histogram's scores: counts (1000,) -> dict with modes (covered, int in
    [1, 1000]) and kl (KL(q || uniform) of q = counts / sum, natural log, in [0, log 1000])."""
    h = _check_histogram(histogram)
    return {"modes": int((h > 0).sum()), "kl": kl_from_uniform(h)}


def score_modes(modes) -> dict:
    """The benchmark's numbers for modes (n,) in [0, 1000): dict with modes (covered,
    int in [1, 1000]), kl (KL(q || uniform) of their histogram q, natural log, in
    [0, log 1000]), histogram (list of 1000 ints) and n."""
    histogram = mode_histogram(modes)
    return {**histogram_scores(histogram), "histogram": histogram.tolist(), "n": int(histogram.sum())}
