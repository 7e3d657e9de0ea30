"""ganbook.plot image grids: tiling, figures of grids, PNG files and input checks."""
import numpy as np
import pytest
from PIL import Image

from ganbook import plot
from tests.plot.plot_inputs import random_images


@pytest.mark.parametrize("c", [1, 3])
def test_show_images_shows_image_grid(c):
    x = random_images(c=c)
    fig = plot.show_images(x, ncols=4, title="samples")
    (ax,) = fig.axes
    (im,) = ax.images
    grid = plot.image_grid(x, 4)
    np.testing.assert_array_equal(im.get_array(), grid[..., 0] if c == 1 else grid)
    assert ax.get_title() == "samples"
    if c == 1:
        assert im.get_clim() == (0, 255) and im.get_cmap().name == "gray"


def test_image_layouts_agree():
    x = np.random.default_rng(0).uniform(-1, 1, (5, 28, 28)).astype(np.float32)
    grid = plot.image_grid(x[..., None])
    np.testing.assert_array_equal(plot.image_grid(x), grid)
    np.testing.assert_array_equal(plot.image_grid(x.reshape(5, 784)), grid)
    assert grid.shape == (2 * 30 + 2, 3 * 30 + 2, 1) and grid.dtype == np.uint8


@pytest.mark.parametrize("bad, match", [
    (np.zeros((4, 1, 28, 28)), "Channels-first"),
    (np.zeros((4, 2)), "toy points"),
    (np.zeros((4, 10)), "not square"),
    (np.zeros((0, 8, 8, 1)), "empty"),
    (np.zeros(5), r"\(N, H, W, C\)"),
    (np.full((2, 4, 4, 1), np.nan), "NaN"),
])
def test_bad_images_raise(bad, match):
    with pytest.raises(ValueError, match=match):
        plot.show_images(bad)


def test_bad_ncols_raises():
    with pytest.raises(ValueError, match="ncols"):
        plot.image_grid(random_images(), ncols=0)


@pytest.mark.parametrize("c", [1, 3])
def test_save_grid_writes_the_grid_as_png(tmp_path, c):
    x = random_images(7, c=c)
    path = plot.save_grid(x, tmp_path / "sub" / "grid.png", ncols=3)
    assert path == tmp_path / "sub" / "grid.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = np.asarray(Image.open(path))
    grid = plot.image_grid(x, 3)
    np.testing.assert_array_equal(pixels, grid[..., 0] if c == 1 else grid)
    assert [p.name for p in path.parent.iterdir()] == ["grid.png"]


def test_save_grid_refuses_other_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.png"):
        plot.save_grid(random_images(), tmp_path / "grid.jpg")


def test_interpolation_strip_is_one_row_per_path():
    x = random_images(8)
    (ax,) = plot.interpolation_strip(x).axes
    np.testing.assert_array_equal(ax.images[0].get_array(), plot.image_grid(x, 8)[..., 0])
    rows = random_images(12).reshape(3, 4, 5, 4, 1)
    (ax,) = plot.interpolation_strip(rows).axes
    np.testing.assert_array_equal(ax.images[0].get_array(), plot.image_grid(rows.reshape(12, 5, 4, 1), 4)[..., 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["$t=0$", "$t=1$"]


def test_image_rows_one_labelled_strip_per_entry():
    fig = plot.image_rows({0: random_images(5), "second": random_images(3, seed=2)})
    assert [ax.get_ylabel() for ax in fig.axes] == ["0", "second"]
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(),
                                  plot.image_grid(random_images(3, seed=2), 3)[..., 0])
    cut = plot.image_grid(random_images(3), 3)[..., 0]
    assert fig.axes[0].images[0].get_array().shape == cut.shape  # cut to the shortest row, 3
    with pytest.raises(ValueError, match="one shape"):
        plot.image_rows({"a": random_images(2), "b": random_images(2, h=6)})
    with pytest.raises(ValueError, match="empty"):
        plot.image_rows({})
