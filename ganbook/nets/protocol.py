"""What ganbook expects of a generator, in either framework.

A generator G maps noise z (N, latent_dim) float32 to samples (N, ...) in its
framework's layout; a conditional G takes integer labels (N,) as a second
argument and has an attribute `n_classes` > 0. An attribute `latent_dim` lets
`sample(G, n)` draw the noise itself. A discriminator maps samples (and labels,
if conditional) to logits or scores (N, 1).
"""
from __future__ import annotations


def n_classes_of(G) -> int:
    """The number of classes a conditional G takes labels of; 0 for an unconditional G."""
    return int(getattr(G, "n_classes", 0) or 0)


def latent_dim_of(G) -> int:
    """G's noise width, from its attribute latent_dim."""
    dim = getattr(G, "latent_dim", None)
    if not isinstance(dim, int) or dim < 1:
        raise ValueError(f"{type(G).__name__} has no attribute latent_dim (a positive int); "
                         "set G.latent_dim, or pass the noise yourself with z=")
    return dim
