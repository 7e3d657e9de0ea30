"""The minimax theory on 1-D densities, by quadrature (framework-free; chapter 2).

`p` and `q` are frozen scipy.stats distributions (e.g. `scipy.stats.norm(2, 0.5)`)
standing for p_data and p_g. Everything works with log densities, so it stays
accurate in the tails where both densities underflow.
"""
from __future__ import annotations

import numpy as np
from scipy import integrate
from scipy.special import expit


def d_star(x, p, q) -> np.ndarray:
    """The optimal discriminator p / (p + q) at x, as sigmoid(log p - log q); values in [0, 1]."""
    return expit(p.logpdf(x) - q.logpdf(x))


def integral(f, p, q) -> float:
    """The integral of f over the line, where either density has mass (+-12 std)."""
    lo = min(p.mean() - 12 * p.std(), q.mean() - 12 * q.std())
    hi = max(p.mean() + 12 * p.std(), q.mean() + 12 * q.std())
    return integrate.quad(f, lo, hi, points=[p.mean(), q.mean()], limit=200)[0]


def value_at_optimum(p, q) -> float:
    """C(G) = V(D*, G) for p_data = p, p_g = q; in [-log 4, 0]."""
    def integrand(x):
        log_p, log_q = p.logpdf(x), q.logpdf(x)
        log_sum = np.logaddexp(log_p, log_q)              # log(p + q)
        return np.exp(log_p) * (log_p - log_sum) + np.exp(log_q) * (log_q - log_sum)
    return integral(integrand, p, q)


def jsd(p, q) -> float:
    """Jensen-Shannon divergence JSD(p || q) from its definition; in [0, log 2]."""
    def kl_to_mixture(a, b):                              # KL(a || (a + b) / 2)
        def integrand(x):
            log_a, log_m = a.logpdf(x), np.logaddexp(a.logpdf(x), b.logpdf(x)) - np.log(2)
            return np.exp(log_a) * (log_a - log_m)
        return integral(integrand, a, b)
    return 0.5 * kl_to_mixture(p, q) + 0.5 * kl_to_mixture(q, p)
