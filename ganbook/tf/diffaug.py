"""Random translation of image batches for D (TensorFlow; mirror of ganbook/torch/diffaug.py).

See ganbook.train.diffaug for why and when the trainer uses it.
"""
from __future__ import annotations

import tensorflow as tf

from ganbook.train.diffaug import FILL


def random_shifts(n: int, max_shift: int, generator: tf.random.Generator) -> tf.Tensor:
    """(n, 2) int32 (rows, columns) shifts, uniform in [-max_shift, max_shift]."""
    return generator.uniform([n, 2], -max_shift, max_shift + 1, dtype=tf.int32)


def translate(x: tf.Tensor, shifts: tf.Tensor, max_shift: int, fill: float = FILL) -> tf.Tensor:
    """x (N, H, W, C) with sample i moved down by shifts[i, 0] and right by
    shifts[i, 1] pixels (|shift| <= max_shift); the uncovered border is `fill`.
    Differentiable in x. Returns (N, H, W, C)."""
    h, w = x.shape[1], x.shape[2]
    s = max_shift
    padded = tf.pad(x, [[0, 0], [s, s], [s, s], [0, 0]], constant_values=tf.cast(fill, x.dtype))
    shifts = tf.cast(shifts, tf.int32)
    rows = tf.range(h)[None] + s - shifts[:, :1]  # (N, H)
    cols = tf.range(w)[None] + s - shifts[:, 1:]  # (N, W)
    moved = tf.gather(padded, rows, axis=1, batch_dims=1)  # (N, H, W + 2s, C)
    return tf.gather(moved, cols, axis=2, batch_dims=1)
