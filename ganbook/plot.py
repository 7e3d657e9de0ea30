"""Plots on NumPy arrays (framework-free: NumPy, matplotlib, Pillow). Image files are PNG/GIF.

Conventions:

- Images are float in [-1, 1] (the tanh range), channels-last (N, H, W, C) with
  C = 1 (gray) or 3 (RGB), or (N, H, W), or flat square (N, H*W) such as MNIST's
  (N, 784). Toy samples are points (N, 2) (or (N, 1) in 1-D).
- Every figure function returns a ``matplotlib.figure.Figure``. Given ``ax=``, it
  draws into that axes and returns its figure. Otherwise it makes a new figure
  with pyplot (so the notebook backend can render it) and closes it at once: pyplot
  forgets it, so it is neither shown a second time at the end of a notebook cell nor
  kept alive in a loop. End a cell with the call (or ``fig``) to show it once, or
  ``display(fig)``; in a script use ``save_figure(fig, path)`` (``fig.show()`` does
  not work on closed figures).
- Drawing is deterministic: the same input gives the same PNG bytes, in particular
  with ``save_figure``, which also leaves out the varying PNG metadata fields. To
  that end a new figure is laid out once (constrained layout) and then frozen; after
  resizing one, ``fig.set_layout_engine("constrained")`` lays it out again.
- File writers (``save_figure``, ``save_grid``, ``training_gif``) write a temporary
  file in the target folder and rename it, so readers never see half a file. They
  never touch pyplot or the matplotlib backend (safe in the CLI and on servers).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ganbook.atomic import atomic_write

PNG_METADATA = {"Software": None}  # matplotlib's version string is the only varying field


# ---------------------------------------------------------------- checks and helpers

def _as_images(images, name: str = "images") -> np.ndarray:
    """(N, H, W, C) | (N, H, W) | (N, H*W) -> float (N, H, W, C), C in (1, 3, 4)."""
    x = np.asarray(images)
    if x.ndim == 2:
        side = math.isqrt(x.shape[1])
        if x.shape[1] <= 2:
            raise ValueError(f"{name} of shape {x.shape} look like 2-D/1-D toy points, not images; "
                             "use toy_samples or densities_1d")
        if side * side != x.shape[1]:
            raise ValueError(f"flat samples of {x.shape[1]} values are not square images; "
                             "reshape them to (N, H, W, C)")
        x = x.reshape(len(x), side, side, 1)
    elif x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4:
        raise ValueError(f"{name} must be (N, H, W, C), (N, H, W) or (N, H*W), got shape {x.shape}")
    if len(x) == 0:
        raise ValueError(f"{name} is empty: no images to draw")
    if x.shape[-1] not in (1, 3, 4):
        raise ValueError(f"{name} of shape {x.shape} have {x.shape[-1]} channels; expected 1, 3 or 4 "
                         "channels-last (N, H, W, C). Channels-first (N, C, H, W)? Transpose it.")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contain NaN or Inf values (did training diverge?)")
    return x


def _points(x, name: str, dims=(2,)) -> np.ndarray:
    """Float64 (N, d) points with d in dims, at least one, all finite."""
    p = np.asarray(x, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] not in dims or len(p) == 0:
        want = " or ".join(f"(N, {d})" for d in dims)
        raise ValueError(f"{name} must be a non-empty array of points {want}, got shape {p.shape}")
    if not np.isfinite(p).all():
        raise ValueError(f"{name} contain NaN or Inf values")
    return p


def _vector(v, name: str, n: int | None = None) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1 or (n is not None and len(a) != n):
        want = f"({n},) like x" if n is not None else "(m,)"
        raise ValueError(f"{name} must have shape {want}, got {a.shape}")
    return a


def _figure(figsize):
    """A new figure that pyplot does not track (see the module docstring)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    plt.close(fig)
    return fig


def _axes(ax, figsize):
    if ax is not None:
        return ax.get_figure(), ax
    fig = _figure(figsize)
    return fig, fig.add_subplot()


def _finish(fig, own: bool):
    """Lay out a figure we made once and freeze it, so every save draws the same pixels
    (constrained layout moves axes a little on each draw); return the top figure."""
    if own:
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    return _root(fig)


def _root(fig):
    """The top figure of a (sub)figure."""
    while getattr(fig, "figure", fig) is not fig and fig.figure is not None:
        fig = fig.figure
    return fig


def _atomic_write(path, write, suffix: str) -> Path:
    """ganbook.atomic.atomic_write, after checking that `path` ends in `suffix`."""
    if Path(path).suffix.lower() != suffix:
        raise ValueError(f"{path} must end in {suffix}")
    return atomic_write(path, write)


def _image_figsize(h: int, w: int, extra_h: float = 0.0):
    s = min(1 / 50, 10 / max(h, w))  # 50 px per inch, at most 10 inches
    return max(w * s, 1.5), max(h * s, 0.6) + extra_h


def _imshow(ax, grid: np.ndarray):
    """Draw a uint8 grid (h, w, C) at fixed range 0..255, without ticks or frame."""
    if grid.shape[-1] == 1:
        im = ax.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    else:
        im = ax.imshow(grid, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return im


def _square_limits(lo, hi, margin_frac=0.2, min_margin=0.5):
    """One (lo, hi) for both axes: the range of lo..hi plus a margin."""
    lo, hi = float(np.min(lo)), float(np.max(hi))
    margin = max(margin_frac * (hi - lo), min_margin)
    return lo - margin, hi + margin


def _toy_limits(centers: np.ndarray, std: float = 0.0):
    """Fixed square view of a mixture: the centres plus max(20% of their span, 8 std, 0.5)."""
    return _square_limits(centers.min(), centers.max(), 0.2, max(8 * std, 0.5))


def _legend_below(ax, handles=None, ncols=2, y=-0.14):
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, y), ncols=ncols,
              frameon=False, fontsize="small", markerscale=2)


def _set_square(ax, lo, hi):
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


# ---------------------------------------------------------------- image grids

def image_grid(images: np.ndarray, ncols: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile images (N, H, W, C), (N, H, W) or flat square (N, H*W), values in [-1, 1],
    into one uint8 picture (rows*(H+pad) + pad, ncols*(W+pad) + pad, C), black padding.
    ncols defaults to ceil(sqrt(N)); images fill rows left to right."""
    from ganbook.data import unscale

    x = _as_images(images)
    n, h, w, c = x.shape
    if ncols is not None and (not isinstance(ncols, (int, np.integer)) or ncols < 1):
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    grid = np.zeros((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), np.uint8)
    for i, img in enumerate(unscale(x)):
        r, col = divmod(i, ncols)
        grid[pad + r * (h + pad): pad + r * (h + pad) + h, pad + col * (w + pad): pad + col * (w + pad) + w] = img
    return grid


def show_images(images, ncols: int | None = None, title: str | None = None, ax=None):
    """Figure of an image grid (see image_grid for shapes; values in [-1, 1]).

    Gray for 1 channel, fixed range (-1 is black, +1 white), nearest-pixel display.
    """
    grid = image_grid(images, ncols)
    own = ax is None
    fig, ax = _axes(ax, _image_figsize(*grid.shape[:2], 0.3 if title else 0.0))
    _imshow(ax, grid)
    if title:
        ax.set_title(title)
    return _finish(fig, own)


def image_rows(rows: dict, ncols: int | None = None):
    """One labelled row of images per entry of {label: images}, e.g. one row per
    class or per method. Images as in image_grid, values in [-1, 1]; every row is
    cut to ncols images (default: the shortest row's length)."""
    if not rows:
        raise ValueError("rows is empty: pass {label: images}")
    arrays = {label: _as_images(x, f"rows[{label!r}]") for label, x in rows.items()}
    ncols = ncols or min(len(x) for x in arrays.values())
    shapes = {x.shape[1:] for x in arrays.values()}
    if len(shapes) != 1:
        raise ValueError(f"all rows need images of one shape, got {sorted(shapes)}")
    grid = [image_grid(x[:ncols], ncols) for x in arrays.values()]
    fig = _figure(_image_figsize(grid[0].shape[0] * len(grid), grid[0].shape[1]))
    for ax, (label, g) in zip(np.atleast_1d(fig.subplots(len(grid), 1)), zip(arrays, grid)):
        _imshow(ax, g)
        ax.set_ylabel(str(label), rotation=0, ha="right", va="center")
    return _finish(fig, True)


def save_grid(images, path, ncols: int | None = None) -> Path:
    """Write image_grid(images, ncols) to the PNG `path` at one pixel per pixel
    (8-bit gray for 1 channel, else RGB/RGBA), atomically. Returns the path."""
    from PIL import Image

    grid = image_grid(images, ncols)
    img = Image.fromarray(grid[..., 0] if grid.shape[-1] == 1 else grid)
    return _atomic_write(path, lambda fh: img.save(fh, format="PNG"), ".png")


def save_figure(fig, path, dpi: int = 100) -> Path:
    """Save a figure as PNG atomically, without varying metadata (same figure, same bytes)."""
    return _atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=dpi, metadata=PNG_METADATA),
                         ".png")


def interpolation_strip(images, ncols: int | None = None, ax=None):
    """Images along latent paths, one path per row, t = 0 on the left, 1 on the right.

    images: (steps, H, W, C) (one row; also (steps, H, W) or flat (steps, H*W)),
    or (rows, steps, H, W, C); values in [-1, 1]. ncols: images per row when
    the rows are stacked into (rows*steps, ...) (e.g. latent_walk's steps).
    """
    x = np.asarray(images)
    if x.ndim == 5:
        ncols = ncols or x.shape[1]
        x = x.reshape(-1, *x.shape[2:])
    x = _as_images(x)
    ncols = ncols or len(x)
    grid = image_grid(x, ncols)
    own = ax is None
    fig, ax = _axes(ax, _image_figsize(*grid.shape[:2], 0.35))
    _imshow(ax, grid)
    w, pad = x.shape[2], 2
    ax.set_xticks([pad + (w - 1) / 2, pad + (ncols - 1) * (w + pad) + (w - 1) / 2], ["$t=0$", "$t=1$"])
    ax.tick_params(length=0)
    return _finish(fig, own)


# ---------------------------------------------------------------- training

def _smooth(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average over `window` values (fewer at the start); same length."""
    if window <= 1:
        return y
    c = np.concatenate([[0.0], np.cumsum(y)])
    end = np.arange(1, len(y) + 1)
    n = np.minimum(end, window)
    return (c[end] - c[end - n]) / n


def _history(history) -> dict:
    keys = ("step", "d_loss", "g_loss", "d_real", "d_fake")
    missing = [k for k in keys if k not in history]
    if missing:
        raise ValueError(f"history lacks {missing}; pass the dict returned by Trainer.fit "
                         f"(keys {list(keys)})")
    cols = {k: np.asarray(history[k], dtype=np.float64) for k in keys}
    lengths = {k: v.shape for k, v in cols.items()}
    if len(set(lengths.values())) != 1 or cols["step"].ndim != 1:
        raise ValueError(f"history columns must be 1-D lists of one length, got shapes {lengths}")
    if len(cols["step"]) == 0:
        raise ValueError("history is empty: train for at least log_every steps before plotting")
    return cols


def training_curves(history, probability: bool = True, smooth: int = 1, loss_equilibrium: bool = False):
    """Two panels against the generator step: D and G losses; mean D(x) and D(G(z)).

    history: dict of equal-length lists (step, d_loss, g_loss, d_real, d_fake).
    probability: D outputs are probabilities (cross-entropy losses): y in [0, 1]
        and a dashed line at 1/2, the value at the equilibrium p_g = p_data.
        False for raw critic scores (WGAN, hinge).
    loss_equilibrium: also dot the losses' values at that equilibrium (D = 1/2):
        log 4 for D's cross-entropy and log 2 for the non-saturating G loss.
    smooth: trailing moving-average window; > 1 draws the raw curves faintly behind.
    The labelled curves come first in each axes' lines.
    """
    cols = _history(history)
    if not isinstance(smooth, (int, np.integer)) or smooth < 1:
        raise ValueError(f"smooth must be a window of >= 1 values, got {smooth!r}")
    fig = _figure((10, 3.6))
    ax_loss, ax_d = fig.subplots(1, 2)
    panels = ((ax_loss, (("d_loss", "D loss"), ("g_loss", "G loss"))),
              (ax_d, (("d_real", "$D(x)$, real"), ("d_fake", "$D(G(z))$, fake"))))
    for ax, curves in panels:
        for i, (key, label) in enumerate(curves):
            ax.plot(cols["step"], _smooth(cols[key], smooth), color=f"C{i}", label=label)
        if smooth > 1:
            for i, (key, _) in enumerate(curves):
                ax.plot(cols["step"], cols[key], color=f"C{i}", alpha=0.25, lw=0.8, zorder=1.5)
        ax.set_xlabel("generator step")
    if loss_equilibrium:
        for value, name in ((math.log(4), "$\\log 4$"), (math.log(2), "$\\log 2$")):
            ax_loss.axhline(value, color="0.4", ls=":", lw=1, label=name)
    if probability:
        ax_d.axhline(0.5, color="0.4", ls="--", lw=1, label="equilibrium $1/2$")
        ax_d.set_ylim(-0.02, 1.02)
    ax_loss.set(ylabel="loss", title="losses")
    ax_d.set(ylabel="mean D output" if probability else "mean critic score",
             title="discriminator outputs")
    ax_loss.legend()
    ax_d.legend()
    return _finish(fig, True)


def class_histogram(model, real=None, ax=None):
    """Bars of how often a classifier assigns each digit class: the model's samples
    beside real digits.

    model, real: class counts (10,) (e.g. ``report["model"]["histogram"]`` of
    ``ganbook.evaluate``), or a Report / its row dict with a "histogram" (a Report
    gives both rows). Bars are fractions of each set; the dashed line is uniform.
    """
    if isinstance(model, dict) and "model" in model and real is None:
        model, real = model["model"], model["real"]
    sets = [("generated", model)] + ([("real digits", real)] if real is not None else [])
    own = ax is None
    fig, ax = _axes(ax, (7, 3))
    width = 0.8 / len(sets)
    for i, (label, counts) in enumerate(sets):
        counts = _vector(counts["histogram"] if isinstance(counts, dict) else counts, label)
        if counts.min() < 0 or counts.sum() <= 0:
            raise ValueError(f"{label}: class counts must be >= 0 with a positive total")
        k = len(counts)
        ax.bar(np.arange(k) + (i - (len(sets) - 1) / 2) * width, counts / counts.sum(),
               width, label=f"{label} (n={int(counts.sum())})", color=f"C{i}")
    ax.axhline(1 / k, color="0.4", ls="--", lw=1, label="uniform")
    ax.set(xticks=np.arange(k), xlabel="class predicted by the evaluator", ylabel="fraction")
    ax.legend(loc="upper right", fontsize="small")
    return _finish(fig, own)


# ---------------------------------------------------------------- toy distributions

def _mixture_density_grid(centers, std, lo, hi, n=400):
    from ganbook.data import mixture_pdf

    xs = np.linspace(lo, hi, n)
    gx, gy = np.meshgrid(xs, xs)
    pts = np.stack([gx.ravel(), gy.ravel()], 1)
    pdf = np.concatenate([mixture_pdf(chunk, centers, std) for chunk in np.array_split(pts, 8)])
    return xs, pdf.reshape(n, n)


def toy_samples(samples, centers, std: float, ax=None, contours: bool = True):
    """Scatter of 2-D samples (N, 2) over the true mixture: modes (k, 2) as red crosses,
    contours of its density at 1, 2 and 3 std from each mode (std > 0).

    Fixed square limits from the centres (so figures across training compare); samples
    outside the view are counted in the legend.
    """
    x, c = _points(samples, "samples"), _points(centers, "centers")
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    lo, hi = _toy_limits(c, std)
    own = ax is None
    fig, ax = _axes(ax, (4.6, 5.0))
    if contours:
        xs, pdf = _mixture_density_grid(c, std, lo, hi)
        peak = 1 / (len(c) * 2 * np.pi * std**2)
        ax.contour(xs, xs, pdf, levels=peak * np.exp(-np.array([9.0, 4.0, 1.0]) / 2),
                   colors="0.45", linewidths=0.8)
    outside = int((~((x >= lo) & (x <= hi)).all(1)).sum())
    label = f"samples ({outside} outside the view)" if outside else "samples"
    ax.scatter(x[:, 0], x[:, 1], s=4, alpha=0.5, lw=0, color="C0", label=label)
    ax.scatter(c[:, 0], c[:, 1], marker="x", s=40, color="red", label="modes")
    _set_square(ax, lo, hi)
    _legend_below(ax)
    return _finish(fig, own)


def _surface_limits(lim, centers, samples):
    if lim is None:
        if centers is not None:
            return _toy_limits(centers)
        if samples is not None:
            return _square_limits(np.percentile(samples, 1, 0), np.percentile(samples, 99, 0), 0.15)
        raise ValueError("give lim=, centers= or samples= to choose the plotted region")
    lim = np.asarray(lim, dtype=np.float64)
    lo, hi = (-lim, lim) if lim.ndim == 0 else tuple(lim) if lim.shape == (2,) else (0, 0)
    if not (np.isfinite([lo, hi]).all() and hi > lo):
        raise ValueError(f"lim must be a half-width L > 0 or a pair (lo, hi) with lo < hi, got {lim.tolist()}")
    return lo, hi


def discriminator_surface(d_fn, centers=None, samples=None, lim=None, resolution: int = 150, ax=None):
    """Heat map of a 2-D discriminator over the square [lo, hi]^2, with a colour bar.

    d_fn: callable, float32 (m, 2) -> (m,) or (m, 1) NumPy values, called once on
        all resolution^2 grid points, e.g. ``lambda p: torch.sigmoid(D(torch.from_numpy(p)))
        .detach().numpy()``. Values in [0, 1] use the fixed range 0..1 and get a dashed
        decision boundary D = 1/2; other values (critic scores) use their own range.
    centers (k, 2), samples (N, 2): drawn on top if given. lim: half-width L or (lo, hi);
        default from the centres, else the samples.
    """
    if not callable(d_fn):
        raise TypeError(f"d_fn must be a callable (m, 2) -> (m,), got {type(d_fn).__name__}")
    c = None if centers is None else _points(centers, "centers")
    s = None if samples is None else _points(samples, "samples")
    if not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    lo, hi = _surface_limits(lim, c, s)
    xs = np.linspace(lo, hi, resolution)
    gx, gy = np.meshgrid(xs, xs)
    pts = np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32)
    v = np.asarray(d_fn(pts), dtype=np.float64)
    if v.shape not in ((len(pts),), (len(pts), 1)):
        raise ValueError(f"d_fn returned shape {v.shape} for {len(pts)} points; expected "
                         f"({len(pts)},) or ({len(pts)}, 1)")
    if not np.isfinite(v).all():
        raise ValueError("d_fn returned NaN or Inf values")
    v = v.reshape(resolution, resolution)
    prob = v.min() >= 0 and v.max() <= 1
    own = ax is None
    fig, ax = _axes(ax, (5.4, 5.0))
    im = ax.imshow(v, origin="lower", extent=(lo, hi, lo, hi), cmap="RdBu_r", interpolation="nearest",
                   vmin=0 if prob else None, vmax=1 if prob else None)
    if prob and v.min() < 0.5 < v.max():
        ax.contour(xs, xs, v, levels=[0.5], colors="k", linewidths=1, linestyles="--")
    if s is not None:
        ax.scatter(s[:, 0], s[:, 1], s=4, alpha=0.6, lw=0, color="k", label="samples")
    if c is not None:
        ax.scatter(c[:, 0], c[:, 1], marker="x", s=40, color="gold", label="modes")
    _set_square(ax, lo, hi)
    fig.colorbar(im, ax=ax, label="$D(x)$" if prob else "critic score", shrink=0.9)
    if s is not None or c is not None:
        _legend_below(ax)
    return _finish(fig, own)


def densities_1d(x, p_data, p_g, d=None, ax=None):
    """The 1-D picture of the GAN game on a grid x (m,):

    p_data, p_g: densities (m,) >= 0 (left axis). On a second y axis in [0, 1]:
    the optimal discriminator D* = p_data / (p_data + p_g) (dashed; NaN where both
    densities are 0) and, if given, the discriminator d: values (m,) or a callable
    float32 (m, 1) -> (m,) or (m, 1). The twin axes' lines are [D*, d].
    """
    x = _vector(x, "x")
    p_data, p_g = _vector(p_data, "p_data", len(x)), _vector(p_g, "p_g", len(x))
    for name, p in (("p_data", p_data), ("p_g", p_g)):
        if not np.isfinite(p).all() or (p < 0).any():
            raise ValueError(f"{name} must be finite and >= 0 (a density on the grid x)")
    if d is not None:
        d = _vector(d(x.reshape(-1, 1).astype(np.float32)) if callable(d) else d, "d", len(x))
    own = ax is None
    fig, ax = _axes(ax, (7.0, 3.9))
    ax.plot(x, p_data, color="C0", label=r"$p_\mathrm{data}$")
    ax.plot(x, p_g, color="C1", label="$p_g$")
    ax.set(xlabel="$x$", ylabel="density")
    ax.set_ylim(bottom=0)
    total = p_data + p_g
    d_star = np.divide(p_data, total, out=np.full_like(total, np.nan), where=total > 0)
    ax2 = ax.twinx()
    ax2.plot(x, d_star, color="C2", ls="--", label=r"$D^*(x) = p_\mathrm{data}/(p_\mathrm{data}+p_g)$")
    if d is not None:
        ax2.plot(x, d, color="C3", label="$D(x)$")
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel("discriminator $D(x)$")
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    _legend_below(ax, handles, ncols=len(handles), y=-0.16)
    return _finish(fig, own)


# ---------------------------------------------------------------- challenges

def toy_comparison(samples: dict, centers, std: float):
    """toy_samples side by side, one panel per entry of {title: points (N, 2)}."""
    if not samples:
        raise ValueError("samples is empty: pass {title: (N, 2) points}")
    fig = _figure((4.2 * len(samples), 4.6))
    for ax, (title, points) in zip(np.atleast_1d(fig.subplots(1, len(samples))), samples.items()):
        toy_samples(points, centers, std, ax=ax)
        ax.set_title(title, fontsize="medium")
    return _finish(fig, True)


def parameter_paths(paths: dict, labels=("$\\theta$", "$\\psi$"), equilibrium=(0.0, 0.0)):
    """One panel per training path of two parameters, e.g. the Dirac-GAN's (theta, psi).

    paths: {title: array (T, 2)} of the parameters after each step, start first.
    The start is a dot, the end a cross, the equilibrium a star; all panels share
    their limits.
    """
    if not paths:
        raise ValueError("paths is empty: pass {title: (T, 2) array}")
    arrays = {k: _points(v, f"paths[{k!r}]") for k, v in paths.items()}
    lim = 1.1 * max(np.abs(a).max() for a in arrays.values())
    fig = _figure((3.6 * len(arrays), 3.8))
    for ax, (title, a) in zip(np.atleast_1d(fig.subplots(1, len(arrays))), arrays.items()):
        ax.plot(a[:, 0], a[:, 1], lw=0.8)
        ax.plot(*a[0], "o", color="C0", label="start")
        ax.plot(*a[-1], "x", color="C3", ms=8, mew=2, label="end")
        ax.plot(*equilibrium, "*", color="k", ms=10, label="equilibrium")
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel=labels[0], ylabel=labels[1], title=title)
        ax.set_aspect("equal")
    ax.legend(loc="lower right", fontsize="small")
    return _finish(fig, True)


def gradient_norms(d_fake, norms: dict):
    """The generator's gradient norm against the discriminator's mean D(G(z)), log scale.

    d_fake: (m,) mean D(G(z)) at each measurement; norms: {loss name: (m,) norms}.
    The x axis runs from confident rejection (D(G(z)) near 0, right) to
    uncertainty (1/2, left), the order in which a discriminator that wins gets there.
    """
    x = _vector(d_fake, "d_fake")
    fig, ax = _axes(None, (6, 3.8))
    for i, (name, values) in enumerate(norms.items()):
        y = _vector(values, f"norms[{name!r}]", len(x))
        ax.plot(x, y, marker="o", ms=3, color=f"C{i}", label=name)
    ax.set(xscale="log", yscale="log", xlabel="mean $D(G(z))$", ylabel="norm of $G$'s gradient")
    ax.invert_xaxis()
    ax.legend()
    return _finish(fig, True)


def sample_size_curves(result: dict):
    """FD and KID against the number of samples (the output of metrics.by_sample_size):
    mean over repeats with the individual values as dots."""
    n = _vector(result["n"], "n")
    fig = _figure((10, 3.6))
    for ax, key, title in zip(fig.subplots(1, 2), ("fd", "kid"), ("Fréchet distance", "KID")):
        values = np.asarray(result[key], dtype=float)
        if values.shape[0] != len(n):
            raise ValueError(f"result[{key!r}] must have one row per n, got shape {values.shape}")
        ax.plot(np.repeat(n, values.shape[1]), values.ravel(), ".", color="0.6", label="each draw")
        ax.plot(n, values.mean(1), marker="o", color="C0", label="mean")
        ax.axhline(0, color="0.4", ls="--", lw=1, label="true value, 0")
        ax.set(xscale="log", xlabel="samples of each set, $n$", title=f"{title}, real vs real digits")
        ax.legend()
    return _finish(fig, True)


# ---------------------------------------------------------------- animation

def _label_band(width: int, text: str, mode: str, scale: int):
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.load_default(size=10 * scale)
    except TypeError:  # Pillow < 10.1: the fixed bitmap font
        font = ImageFont.load_default()
    height = 10 * scale + 6
    band = Image.new(mode, (width, height), "white")
    ImageDraw.Draw(band).text((3, 2), text, fill="black", font=font)
    return band


def _image_frame(images, step, ncols, scale):
    from PIL import Image

    grid = image_grid(images, ncols)[..., :3]
    grid = np.repeat(np.repeat(grid, scale, 0), scale, 1)
    mode = "L" if grid.shape[-1] == 1 else "RGB"
    body = Image.fromarray(grid[..., 0] if mode == "L" else grid, mode)
    band = _label_band(body.width, f"step {step}", mode, scale)
    frame = Image.new(mode, (body.width, band.height + body.height))
    frame.paste(band, (0, 0))
    frame.paste(body, (0, band.height))
    return frame


def _toy_frame(points, step, lo, hi, centers, scale, hist=None):
    """Render one scatter (2-D) or histogram (1-D) frame without pyplot -> PIL RGB image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    fig = Figure(figsize=(3.2, 3.2), dpi=50 * scale, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if hist is None:
        ax.scatter(points[:, 0], points[:, 1], s=3, alpha=0.5, lw=0, color="C0")
        if centers is not None:
            ax.scatter(centers[:, 0], centers[:, 1], marker="x", s=30, color="red")
        _set_square(ax, lo, hi)
    else:
        edges, ymax = hist
        ax.stairs(np.histogram(points[:, 0], edges, density=True)[0], edges, fill=True, alpha=0.6)
        if centers is not None:
            ax.plot(centers[:, 0], np.zeros(len(centers)), "x", color="red", ms=6, clip_on=False)
        ax.set(xlim=(lo, hi), ylim=(0, ymax), xlabel="$x$", ylabel="density")
    ax.set_title(f"step {step}")
    canvas.draw()
    return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy())


def _toy_frames(snapshots, scale, centers):
    pts = [_points(x, f"snapshot {i} samples", (1, 2)) for i, (_, x) in enumerate(snapshots)]
    dims = {p.shape[1] for p in pts}
    if len(dims) != 1 or (centers is not None and centers.shape[1] not in dims):
        raise ValueError(f"snapshots (and centers) mix dimensions {sorted(dims)}; use one")
    if centers is not None:
        lo, hi = _toy_limits(centers)
    else:
        every = np.concatenate(pts)
        lo, hi = _square_limits(np.percentile(every, 1, 0), np.percentile(every, 99, 0), 0.15)
    hist = None
    if dims == {1}:
        edges = np.linspace(lo, hi, 61)
        ymax = max(np.histogram(p[:, 0], edges, density=True)[0].max() for p in pts) * 1.05 or 1.0
        hist = (edges, ymax)
    return [_toy_frame(p, step, lo, hi, centers, scale, hist) for p, (step, _) in zip(pts, snapshots)]


def training_snapshots(snapshots, count: int = 4, ncols: int | None = None):
    """A row of image grids from `count` snapshots evenly spaced over training,
    first and last included, each titled with its step.

    snapshots: list of (step, images) as ``trainer.samples`` (images in [-1, 1],
    shapes as image_grid).
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots is empty: train with sample_every > 0 to collect them")
    if not isinstance(count, (int, np.integer)) or count < 1:
        raise ValueError(f"count must be a positive integer, got {count!r}")
    picks = sorted(set(np.linspace(0, len(snapshots) - 1, count).round().astype(int)))
    fig = _figure((3.2 * len(picks), 3.6))
    for ax, i in zip(np.atleast_1d(fig.subplots(1, len(picks))), picks):
        step, images = snapshots[i]
        _imshow(ax, image_grid(images, ncols))
        ax.set_title(f"step {step}")
    return _finish(fig, True)


def training_gif(snapshots, path, scale: int = 2, duration_ms: int = 200, ncols: int | None = None,
                 centers=None) -> Path:
    """Animated GIF (looping) of fixed-noise samples across training; one frame per snapshot.

    snapshots: list of (step, samples), e.g. ``trainer.samples``. Samples are images
        in [-1, 1] (shapes as image_grid: each frame is the grid scaled `scale` times,
        nearest pixel, under a band reading "step N"), or toy points (N, 2) / (N, 1)
        (a scatter / histogram per frame, titled "step N", with the same limits in
        every frame: from `centers` (k, d) if given, drawn as red crosses, else from
        the 1st-99th percentiles of all snapshots). All frames must have one size.
    Writes `path` (.gif) atomically and returns it as a Path.
    """
    from PIL import Image

    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots is empty: train with sample_every > 0 to collect them")
    for name, v in (("scale", scale), ("duration_ms", duration_ms)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    first = np.asarray(snapshots[0][1])
    if first.ndim == 2 and first.shape[1] in (1, 2):
        c = None if centers is None else _points(centers, "centers", (1, 2))
        frames = _toy_frames(snapshots, scale, c)
    else:
        frames = [_image_frame(x, step, ncols, scale) for step, x in snapshots]
    sizes = {f.size for f in frames}
    if len(sizes) != 1:
        raise ValueError(f"snapshots give frames of different sizes {sorted(sizes)}; "
                         "use the same number and shape of samples in each")
    frames = [f if f.mode == "L" else f.convert("P", palette=Image.Palette.ADAPTIVE) for f in frames]

    def write(fh):
        frames[0].save(fh, format="GIF", save_all=True, append_images=frames[1:],
                       duration=duration_ms, loop=0)

    return _atomic_write(path, write, ".gif")


# ---------------------------------------------------------------- CLI

def save_samples(x: np.ndarray, config, path) -> None:
    """Write samples to a PNG: an image grid for MNIST, a scatter plot for the mixtures.

    Draws without pyplot, so the matplotlib backend of the caller is left alone.
    """
    import matplotlib.image
    from matplotlib.figure import Figure

    if config.dataset == "mnist":
        grid = image_grid(x)
        matplotlib.image.imsave(path, grid[..., 0] if grid.shape[-1] == 1 else grid,
                                cmap="gray", vmin=0, vmax=255)
        return
    from ganbook.data import mixture_centers

    centers, _ = mixture_centers(config.dataset)
    fig = Figure(figsize=(4, 4), dpi=100)
    ax = fig.add_subplot()
    if x.shape[1] == 1:
        ax.hist(x[:, 0], bins=100, density=True)
    else:
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, label="samples")
        ax.scatter(centers[:, 0], centers[:, 1], marker="x", c="red", label="modes")
        ax.set_aspect("equal")
        ax.legend(loc="upper right")
    fig.savefig(path)
