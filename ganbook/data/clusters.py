"""Clusters of a data set found without its labels: k-means on principal components.

A generator conditioned on such clusters (a "self-conditioned" GAN, Liu et al. 2020)
has a discrete part in its latent space, so it can jump from one group of
similar samples to the next instead of drawing the in-between shapes that a
continuous latent forces on it. `MarginalGenerator` (in each backend) then samples
it as one unconditional generator, each cluster as often as in the data.
"""
from __future__ import annotations

import numpy as np
from scipy.cluster.vq import kmeans2


def cluster(x, k: int, components: int = 50, seed: int = 0, fit_rows: int = 10_000):
    """Split samples x (N, ...) into k clusters without labels.

    The flattened samples are projected on their first `components` principal
    directions (fitted on at most `fit_rows` random rows), then grouped by k-means
    (scipy.cluster.vq.kmeans2, k-means++ start, 50 iterations), all seeded by `seed`.
    Returns ids (N,) int64 in [0, k) and frequencies (k,) float64, the share of
    samples in each cluster (they sum to 1).
    """
    flat = np.asarray(x, np.float64).reshape(len(x), -1)
    if not 2 <= k <= len(flat):
        raise ValueError(f"k must be between 2 and the number of samples ({len(flat)}), got {k}")
    if not 1 <= components <= flat.shape[1]:
        raise ValueError(f"components must be between 1 and the sample size {flat.shape[1]}, got {components}")
    rng = np.random.default_rng(seed)
    rows = flat[rng.choice(len(flat), min(fit_rows, len(flat)), replace=False)]
    mean = rows.mean(0)
    _, _, directions = np.linalg.svd(rows - mean, full_matrices=False)
    projected = (flat - mean) @ directions[:components].T
    _, ids = kmeans2(projected, k, iter=50, minit="++", seed=seed)
    ids = ids.astype(np.int64)
    return ids, np.bincount(ids, minlength=k) / len(ids)
