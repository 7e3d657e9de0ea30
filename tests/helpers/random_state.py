"""Checks that a seeded call is reproducible and leaves the global random state alone."""
import random

import numpy as np

from ganbook.seed import seed_everything


def _reseed(fw: str, seed: int) -> None:
    seed_everything(seed)
    if fw == "tf":
        import keras

        keras.utils.set_random_seed(seed)  # also Keras's global SeedGenerator


def global_draws(fw: str) -> list[float]:
    """One number from each global generator: Python's, NumPy's and the framework's."""
    draws = [random.random(), float(np.random.rand())]
    if fw == "torch":
        import torch

        return draws + [float(torch.rand(1))]
    import keras
    import tensorflow as tf

    return draws + [float(tf.random.uniform([])), float(keras.random.uniform(()))]


def check_seeded_and_private(fw: str, run) -> list[np.ndarray]:
    """run() -> arrays: the same arrays under two different global random states, and each
    run leaves the global state as it found it (the draws after it are those without it).
    Returns the arrays."""
    results = []
    for global_seed in (5, 6):
        _reseed(fw, global_seed)
        expected = global_draws(fw)
        _reseed(fw, global_seed)
        results.append([np.asarray(a) for a in run()])
        assert global_draws(fw) == expected, "the call changed the caller's global random state"
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
    return results[0]
