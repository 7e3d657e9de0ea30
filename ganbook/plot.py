"""Plots on NumPy arrays (framework-free). Figures are matplotlib; image files are PNG."""
from __future__ import annotations

import numpy as np


def image_grid(images: np.ndarray, ncols: int | None = None, pad: int = 2) -> np.ndarray:
    """Tile images (N, H, W, C) or (N, H*W) of 28x28 digits, values in [-1, 1], into one
    uint8 picture (rows*H + pads, cols*W + pads, C)."""
    from ganbook.data import unscale

    x = np.asarray(images)
    if x.ndim == 2:
        side = int(round(np.sqrt(x.shape[1])))
        if side * side != x.shape[1]:
            raise ValueError(f"flat samples of {x.shape[1]} values are not square images")
        x = x.reshape(len(x), side, side, 1)
    if x.ndim != 4:
        raise ValueError(f"images must be (N, H, W, C) or (N, H*W), got shape {x.shape}")
    n, h, w, c = x.shape
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    grid = np.zeros((nrows * (h + pad) + pad, ncols * (w + pad) + pad, c), np.uint8)
    for i, img in enumerate(unscale(x)):
        r, col = divmod(i, ncols)
        grid[pad + r * (h + pad): pad + r * (h + pad) + h, pad + col * (w + pad): pad + col * (w + pad) + w] = img
    return grid


def save_samples(x: np.ndarray, config, path) -> None:
    """Write samples to a PNG: an image grid for MNIST, a scatter plot for the mixtures."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if config.dataset == "mnist":
        grid = image_grid(x)
        plt.imsave(path, grid[..., 0] if grid.shape[-1] == 1 else grid, cmap="gray", vmin=0, vmax=255)
        return
    from ganbook.data import mixture_centers

    centers, _ = mixture_centers(config.dataset)
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    if x.shape[1] == 1:
        ax.hist(x[:, 0], bins=100, density=True)
    else:
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, label="samples")
        ax.scatter(centers[:, 0], centers[:, 1], marker="x", c="red", label="modes")
        ax.set_aspect("equal")
        ax.legend(loc="upper right")
    fig.savefig(path)
    plt.close(fig)
