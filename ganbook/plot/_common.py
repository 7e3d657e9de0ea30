"""Checks and drawing helpers shared by the ganbook.plot modules: input validation
(images, points, vectors), figure creation and freezing (see the package docstring),
atomic file writing, image display and the square limits of toy views."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ganbook.atomic import atomic_write

PNG_METADATA = {"Software": None}  # matplotlib's version string is the only varying field


# ---------------------------------------------------------------- input checks

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
    """Float64 (m,) values (an (m, 1) column is flattened), of length n if given."""
    a = np.asarray(v, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1 or (n is not None and len(a) != n):
        want = f"({n},) like x" if n is not None else "(m,)"
        raise ValueError(f"{name} must have shape {want}, got {a.shape}")
    return a


# ---------------------------------------------------------------- figures and files

def _figure(figsize):
    """A new figure that pyplot does not track (see the package docstring)."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    plt.close(fig)
    return fig


def _axes(ax, figsize):
    """(figure, axes): those of `ax` if given, else of a new one-axes figure."""
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


# ---------------------------------------------------------------- images

def _image_figsize(h: int, w: int, extra_h: float = 0.0):
    """Figure size (inches) for an h x w pixel picture, plus extra_h for a title."""
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


# ---------------------------------------------------------------- square views of the plane

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
    """Equal-aspect square view [lo, hi]^2 with axes labelled x_1, x_2."""
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
