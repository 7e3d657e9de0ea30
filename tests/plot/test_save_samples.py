"""ganbook.plot.save_samples, the writer of `ganbook sample`: images as a grid, toy
points as a scatter / histogram, atomically and without touching pyplot."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from ganbook import plot
from tests.plot.plot_inputs import random_images, ring

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("x", [random_images(4, 28, 28), random_images(4, 28, 28)[..., 0],
                               random_images(4, 28, 28).reshape(4, 784), random_images(5, 8, 8, c=3)],
                         ids=["NHWC", "NHW", "flat", "RGB"])
def test_images_are_written_as_the_grid(tmp_path, x):
    path = plot.save_samples(x, tmp_path / "s.png")
    assert path == tmp_path / "s.png"
    grid = plot.image_grid(x)
    np.testing.assert_array_equal(np.asarray(Image.open(path)), grid[..., 0] if grid.shape[-1] == 1 else grid)


@pytest.mark.parametrize("dim", [1, 2])
def test_points_are_drawn_deterministically(tmp_path, dim):
    x, centers, _ = ring(100)
    a = plot.save_samples(x[:, :dim], tmp_path / "a.png")
    b = plot.save_samples(x[:, :dim], tmp_path / "b.png")
    c = plot.save_samples(x[:, :dim], tmp_path / "c.png", centers=centers[:, :dim])
    assert a.read_bytes()[:8] == PNG and a.read_bytes() == b.read_bytes()
    assert c.read_bytes() != a.read_bytes()  # the modes are marked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png", "c.png"]  # no temporary files


@pytest.mark.parametrize("x", [random_images(4, 28, 28), ring(50)[0]], ids=["images", "points"])
def test_save_samples_leaves_backend_alone(tmp_path, x):
    backend, figures = matplotlib.get_backend(), plt.get_fignums()
    plot.save_samples(x, tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:8] == PNG
    assert matplotlib.get_backend() == backend and plt.get_fignums() == figures


@pytest.mark.parametrize("x, kwargs, match", [
    (np.zeros(5), {}, r"shape \(5,\)"),
    (np.zeros((4, 10)), {}, r"shape \(4, 10\)"),
    (np.zeros((2, 3, 4, 5, 6)), {}, r"shape \(2, 3, 4, 5, 6\)"),
    (np.zeros((4, 1, 28, 28)), {}, "Channels-first"),
    (np.zeros((0, 2)), {}, "non-empty"),
    (np.zeros((4, 2)), {"centers": np.zeros((3, 1))}, "centers"),
    (random_images(4), {"centers": np.zeros((3, 2))}, "centers"),
])
def test_bad_samples_raise_and_write_nothing(tmp_path, x, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.save_samples(x, tmp_path / "s.png", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_save_samples_refuses_other_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.png"):
        plot.save_samples(ring(10)[0], tmp_path / "s.jpg")
