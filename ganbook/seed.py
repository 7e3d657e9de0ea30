"""One call to seed every random number generator a ganbook run touches."""
from __future__ import annotations

import os
import random
import sys

import numpy as np


def seed_everything(seed: int, deterministic: bool = False) -> list[str]:
    """Seed Python's `random`, NumPy, and PyTorch and TensorFlow when imported.

    A framework is seeded only if it is already imported, so a PyTorch notebook
    does not pay for importing TensorFlow: import `ganbook.torch` or
    `ganbook.tf` (or the framework) first. deterministic=True also asks the
    frameworks for deterministic kernels (slower on GPU).

    Returns the names of the libraries seeded, e.g. ["random", "numpy", "torch"].
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    seeded = ["random", "numpy"]
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(seed)  # seeds CPU, CUDA and MPS generators
        if deterministic:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
            torch.use_deterministic_algorithms(True)
            torch.backends.cudnn.benchmark = False
        seeded.append("torch")
    if "tensorflow" in sys.modules:
        import tensorflow as tf

        tf.random.set_seed(seed)
        if deterministic:
            tf.config.experimental.enable_op_determinism()
        seeded.append("tensorflow")
    return seeded
