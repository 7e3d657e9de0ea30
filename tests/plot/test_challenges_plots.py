"""ganbook.plot figures of the challenges chapter."""
import numpy as np
import pytest

from ganbook import plot
from tests.plot.plot_inputs import ring


def test_toy_comparison_one_titled_panel_per_entry():
    x, centers, std = ring()
    fig = plot.toy_comparison({"all": x, "half": x[:100]}, centers, std)
    assert [ax.get_title() for ax in fig.axes] == ["all", "half"]
    assert len(fig.axes[1].collections[-2].get_offsets()) == 100  # the samples, before the modes
    with pytest.raises(ValueError, match="empty"):
        plot.toy_comparison({}, centers, std)


def test_parameter_paths_draw_each_path_with_shared_limits():
    circle = np.stack([np.cos(np.linspace(0, 6, 50)), np.sin(np.linspace(0, 6, 50))], 1)
    fig = plot.parameter_paths({"big": 3 * circle, "small": circle})
    big, small = fig.axes
    np.testing.assert_allclose(big.lines[0].get_xydata(), 3 * circle)
    assert big.get_xlim() == small.get_xlim() == pytest.approx((-3.3, 3.3))
    assert [big.get_title(), small.get_title()] == ["big", "small"]
    with pytest.raises(ValueError, match="shape"):
        plot.parameter_paths({"bad": np.ones((4, 3))})


def test_gradient_norms_log_axes_and_length_check():
    fig = plot.gradient_norms([0.5, 0.05], {"minimax": [1.0, 0.1]})
    ax = fig.axes[0]
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax.xaxis_inverted()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [1.0, 0.1])
    with pytest.raises(ValueError, match="shape"):
        plot.gradient_norms([0.5, 0.05], {"minimax": [1.0]})


def test_sample_size_curves_plot_means_and_draws():
    fig = plot.sample_size_curves({"n": [10, 100], "fd": [[1, 3], [0.5, 0.5]], "kid": [[0, 0], [1, -1]]})
    fd_ax = fig.axes[0]
    np.testing.assert_allclose(fd_ax.lines[1].get_ydata(), [2, 0.5])  # the mean line
    assert len(fd_ax.lines[0].get_xdata()) == 4  # every draw
    with pytest.raises(ValueError, match="one row per n"):
        plot.sample_size_curves({"n": [10, 100], "fd": [[1, 2]], "kid": [[0], [0]]})
