"""The framework-free part of the post-hoc critic: its frequencies and rejection sampling.

A critic C trained with the logistic loss to tell real x (label 1) from a
frozen generator's x (label 0) tends to C(x) = log p_data(x) / p_G(x). Drawing
x from G and keeping it with probability min(1, exp(C(x) - M)) then leaves
samples distributed as p_data wherever C(x) <= M, whatever G's own errors:
points G puts between the modes have a low ratio and are mostly dropped. This is
discriminator rejection sampling (Azadi et al. 2019); M, a high quantile of C
over a first pool of candidates, trades exactness (M = max C) against the
acceptance rate.

The backends' critic.py hold the critic (FourierCritic), its training
(`fit_critic`: a fresh critic against the finished, frozen G, since the GAN's
own D was trained against a moving G) and `rejection_sample(G, critic, n)`,
which hands their own `sample` and `critic_logits` to `rejection_sample` here. The
critic sees random Fourier features of x (Tancik et al. 2020): a plain MLP on
2-D points learns sharp, narrow modes slowly, while sines of many frequencies
let it draw them in a few thousand steps.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ganbook.nets.protocol import n_classes_of


def fourier_frequencies(in_dim: int, features: int, scale: float, seed: int = 0) -> np.ndarray:
    """The critic's fixed frequencies: float32 (in_dim, features), entries N(0, scale^2).

    Drawn with NumPy so that both backends' critics share them for the same seed.
    """
    if not (scale > 0 and features >= 1 and in_dim >= 1):
        raise ValueError(f"need in_dim >= 1, features >= 1 and scale > 0, got {in_dim}, {features}, {scale}")
    return (scale * np.random.default_rng(seed).standard_normal((in_dim, features))).astype(np.float32)


def check_flat(x) -> np.ndarray:
    """x as float32 (N, d), N >= 1, or a ValueError saying what the critic takes."""
    x = np.asarray(x, np.float32)
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"the critic takes flat data (N, d) with N >= 1, got shape {x.shape}; "
                         f"it is meant for the 2-D mixtures, not images")
    return x


def check_fit(G, x, steps) -> np.ndarray:
    """fit_critic's arguments checked (an unconditional G, steps >= 1, flat x): x as check_flat gives it."""
    if n_classes_of(G):
        raise ValueError("fit_critic takes an unconditional generator; this one is conditional")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    return check_flat(x)


def acceptance(log_ratio: np.ndarray, threshold: float) -> np.ndarray:
    """Acceptance probabilities min(1, exp(log_ratio - threshold)), (m,) -> (m,) in [0, 1]."""
    return np.exp(np.minimum(np.asarray(log_ratio, np.float64) - threshold, 0.0))


def accept_reject(draw: Callable[[int, int], np.ndarray], log_ratio: Callable[[np.ndarray], np.ndarray],
                  n: int, seed: int = 0, quantile: float = 0.99, pool: int = 10_000,
                  max_draws: int | None = None) -> tuple[np.ndarray, float]:
    """n samples of `draw`, each kept with probability acceptance(log_ratio(x), M).

    Args:
        draw: draw(m, seed) -> m candidates (m, ...), e.g. a generator's samples.
        log_ratio: log_ratio(x) -> (m,) the critic's logits, log p_data / p_G.
        n: samples to return.
        seed: seeds the candidates (pool k uses seed + k) and the accept draws.
        quantile: M is this quantile of log_ratio over the first pool (in (0, 1];
            1 is the maximum, exact where the critic is, but keeps fewest).
        pool: candidates drawn per round.
        max_draws: give up after this many candidates (default 1,000 * n + pool).
    Returns (samples (n, ...) in the order drawn, acceptance rate over all candidates).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer number of samples, got {n!r}")
    if not 0.0 < quantile <= 1.0:
        raise ValueError(f"quantile must be in (0, 1], got {quantile!r}; 0.99 keeps ~1 in 50 to 1 in 5")
    max_draws = 1000 * n + pool if max_draws is None else max_draws
    rng = np.random.default_rng([seed, 1])  # not default_rng(seed): that stream drew the first pool's codes
    kept, n_kept, drawn, threshold = [], 0, 0, None
    while n_kept < n:
        if drawn >= max_draws:
            raise RuntimeError(
                f"rejection sampling kept {n_kept} of {drawn} candidates, short of n={n}: the critic "
                f"rejects nearly everything. Lower `quantile`, raise `max_draws`, or check that the "
                f"critic was trained against this generator.")
        x = draw(pool, seed + drawn // pool)
        logits = np.asarray(log_ratio(x), np.float64).reshape(-1)
        if len(logits) != len(x) or not np.all(np.isfinite(logits)):
            raise ValueError("log_ratio must return one finite logit per candidate")
        if threshold is None:
            threshold = float(np.quantile(logits, quantile))
        keep = rng.random(len(x)) < acceptance(logits, threshold)
        kept.append(x[keep])
        n_kept += int(keep.sum())
        drawn += len(x)
    return np.concatenate(kept)[:n], n_kept / drawn


def rejection_sample(G, critic, n: int, seed: int = 0, quantile: float = 0.99, *,
                     sample: Callable, critic_logits: Callable) -> tuple[np.ndarray, float]:
    """n samples of G kept by the critic's density ratio: `accept_reject` with candidates
    sample(G, m, seed=s) and log ratios critic_logits(critic, x), a backend's functions.

    Returns (samples float32 (n, d) in the order drawn, acceptance rate).
    """
    return accept_reject(lambda m, s: sample(G, m, seed=s), lambda x: critic_logits(critic, x),
                         n, seed=seed, quantile=quantile)
