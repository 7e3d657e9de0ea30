"""Figures of the challenges chapter: samples of several runs side by side, training
paths of two parameters (the Dirac-GAN), the generator's gradient norm as the
discriminator wins, and how FD and KID depend on the number of samples."""
from __future__ import annotations

import numpy as np

from ganbook.plot._common import _axes, _figure, _finish, _points, _vector
from ganbook.plot.toy import toy_samples


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
