"""Figures of a training run and of its evaluation: the loss and discriminator-output
curves of Trainer.fit's history, and the class histogram of generated digits."""
from __future__ import annotations

import math

import numpy as np

from ganbook.plot._common import _axes, _figure, _finish, _vector


def _smooth(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average over `window` values (fewer at the start); same length."""
    if window <= 1:
        return y
    c = np.concatenate([[0.0], np.cumsum(y)])
    end = np.arange(1, len(y) + 1)
    n = np.minimum(end, window)
    return (c[end] - c[end - n]) / n


def _history(history) -> dict:
    """The history's columns as float64 arrays of one length, checked."""
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
        _curves(ax, cols, curves, smooth)
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


def _curves(ax, cols, curves, smooth):
    """The (smoothed) labelled curves, then the raw ones faintly behind if smooth > 1."""
    for i, (key, label) in enumerate(curves):
        ax.plot(cols["step"], _smooth(cols[key], smooth), color=f"C{i}", label=label)
    if smooth > 1:
        for i, (key, _) in enumerate(curves):
            ax.plot(cols["step"], cols[key], color=f"C{i}", alpha=0.25, lw=0.8, zorder=1.5)
    ax.set_xlabel("generator step")


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
