"""ganbook.plot as a whole: every figure function is deterministic, leaves pyplot alone
and draws into a given axes; the package re-exports its public functions."""
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from ganbook import plot
from tests.plot.plot_inputs import fake_history, gaussians_1d, logistic_d, png_bytes, random_images, ring

BUILDERS = {
    "show_images": lambda: plot.show_images(random_images(), title="t"),
    "training_curves": lambda: plot.training_curves(fake_history(), smooth=5),
    "toy_samples": lambda: plot.toy_samples(*ring()),
    "discriminator_surface": lambda: plot.discriminator_surface(logistic_d, centers=ring()[1], samples=ring()[0],
                                                                resolution=30),
    "densities_1d": lambda: plot.densities_1d(*gaussians_1d(), d=0.5 * np.ones(101)),
    "interpolation_strip": lambda: plot.interpolation_strip(random_images(8)),
    "class_histogram": lambda: plot.class_histogram([5, 0, 3, 1, 1, 1, 1, 1, 1, 1], np.ones(10)),
    "training_snapshots": lambda: plot.training_snapshots([(i, random_images(seed=i)) for i in range(5)],
                                                          count=3),
    "image_rows": lambda: plot.image_rows({"a": random_images(4), "b": random_images(6, seed=1)}),
    "toy_comparison": lambda: plot.toy_comparison({"a": ring()[0], "b": ring()[0][:50]}, *ring()[1:]),
    "parameter_paths": lambda: plot.parameter_paths({"one": np.ones((5, 2)), "two": np.zeros((3, 2))}),
    "gradient_norms": lambda: plot.gradient_norms([0.5, 0.1, 0.01], {"a": [1, 2, 3], "b": [3, 2, 1]}),
    "sample_size_curves": lambda: plot.sample_size_curves({"n": [10, 100], "fd": np.ones((2, 3)),
                                                           "kid": np.zeros((2, 3))}),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_figures_are_deterministic_and_not_left_in_pyplot(name, tmp_path):
    before = plt.get_fignums()
    fig = BUILDERS[name]()
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before, "the figure must not stay open in pyplot"
    assert png_bytes(fig) == png_bytes(fig)
    assert png_bytes(BUILDERS[name]()) == png_bytes(fig)
    a = plot.save_figure(fig, tmp_path / "a.png")
    b = plot.save_figure(fig, tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]  # no temporary files left


@pytest.mark.parametrize("name", ["show_images", "toy_samples", "densities_1d", "interpolation_strip",
                                  "discriminator_surface", "class_histogram"])
def test_ax_argument_draws_into_the_given_axes(name):
    fig = Figure()
    ax = fig.add_subplot()
    args = {
        "show_images": lambda: plot.show_images(random_images(), ax=ax),
        "toy_samples": lambda: plot.toy_samples(*ring(), ax=ax),
        "densities_1d": lambda: plot.densities_1d(*gaussians_1d(), ax=ax),
        "interpolation_strip": lambda: plot.interpolation_strip(random_images(), ax=ax),
        "discriminator_surface": lambda: plot.discriminator_surface(logistic_d, lim=2, resolution=10, ax=ax),
        "class_histogram": lambda: plot.class_histogram(np.arange(10), ax=ax),
    }
    assert args[name]() is fig
    assert ax.has_data()


def test_package_exports_every_public_function():
    assert set(BUILDERS) | {"image_grid", "save_grid", "save_figure", "training_gif", "save_samples",
                            "PNG_METADATA"} == set(plot.__all__)
    assert all(hasattr(plot, name) for name in plot.__all__)


def test_import_leaves_pyplot_unloaded():
    code = "import sys, ganbook.plot; assert 'matplotlib.pyplot' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
