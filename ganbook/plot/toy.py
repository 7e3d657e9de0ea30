"""Figures of the toy distributions: 2-D samples over a Gaussian mixture, a 2-D
discriminator as a heat map over the plane, and the 1-D densities with the optimal
discriminator D* = p_data / (p_data + p_g)."""
from __future__ import annotations

import numpy as np

from ganbook.data import mixture_pdf
from ganbook.plot._common import (_axes, _finish, _legend_below, _points, _set_square, _square_limits,
                                  _toy_limits, _vector)


def _mixture_density_grid(centers, std, lo, hi, n=400):
    """The mixture's density on an n x n grid over [lo, hi]^2: (xs (n,), pdf (n, n))."""
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
    """(lo, hi) of the plotted square: from lim, else the centres, else the samples."""
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


def _surface_values(d_fn, lo, hi, resolution):
    """d_fn on a resolution x resolution grid over [lo, hi]^2: (xs, values (r, r))."""
    xs = np.linspace(lo, hi, resolution)
    gx, gy = np.meshgrid(xs, xs)
    pts = np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32)
    v = np.asarray(d_fn(pts), dtype=np.float64)
    if v.shape not in ((len(pts),), (len(pts), 1)):
        raise ValueError(f"d_fn returned shape {v.shape} for {len(pts)} points; expected "
                         f"({len(pts)},) or ({len(pts)}, 1)")
    if not np.isfinite(v).all():
        raise ValueError("d_fn returned NaN or Inf values")
    return xs, v.reshape(resolution, resolution)


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
    xs, v = _surface_values(d_fn, lo, hi, resolution)
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
