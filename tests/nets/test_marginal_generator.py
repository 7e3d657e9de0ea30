"""MarginalGenerator: a conditional G sampled as one unconditional generator."""
import numpy as np
import pytest
from scipy.special import ndtr

from ganbook.latent import class_cdf
from ganbook.nets.protocol import n_classes_of
from tests.helpers.backends import backend, each_backend

FREQS = np.array([0.5, 0.0, 0.3, 0.2])


def _conditional(gb):
    return gb.ConditionalGenerator(latent_dim=3, n_classes=4, hidden=(8,), out_dim=5)


@each_backend
def test_marginal_generator_draws_classes_with_the_frequencies(fw):
    gb = backend(fw)
    G = _conditional(gb)
    M = gb.MarginalGenerator(G, FREQS)
    assert M.latent_dim == 4 and n_classes_of(M) == 0
    z = np.random.default_rng(0).standard_normal((4000, 4)).astype(np.float32)
    classes = np.searchsorted(class_cdf(FREQS, 4), ndtr(z[:, 0]), side="right")
    np.testing.assert_allclose(np.bincount(classes, minlength=4) / 4000, FREQS, atol=0.03)
    # The marginal draws exactly those classes: its samples are G's for them.
    mine = gb.sample(M, z=z)
    theirs = gb.sample(G, z=z[:, 1:], labels=classes)
    np.testing.assert_allclose(mine, theirs, atol=1e-6)


def test_class_cdf_refuses_bad_frequencies():
    with pytest.raises(ValueError, match="one entry per class"):
        class_cdf([0.5, 0.5], 3)
    with pytest.raises(ValueError, match="non-negative"):
        class_cdf([0.5, -0.1, 0.6], 3)
    np.testing.assert_array_equal(class_cdf([1, 1, 2], 3), [0.25, 0.5, 1.0])
