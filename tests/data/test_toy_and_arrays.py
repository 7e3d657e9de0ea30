"""Toy mixtures and array helpers of ganbook.data."""
import numpy as np
import pytest

from ganbook.data import (batches, check_images, mixture, mixture_centers,
                          mixture_pdf, scale, shuffle, unscale)


def _distinct(points, tol=1e-6):
    return len(np.unique(np.round(points / tol).astype(np.int64), axis=0))


def test_ring_has_eight_distinct_modes_on_unit_circle():
    x, centers, std = mixture("ring", 4000, seed=1)
    assert centers.shape == (8, 2) and _distinct(centers) == 8
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0)
    angles = np.sort(np.mod(np.arctan2(centers[:, 1], centers[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-12)
    assert std == 0.01 and x.shape == (4000, 2) and x.dtype == np.float32


def test_grid_has_25_modes_at_even_coordinates():
    _, centers, std = mixture("grid", 10)
    assert centers.shape == (25, 2) and _distinct(centers) == 25 and std == 0.05
    assert set(np.unique(centers)) == {-4.0, -2.0, 0.0, 2.0, 4.0}


@pytest.mark.parametrize("name", ["ring", "grid", "bimodal"])
def test_samples_follow_the_mixture(name):
    x, centers, std = mixture(name, 20_000, seed=3)
    d2 = ((x[:, None, :].astype(np.float64) - centers[None]) ** 2).sum(-1)
    nearest = d2.argmin(1)
    offsets = x - centers[nearest]
    # every mode used about equally, per-axis std as stated
    counts = np.bincount(nearest, minlength=len(centers))
    assert counts.min() > 0.8 * len(x) / len(centers)
    np.testing.assert_allclose(offsets.std(0), std, rtol=0.05)
    np.testing.assert_allclose(offsets.mean(0), 0, atol=3 * std / np.sqrt(len(x)) * 3)


def test_mixture_is_seeded():
    a, _, _ = mixture("grid", 100, seed=7)
    b, _, _ = mixture("grid", 100, seed=7)
    c, _, _ = mixture("grid", 100, seed=8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_mixture_bad_input():
    with pytest.raises(ValueError, match=r"unknown mixture 'spiral'; choose one of \['bimodal', 'grid', 'ring'\]"):
        mixture("spiral", 10)
    with pytest.raises(ValueError, match=r"n must be a positive integer number of samples, got 0"):
        mixture("ring", 0)


def test_mixture_pdf_integrates_to_one():
    centers, std = mixture_centers("bimodal")
    grid = np.linspace(-6, 6, 20001)[:, None]
    p = mixture_pdf(grid, centers, std)
    assert abs(np.trapezoid(p, grid[:, 0]) - 1.0) < 1e-6
    assert p[10000] < 1e-3 < p.max()  # low between the modes at 0


def test_scale_and_unscale_roundtrip():
    images = np.arange(256, dtype=np.uint8).reshape(16, 16)
    x = scale(images)
    assert x.dtype == np.float32 and x.min() == -1.0 and x.max() == 1.0
    np.testing.assert_array_equal(unscale(x), images)
    assert unscale(np.array([-3.0, 3.0])).tolist() == [0, 255]
    with pytest.raises(TypeError, match="scale expects uint8 pixels 0..255, got dtype float64"):
        scale(np.zeros(3))


def test_shuffle_keeps_pairs_together():
    x = np.arange(10)
    a, b = shuffle(x, x * 10, seed=0)
    np.testing.assert_array_equal(b, a * 10)
    assert sorted(a.tolist()) == list(range(10)) and a.tolist() != list(range(10))
    with pytest.raises(ValueError, match=r"arrays must have the same length, got \[3, 4\]"):
        shuffle(np.zeros(3), np.zeros(4))


def test_batches_cover_an_epoch():
    x = np.arange(10)
    out = list(batches(x, batch_size=4, seed=0))
    assert [len(b[0]) for b in out] == [4, 4]
    assert len(set(np.concatenate([b[0] for b in out]).tolist())) == 8
    out = list(batches(x, batch_size=4, seed=None, drop_last=False))
    assert [b[0].tolist() for b in out] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_check_images_refuses_bad_data():
    good = np.zeros((4, 28, 28, 1), np.float32)
    check_images(good, (28, 28, 1))
    with pytest.raises(ValueError, match=r"samples of shape \(28, 28\), the model expects \(28, 28, 1\)"):
        check_images(np.zeros((4, 28, 28)), (28, 28, 1))
    with pytest.raises(ValueError, match=r"lies in \[0, 255\], outside \[-1, 1\].*ganbook.data.scale"):
        check_images(np.array([[0.0, 255.0]]))
    with pytest.raises(ValueError, match="contains NaN or Inf"):
        check_images(np.array([[np.nan]]))
