"""ganbook.latent: interpolation between latent codes (slerp and lerp) and latent walks."""
import numpy as np
import pytest

from ganbook import latent


def test_interpolate_endpoints_and_shape():
    rng = np.random.default_rng(0)
    z0, z1 = rng.standard_normal(16), rng.standard_normal(16)
    for spherical in (True, False):
        path = latent.interpolate(z0, z1, steps=7, spherical=spherical)
        assert path.shape == (7, 16) and path.dtype == np.float32
        np.testing.assert_array_equal(path[0], z0.astype(np.float32))
        np.testing.assert_array_equal(path[-1], z1.astype(np.float32))
    np.testing.assert_array_equal(latent.interpolate(z0[None], z1[None], 3)[0], z0.astype(np.float32))


def test_slerp_keeps_the_norm_and_lerp_passes_the_mean():
    rng = np.random.default_rng(1)
    z0, z1 = rng.standard_normal(32), rng.standard_normal(32)
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)
    path = latent.interpolate(z0, z1, steps=9)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z0), rtol=1e-5)
    lerp = latent.interpolate(z0, z1, steps=9, spherical=False)
    np.testing.assert_allclose(lerp[4], (z0 + z1) / 2, rtol=1e-5, atol=1e-6)
    assert np.linalg.norm(lerp[4]) < np.linalg.norm(z0)  # lerp cuts through the shell


@pytest.mark.parametrize("z1", [np.array([2.0, 4.0]), np.array([-1.0, -2.0]), np.zeros(2)])
def test_slerp_falls_back_to_lerp_for_parallel_codes(z1):
    z0 = np.array([1.0, 2.0])
    path = latent.interpolate(z0, z1, steps=5)
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, latent.interpolate(z0, z1, steps=5, spherical=False))


@pytest.mark.parametrize("z0, z1, steps, match", [
    (np.zeros(3), np.zeros(4), 5, "same shape"),
    (np.zeros((2, 3)), np.zeros(3), 5, "one latent code"),
    (np.zeros(3), np.zeros(3), 1, "steps"),
    (np.full(3, np.nan), np.zeros(3), 5, "NaN"),
])
def test_interpolate_bad_input(z0, z1, steps, match):
    with pytest.raises(ValueError, match=match):
        latent.interpolate(z0, z1, steps)


def test_latent_walk():
    z = latent.latent_walk(8, n_rows=3, steps=5, seed=2)
    assert z.shape == (3, 5, 8) and z.dtype == np.float32
    np.testing.assert_array_equal(z, latent.latent_walk(8, 3, 5, seed=2))
    assert not np.array_equal(z, latent.latent_walk(8, 3, 5, seed=3))
    with pytest.raises(ValueError, match="latent_dim"):
        latent.latent_walk(0)
