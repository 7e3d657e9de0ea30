"""ganbook.plot and ganbook.latent: figure contents, file output, determinism, errors."""
import io
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from ganbook import latent, plot
from ganbook.data import mixture


def _images(n=6, h=5, w=4, c=1, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, h, w, c)).astype(np.float32)


def _history(n=30):
    rng = np.random.default_rng(1)
    return {"step": list(range(1, n + 1)), "d_loss": rng.random(n).tolist(), "g_loss": rng.random(n).tolist(),
            "d_real": rng.random(n).tolist(), "d_fake": rng.random(n).tolist()}


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata=plot.PNG_METADATA)
    return buf.getvalue()


def _ring(n=200):
    x, centers, std = mixture("ring", n)
    return x, centers, std


def _d_fn(p):
    return 1 / (1 + np.exp(-p[:, 0] * 3))


def _densities():
    x = np.linspace(-4, 4, 101)
    return x, np.exp(-(x - 1) ** 2 / 2), np.exp(-(x + 1) ** 2 / 2) / 2


BUILDERS = {
    "show_images": lambda: plot.show_images(_images(), title="t"),
    "training_curves": lambda: plot.training_curves(_history(), smooth=5),
    "toy_samples": lambda: plot.toy_samples(*_ring()),
    "discriminator_surface": lambda: plot.discriminator_surface(_d_fn, centers=_ring()[1], samples=_ring()[0],
                                                                resolution=30),
    "densities_1d": lambda: plot.densities_1d(*_densities(), d=0.5 * np.ones(101)),
    "interpolation_strip": lambda: plot.interpolation_strip(_images(8)),
    "class_histogram": lambda: plot.class_histogram([5, 0, 3, 1, 1, 1, 1, 1, 1, 1], np.ones(10)),
    "training_snapshots": lambda: plot.training_snapshots([(i, _images(seed=i)) for i in range(5)], count=3),
    "image_rows": lambda: plot.image_rows({"a": _images(4), "b": _images(6, seed=1)}),
    "toy_comparison": lambda: plot.toy_comparison({"a": _ring()[0], "b": _ring()[0][:50]}, *_ring()[1:]),
    "parameter_paths": lambda: plot.parameter_paths({"one": np.ones((5, 2)), "two": np.zeros((3, 2))}),
    "gradient_norms": lambda: plot.gradient_norms([0.5, 0.1, 0.01], {"a": [1, 2, 3], "b": [3, 2, 1]}),
    "sample_size_curves": lambda: plot.sample_size_curves({"n": [10, 100], "fd": np.ones((2, 3)),
                                                           "kid": np.zeros((2, 3))}),
}


# ---------------------------------------------------------------- common behaviour

@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_figures_are_deterministic_and_not_left_in_pyplot(name, tmp_path):
    before = plt.get_fignums()
    fig = BUILDERS[name]()
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before, "the figure must not stay open in pyplot"
    assert _png(fig) == _png(fig)
    assert _png(BUILDERS[name]()) == _png(fig)
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
        "show_images": lambda: plot.show_images(_images(), ax=ax),
        "toy_samples": lambda: plot.toy_samples(*_ring(), ax=ax),
        "densities_1d": lambda: plot.densities_1d(*_densities(), ax=ax),
        "interpolation_strip": lambda: plot.interpolation_strip(_images(), ax=ax),
        "discriminator_surface": lambda: plot.discriminator_surface(_d_fn, lim=2, resolution=10, ax=ax),
        "class_histogram": lambda: plot.class_histogram(np.arange(10), ax=ax),
    }
    assert args[name]() is fig
    assert ax.has_data()


# ---------------------------------------------------------------- images

@pytest.mark.parametrize("c", [1, 3])
def test_show_images_shows_image_grid(c):
    x = _images(c=c)
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
        plot.image_grid(_images(), ncols=0)


@pytest.mark.parametrize("c", [1, 3])
def test_save_grid_writes_the_grid_as_png(tmp_path, c):
    x = _images(7, c=c)
    path = plot.save_grid(x, tmp_path / "sub" / "grid.png", ncols=3)
    assert path == tmp_path / "sub" / "grid.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = np.asarray(Image.open(path))
    grid = plot.image_grid(x, 3)
    np.testing.assert_array_equal(pixels, grid[..., 0] if c == 1 else grid)
    assert [p.name for p in path.parent.iterdir()] == ["grid.png"]


def test_save_grid_refuses_other_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.png"):
        plot.save_grid(_images(), tmp_path / "grid.jpg")


def test_interpolation_strip_is_one_row_per_path():
    x = _images(8)
    (ax,) = plot.interpolation_strip(x).axes
    np.testing.assert_array_equal(ax.images[0].get_array(), plot.image_grid(x, 8)[..., 0])
    rows = _images(12).reshape(3, 4, 5, 4, 1)
    (ax,) = plot.interpolation_strip(rows).axes
    np.testing.assert_array_equal(ax.images[0].get_array(), plot.image_grid(rows.reshape(12, 5, 4, 1), 4)[..., 0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["$t=0$", "$t=1$"]


# ---------------------------------------------------------------- training curves

def test_training_curves_plot_the_history():
    h = _history()
    fig = plot.training_curves(h)
    loss, d = fig.axes
    assert len(fig.axes) == 2
    for ax, keys in ((loss, ("d_loss", "g_loss")), (d, ("d_real", "d_fake"))):
        for line, key in zip(ax.lines, keys):
            np.testing.assert_array_equal(line.get_xdata(), h["step"])
            np.testing.assert_array_equal(line.get_ydata(), h[key])
    assert len(loss.lines) == 2 and len(d.lines) == 3
    half = d.lines[2]
    assert half.get_linestyle() == "--" and list(half.get_ydata()) == [0.5, 0.5]


def test_training_curves_loss_equilibrium_lines():
    loss, _ = plot.training_curves(_history(), loss_equilibrium=True).axes
    dotted = [ln for ln in loss.lines if ln.get_linestyle() == ":"]
    np.testing.assert_allclose([ln.get_ydata()[0] for ln in dotted], [np.log(4), np.log(2)])
    assert [ln.get_label() for ln in dotted] == ["$\\log 4$", "$\\log 2$"]
    assert len(plot.training_curves(_history()).axes[0].lines) == 2  # off by default


def test_training_curves_scores_and_smoothing():
    h = _history()
    fig = plot.training_curves(h, probability=False, smooth=3)
    loss, d = fig.axes
    assert len(d.lines) == 4 and all(ln.get_linestyle() == "-" for ln in d.lines)  # no 1/2 line
    y = np.asarray(h["d_loss"])
    expected = np.array([y[max(0, i - 2): i + 1].mean() for i in range(len(y))])
    np.testing.assert_allclose(loss.lines[0].get_ydata(), expected)
    np.testing.assert_array_equal(loss.lines[2].get_ydata(), y)  # raw curve behind


@pytest.mark.parametrize("history, match", [
    ({"step": [1], "d_loss": [1.0]}, "lacks"),
    ({**_history(3), "g_loss": [1.0]}, "one length"),
    ({k: [] for k in _history(1)}, "empty"),
])
def test_training_curves_bad_history(history, match):
    with pytest.raises(ValueError, match=match):
        plot.training_curves(history)


def test_training_curves_bad_smooth():
    with pytest.raises(ValueError, match="smooth"):
        plot.training_curves(_history(), smooth=0)


# ---------------------------------------------------------------- toys

def test_toy_samples_scatter_over_modes():
    x, centers, std = _ring()
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
    x, centers, std = _ring()
    fig = plot.toy_samples(np.concatenate([x, [[50.0, 0.0]]]), centers, std, contours=False)
    assert "1 outside" in fig.axes[0].get_legend().get_texts()[0].get_text()


@pytest.mark.parametrize("kwargs, match", [
    ({"samples": np.zeros((5, 1))}, r"samples must .*\(N, 2\)"),
    ({"centers": np.zeros(2)}, "centers"),
    ({"std": 0.0}, "std"),
])
def test_toy_samples_bad_input(kwargs, match):
    x, centers, std = _ring()
    args = {"samples": x, "centers": centers, "std": std, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot.toy_samples(**args)


def test_discriminator_surface_maps_d_over_the_plane():
    seen = []

    def d_fn(p):
        seen.append(p)
        return _d_fn(p)[:, None]  # (m, 1) is accepted

    x, centers, _ = _ring()
    fig = plot.discriminator_surface(d_fn, centers=centers, samples=x, resolution=20)
    (p,) = seen
    assert p.dtype == np.float32 and p.shape == (400, 2)
    assert len(fig.axes) == 2  # the heat map and its colour bar
    ax = fig.axes[0]
    (im,) = ax.images
    np.testing.assert_allclose(im.get_array(), _d_fn(p).reshape(20, 20))
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
    args = {"d_fn": _d_fn, "lim": 2, "resolution": 10, **kwargs}
    with pytest.raises(ValueError, match=match):
        plot.discriminator_surface(**args)


def test_densities_1d_draws_optimal_discriminator():
    x, p_data, p_g = _densities()
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
        plot.densities_1d(*_densities(), d=np.ones(3))


# ---------------------------------------------------------------- GIF

def _frames(path):
    im = Image.open(path)
    frames = []
    for i in range(im.n_frames):
        im.seek(i)
        frames.append(np.asarray(im.convert("L")))
    return im, frames


def test_training_gif_of_images(tmp_path):
    snaps = [(step, _images(6, 5, 4, seed=step)) for step in (10, 20, 30)]
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
    x, centers, _ = _ring(300)
    snaps = [(s, x[:, :dim] * s / 4) for s in (1, 2, 3, 4)]
    path = plot.training_gif(snaps, tmp_path / "toy.gif", scale=1, centers=centers[:, :dim])
    im, frames = _frames(path)
    assert im.n_frames == 4 and im.size == (160, 160)
    assert not np.array_equal(frames[0], frames[-1])


@pytest.mark.parametrize("snaps, kwargs, match", [
    ([], {}, "empty"),
    ([(1, _images(4)), (2, _images(9))], {}, "different sizes"),
    ([(1, _images(4))], {"scale": 0}, "scale"),
    ([(1, np.zeros((5, 2))), (2, np.zeros((5, 1)))], {}, "dimensions"),
])
def test_training_gif_bad_input(tmp_path, snaps, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot.training_gif(snaps, tmp_path / "t.gif", **kwargs)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- CLI helper

@pytest.mark.parametrize("dataset, x", [("mnist", _images(4, 28, 28)), ("ring", _ring(50)[0])])
def test_save_samples_leaves_backend_alone(tmp_path, dataset, x):
    backend = matplotlib.get_backend()
    plot.save_samples(x, SimpleNamespace(dataset=dataset), tmp_path / "s.png")
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend() == backend


# ---------------------------------------------------------------- latent paths

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


# ---------------------------------------------------------------- evaluation and snapshots

def test_class_histogram_bars_are_fractions_of_each_set():
    report = {"model": {"histogram": [4, 0, 0, 0, 0, 0, 0, 0, 0, 4]}, "real": {"histogram": [1] * 10}}
    fig = plot.class_histogram(report)
    ax = fig.axes[0]
    model_bars, real_bars = ax.containers
    assert [b.get_height() for b in model_bars] == [0.5] + [0.0] * 8 + [0.5]
    assert [b.get_height() for b in real_bars] == [0.1] * 10
    assert ax.lines[0].get_ydata()[0] == pytest.approx(0.1)  # the uniform line
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["uniform", "generated (n=8)", "real digits (n=10)"]


@pytest.mark.parametrize("counts, match", [([0] * 10, "positive total"), ([-1] + [1] * 9, ">= 0"),
                                           (np.ones((2, 10)), "shape")])
def test_class_histogram_bad_counts(counts, match):
    with pytest.raises(ValueError, match=match):
        plot.class_histogram(counts)


def test_training_snapshots_picks_first_last_and_evenly_between():
    snaps = [(10 * (i + 1), _images(seed=i)) for i in range(7)]
    fig = plot.training_snapshots(snaps, count=4)
    assert [ax.get_title() for ax in fig.axes] == ["step 10", "step 30", "step 50", "step 70"]
    assert np.array_equal(fig.axes[0].images[0].get_array(), plot.image_grid(snaps[0][1])[..., 0])
    assert len(plot.training_snapshots(snaps[:2], count=4).axes) == 2  # never more panels than snapshots


def test_training_snapshots_bad_input():
    with pytest.raises(ValueError, match="empty"):
        plot.training_snapshots([])
    with pytest.raises(ValueError, match="count"):
        plot.training_snapshots([(1, _images())], count=0)


# ---------------------------------------------------------------- challenges

def test_toy_comparison_one_titled_panel_per_entry():
    x, centers, std = _ring()
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


def test_image_rows_one_labelled_strip_per_entry():
    fig = plot.image_rows({0: _images(5), "second": _images(3, seed=2)})
    assert [ax.get_ylabel() for ax in fig.axes] == ["0", "second"]
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(), plot.image_grid(_images(3, seed=2), 3)[..., 0])
    assert fig.axes[0].images[0].get_array().shape == plot.image_grid(_images(3), 3)[..., 0].shape  # cut to 3
    with pytest.raises(ValueError, match="one shape"):
        plot.image_rows({"a": _images(2), "b": _images(2, h=6)})
    with pytest.raises(ValueError, match="empty"):
        plot.image_rows({})
