"""ganbook.plot toy figures: samples over a mixture, a 2-D discriminator surface and
the 1-D densities with the optimal discriminator."""
import numpy as np
import pytest

from ganbook import plot
from tests.plot.plot_inputs import gaussians_1d, logistic_d, ring


def test_toy_samples_scatter_over_modes():
    x, centers, std = ring()
    fig = plot.toy_samples(x, centers, std)
    (ax,) = fig.axes
    samples, modes = ax.collections[-2:]
    np.testing.assert_allclose(samples.get_offsets(), x)
    np.testing.assert_allclose(modes.get_offsets(), centers)
    assert ax.get_aspect() == 1.0
    lo, hi = ax.get_xlim()
    assert ax.get_ylim() == (lo, hi) and lo < centers.min() and hi > centers.max()
    assert len(ax.collections) > 2  # the contours
    (ax2,) = plot.toy_samples(x, centers, std, contours=False).axes
    assert len(ax2.collections) == 2 and ax2.get_xlim() == (lo, hi)


def test_toy_samples_counts_points_outside_the_view():
    x, centers, std = ring()
    fig = plot.toy_samples(np.concatenate([x, [[50.0, 0.0]]]), centers, std, contours=False)
    assert "1 outside" in fig.axes[0].get_legend().get_texts()[0].get_text()


@pytest.mark.parametrize("kwargs, match", [
    ({"samples": np.zeros((5, 1))}, r"samples must .*\(N, 2\)"),
    ({"centers": np.zeros(2)}, "centers"),
    ({"std": 0.0}, "std"),
])
def test_toy_samples_bad_input(kwargs, match):
    x, centers, std = ring()
    args = {"samples": x, "centers": centers, "std": std, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot.toy_samples(**args)


def test_discriminator_surface_maps_d_over_the_plane():
    seen = []

    def d_fn(p):
        seen.append(p)
        return logistic_d(p)[:, None]  # (m, 1) is accepted

    x, centers, _ = ring()
    fig = plot.discriminator_surface(d_fn, centers=centers, samples=x, resolution=20)
    (p,) = seen
    assert p.dtype == np.float32 and p.shape == (400, 2)
    assert len(fig.axes) == 2  # the heat map and its colour bar
    ax = fig.axes[0]
    (im,) = ax.images
    np.testing.assert_allclose(im.get_array(), logistic_d(p).reshape(20, 20))
    assert im.get_clim() == (0, 1)
    lo, hi = ax.get_xlim()
    assert p.min() == pytest.approx(lo) and p.max() == pytest.approx(hi)
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), centers)


def test_discriminator_surface_limits_and_scores():
    fig = plot.discriminator_surface(lambda p: 5 * p[:, 1], lim=(-3, 2), resolution=5)
    (im,) = fig.axes[0].images
    assert fig.axes[0].get_xlim() == (-3, 2)
    assert im.get_clim() == (-15, 10)  # critic scores keep their own range


@pytest.mark.parametrize("kwargs, match", [
    ({"d_fn": lambda p: p}, r"shape \(100, 2\)"),
    ({"d_fn": lambda p: np.full(len(p), np.nan)}, "NaN"),
    ({"lim": None}, "lim=, centers= or samples="),
    ({"lim": (1, -1)}, "lo < hi"),
    ({"centers": np.zeros((3, 3))}, "centers"),
])
def test_discriminator_surface_bad_input(kwargs, match):
    args = {"d_fn": logistic_d, "lim": 2, "resolution": 10, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot.discriminator_surface(**args)


def test_discriminator_surface_needs_a_callable():
    with pytest.raises(TypeError, match="callable"):
        plot.discriminator_surface(np.zeros(4), lim=2)


def test_densities_1d_draws_optimal_discriminator():
    x, p_data, p_g = gaussians_1d()
    d = 1 / (1 + np.exp(-x))
    fig = plot.densities_1d(x, p_data, p_g, d=d)
    ax, ax2 = fig.axes
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), p_data)
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), p_g)
    d_star, d_line = ax2.lines
    np.testing.assert_allclose(d_star.get_ydata(), p_data / (p_data + p_g))
    assert d_star.get_linestyle() == "--"
    np.testing.assert_array_equal(d_line.get_ydata(), d)
    assert ax2.get_ylim() == (-0.02, 1.02)
    fig2 = plot.densities_1d(x, p_data, p_g, d=lambda z: 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(fig2.axes[1].lines[1].get_ydata(), d, rtol=1e-6)


def test_densities_1d_optimal_d_undefined_where_both_vanish():
    x = np.arange(3.0)
    fig = plot.densities_1d(x, np.array([1.0, 0.0, 0.0]), np.array([1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(fig.axes[1].lines[0].get_ydata(), [0.5, np.nan, 0.0])


@pytest.mark.parametrize("args, match", [
    ((np.arange(5.0), np.ones(4), np.ones(5)), r"p_data must have shape \(5,\)"),
    ((np.arange(5.0), np.ones(5), -np.ones(5)), "p_g must be finite and >= 0"),
    ((np.zeros((5, 2)), np.ones(5), np.ones(5)), "x must have shape"),
])
def test_densities_1d_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        plot.densities_1d(*args)


def test_densities_1d_bad_d():
    with pytest.raises(ValueError, match="d must have shape"):
        plot.densities_1d(*gaussians_1d(), d=np.ones(3))
