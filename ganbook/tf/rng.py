"""A random state of one's own (TensorFlow; mirror of ganbook/torch/rng.py).

Keras draws the seeds of initial weights and dropout layers from Python's
`random` module, and unseeded `keras.random` calls from a global SeedGenerator.
`RandomState(seed)` keeps private copies of both, seeded like
`keras.utils.set_random_seed(seed)`, and `active()` swaps them in for a block and
back out: the block is reproducible from the seed, and the caller's random
numbers are neither reset nor consumed. (TensorFlow's own stateful ops, such as
tf.random.normal without a seed in a network of yours, are not covered: seed
them yourself.)
"""
from __future__ import annotations

import contextlib
import random

from keras.src.backend.common import global_state
from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED


class RandomState:
    """Python's `random` state and Keras's global seed, kept apart; `device` is unused."""

    def __init__(self, seed: int, device=None):
        self.seed = seed
        self.python = random.Random(seed).getstate()
        self.generator = None  # Keras makes its global SeedGenerator from the seed on first use

    @contextlib.contextmanager
    def active(self):
        """Run the block on this state; afterwards the global state is the caller's again."""
        saved = (random.getstate(), global_state.get_global_attribute(GLOBAL_RANDOM_SEED),
                 global_state.get_global_attribute(GLOBAL_SEED_GENERATOR))
        random.setstate(self.python)
        global_state.set_global_attribute(GLOBAL_RANDOM_SEED, self.seed)
        global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, self.generator)
        try:
            yield self
        finally:
            self.python = random.getstate()
            self.generator = global_state.get_global_attribute(GLOBAL_SEED_GENERATOR)
            random.setstate(saved[0])
            global_state.set_global_attribute(GLOBAL_RANDOM_SEED, saved[1])
            global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, saved[2])
