"""ganbook.plot samples across training: snapshot rows and the training GIF."""
import numpy as np
import pytest
from PIL import Image

from ganbook import plot
from tests.plot.plot_inputs import random_images, ring


def _frames(path):
    im = Image.open(path)
    frames = []
    for i in range(im.n_frames):
        im.seek(i)
        frames.append(np.asarray(im.convert("L")))
    return im, frames


def test_training_snapshots_picks_first_last_and_evenly_between():
    snaps = [(10 * (i + 1), random_images(seed=i)) for i in range(7)]
    fig = plot.training_snapshots(snaps, count=4)
    assert [ax.get_title() for ax in fig.axes] == ["step 10", "step 30", "step 50", "step 70"]
    assert np.array_equal(fig.axes[0].images[0].get_array(), plot.image_grid(snaps[0][1])[..., 0])
    assert len(plot.training_snapshots(snaps[:2], count=4).axes) == 2  # never more panels than snapshots


def test_training_snapshots_bad_input():
    with pytest.raises(ValueError, match="empty"):
        plot.training_snapshots([])
    with pytest.raises(ValueError, match="count"):
        plot.training_snapshots([(1, random_images())], count=0)


def test_training_gif_of_images(tmp_path):
    snaps = [(step, random_images(6, 5, 4, seed=step)) for step in (10, 20, 30)]
    path = plot.training_gif(snaps, tmp_path / "train.gif", scale=3, duration_ms=120, ncols=3)
    assert path == tmp_path / "train.gif"
    im, frames = _frames(path)
    assert im.n_frames == 3 and im.info["duration"] == 120
    grid = plot.image_grid(snaps[0][1], 3)[..., 0]
    big = np.repeat(np.repeat(grid, 3, 0), 3, 1)
    assert im.size[0] == big.shape[1] and im.size[1] > big.shape[0]
    for (step, x), frame in zip(snaps, frames):
        expected = np.repeat(np.repeat(plot.image_grid(x, 3)[..., 0], 3, 0), 3, 1)
        np.testing.assert_array_equal(frame[-big.shape[0]:], expected)
        assert frame[: frame.shape[0] - big.shape[0]].min() < 128  # the step label
    again = plot.training_gif(snaps, tmp_path / "again.gif", scale=3, duration_ms=120, ncols=3)
    assert again.read_bytes() == path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.gif", "train.gif"]


@pytest.mark.parametrize("dim", [1, 2])
def test_training_gif_of_toy_points(tmp_path, dim):
    x, centers, _ = ring(300)
    snaps = [(s, x[:, :dim] * s / 4) for s in (1, 2, 3, 4)]
    path = plot.training_gif(snaps, tmp_path / "toy.gif", scale=1, centers=centers[:, :dim])
    im, frames = _frames(path)
    assert im.n_frames == 4 and im.size == (160, 160)
    assert not np.array_equal(frames[0], frames[-1])
    again = plot.training_gif(snaps, tmp_path / "again.gif", scale=1, centers=centers[:, :dim])
    assert again.read_bytes() == path.read_bytes()


def test_training_gif_max_frames_spreads_them_over_training(tmp_path):
    snaps = [(step, random_images(4, seed=step)) for step in range(1, 11)]
    path = plot.training_gif(snaps, tmp_path / "few.gif", scale=1, max_frames=4)
    im, frames = _frames(path)
    assert im.n_frames == 4
    every = [plot.training_gif([s], tmp_path / f"{s[0]}.gif", scale=1) for s in snaps]
    chosen = [_frames(every[i])[1][0] for i in (0, 3, 6, 9)]  # steps 1, 4, 7, 10
    for frame, expected in zip(frames, chosen):
        np.testing.assert_array_equal(frame, expected)
    assert path.stat().st_size < plot.training_gif(snaps, tmp_path / "all.gif", scale=1).stat().st_size


@pytest.mark.parametrize("snaps, kwargs, match", [
    ([], {}, "empty"),
    ([(1, random_images(4)), (2, random_images(9))], {}, "different sizes"),
    ([(1, random_images(4))], {"scale": 0}, "scale"),
    ([(1, random_images(4))], {"duration_ms": 0}, "duration_ms"),
    ([(1, random_images(4))], {"max_frames": 0}, "max_frames"),
    ([(1, np.zeros((5, 2))), (2, np.zeros((5, 1)))], {}, "dimensions"),
])
def test_training_gif_bad_input(tmp_path, snaps, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.training_gif(snaps, tmp_path / "t.gif", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_training_gif_refuses_other_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.gif"):
        plot.training_gif([(1, random_images(4))], tmp_path / "t.png")
