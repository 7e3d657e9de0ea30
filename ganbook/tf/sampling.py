"""Layout conversion and sampling from a generator (TensorFlow)."""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ganbook.data.arrays import map_batches
from ganbook.latent import cycling_labels, noise, standing_codes
from ganbook.nets.protocol import latent_dim_of, n_classes_of


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
        z = noise(n, latent_dim_of(G), seed)
    inputs = (tf.cast(z, tf.float32),)
    if n_classes_of(G):
        inputs += (np.asarray(cycling_labels(G, len(z)) if labels is None else labels),)

    def run(zb, *lb):
        lb = [tf.constant(b, tf.int32) for b in lb]
        return tf.cast(G(zb, *lb, training=False), tf.float32).numpy()

    return to_shared(map_batches(run, *inputs, batch_size=batch_size))


def recalibrate_batchnorm(G, n: int = 2000, batch_size: int = 500, seed: int = 0,
                          latent_dim: int | None = None):
    """Set G's BatchNorm moving statistics to their averages over the batches of
    `standing_codes(G, n, seed, latent_dim)` in training mode; returns G (unchanged without
    BatchNorm). Why: `TrainingLoop.averaged_generator`; the name: Brock et al. 2019."""
    norms = [layer for layer in G._flatten_layers(include_self=False)
             if isinstance(layer, keras.layers.BatchNormalization)]
    if not norms:
        return G
    z, labels = standing_codes(G, n, seed, latent_dim)
    momenta = [layer.momentum for layer in norms]
    sums = [[0.0, 0.0] for _ in norms]
    batches = range(0, n, batch_size)
    try:
        for layer in norms:
            layer.momentum = 0.0  # each training-mode call leaves its batch's statistics
        for start in batches:
            extra = () if labels is None else (tf.constant(labels[start:start + batch_size], tf.int32),)
            G(tf.constant(z[start:start + batch_size]), *extra, training=True)
            for total, layer in zip(sums, norms):
                total[0] += layer.moving_mean.numpy()
                total[1] += layer.moving_variance.numpy()
    finally:
        for layer, momentum in zip(norms, momenta):
            layer.momentum = momentum
    for (mean, var), layer in zip(sums, norms):
        layer.moving_mean.assign(mean / len(batches))
        layer.moving_variance.assign(var / len(batches))
    return G
