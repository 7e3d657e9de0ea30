"""Layout conversion and sampling from a generator (TensorFlow)."""
from __future__ import annotations

import numpy as np
import tensorflow as tf


def to_native(x: np.ndarray) -> np.ndarray:
    """Shared layout -> TensorFlow layout: both are channels-last, so unchanged."""
    return x


def to_shared(x: np.ndarray) -> np.ndarray:
    """TensorFlow layout -> shared layout: unchanged (channels-last)."""
    return x


def sample(G, n: int = 64, labels=None, seed: int | None = 0, z=None, batch_size: int = 1000) -> np.ndarray:
    """Draw n samples from generator G, returned as float32 NumPy in the shared layout.

    labels: int array (n,) for a conditional G (default: 0, 1, 2, ... cycling).
    z: latent codes (n, latent_dim) to use instead of drawing them with `seed`.
    G runs in inference mode (BatchNorm uses its moving averages), in batches of batch_size.
    """
    if z is None:
        z = np.random.default_rng(seed).standard_normal((n, G.latent_dim)).astype(np.float32)
    z = tf.cast(z, tf.float32)
    n = int(z.shape[0])
    conditional = hasattr(G, "n_classes")
    if conditional:
        labels = np.arange(n) % G.n_classes if labels is None else np.asarray(labels)
    out = []
    for start in range(0, n, batch_size):
        zb = z[start:start + batch_size]
        args = (zb, tf.constant(labels[start:start + batch_size], tf.int32)) if conditional else (zb,)
        out.append(tf.cast(G(*args, training=False), tf.float32).numpy())
    return to_shared(np.concatenate(out))
