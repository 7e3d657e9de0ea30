"""Image grids: tiling images in [-1, 1] into one uint8 picture, showing it (alone,
in labelled rows, along latent paths) and writing it or any figure to a PNG."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ganbook.data import unscale
from ganbook.plot._common import (PNG_METADATA, _as_images, _atomic_write, _axes, _figure, _finish,
                                  _image_figsize, _imshow)


def image_grid(images: np.ndarray, ncols: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile images (N, H, W, C), (N, H, W) or flat square (N, H*W), values in [-1, 1],
    into one uint8 picture (rows*(H+pad) + pad, ncols*(W+pad) + pad, C), black padding.
    ncols defaults to ceil(sqrt(N)); images fill rows left to right."""
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
