"""Writing a generator's samples to a PNG whatever they are (the ``ganbook sample``
command): images as a grid, toy points as a scatter plot (2-D) or a histogram (1-D),
drawn without pyplot so the caller's matplotlib backend is left alone."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ganbook.plot._common import _finish, _points
from ganbook.plot.images import save_figure, save_grid


def save_samples(x, path, centers=None) -> Path:
    """Write samples x to the PNG `path` atomically and return it as a Path.

    x: images (N, H, W, C), (N, H, W) or flat square (N, H*W), values in [-1, 1],
        written as save_grid does; or toy points (N, 2) (a scatter plot) or (N, 1)
        (a histogram). centers: for points only, the mixture's modes (k, d) with the
        points' d, marked with red crosses.
    """
    x = np.asarray(x)
    if x.ndim == 2 and x.shape[1] in (1, 2):
        c = None if centers is None else _points(centers, "centers", (x.shape[1],))
        return save_figure(_points_figure(_points(x, "samples", (1, 2)), c), path)
    if not (x.ndim in (3, 4) or (x.ndim == 2 and math.isqrt(x.shape[1]) ** 2 == x.shape[1])):
        raise ValueError(f"samples of shape {x.shape} are neither images (N, H, W, C), (N, H, W), "
                         "(N, H*W) nor points (N, 2), (N, 1)")
    if centers is not None:
        raise ValueError(f"centers mark the modes of toy points; samples of shape {x.shape} are images")
    return save_grid(x, path)


def _points_figure(x, centers):
    """A pyplot-free figure of points (N, 2) as a scatter or (N, 1) as a histogram."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 4), layout="constrained")
    ax = fig.add_subplot()
    if x.shape[1] == 1:
        ax.hist(x[:, 0], bins=100, density=True, label="samples")
        if centers is not None:
            ax.plot(centers[:, 0], np.zeros(len(centers)), "x", color="red", label="modes", clip_on=False)
        ax.set(xlabel="$x$", ylabel="density")
    else:
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, lw=0, label="samples")
        if centers is not None:
            ax.scatter(centers[:, 0], centers[:, 1], marker="x", color="red", label="modes")
        ax.set(aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
    if centers is not None:
        ax.legend(loc="upper right")
    return _finish(fig, True)
