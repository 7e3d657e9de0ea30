"""The objectives of chapter 7, framework-free: the reference values its notebooks check against.

Densities are frozen scipy.stats distributions (e.g. `scipy.stats.norm(1, 1)`),
`p` standing for the data (or P) and `q` for the generator (or Q); integrals are
adaptive quadrature over where either has mass (`ganbook.studies.theory.integral`).
Everything is NumPy/SciPy, so both notebooks compare their own framework's numbers
with the same values.

- f-divergences (Nowozin et al. 2016): the f-GAN table `F_DIVERGENCES`, D_f by
  quadrature, and the variational bound E_P[T] - E_Q[f*(T)] of a critic T on a grid;
- least squares (Mao et al. 2017): the optimal D and the generator's criterion at it;
- hinge: the optimal D, sign(p - q), and the total variation it measures;
- Wasserstein: the parallel lines of Arjovsky et al. (2017), W1 in 1-D, and the
  optimum of the gradient-penalised critic between two 1-D normals;
- the Dirac-GAN (Mescheder et al. 2018): the Jacobian of its gradient field at the
  equilibrium, with the R1 penalty or without, and its eigenvalues.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import integrate, stats
from scipy.special import expit, log_expit, xlogy

from ganbook.studies.theory import integral

# ---- f-divergences ------------------------------------------------------------


@dataclass(frozen=True)
class FDivergence:
    """One row of the f-GAN table. D_f(P || Q) = E_Q[f(p/q)] for a convex f with f(1) = 0.

    f(u): the generator function, u = p/q >= 0.
    conjugate(t): f*(t) = sup_u (u t - f(u)), on the domain of f* (nan outside it).
    t_star(r): the optimal critic T*(x) = f'(p(x)/q(x)), as a function of the log
        ratio r = log p(x) - log q(x) (stable where both densities underflow).
    activation(v): the output activation g_f of the f-GAN paper, mapping a network's
        raw output v (any real) into the domain of f*.
    """
    name: str
    f: Callable
    conjugate: Callable
    t_star: Callable
    activation: Callable


def _on(t, inside, value_fn):
    """value_fn(t) where `inside` holds, nan elsewhere (outside the conjugate's domain)."""
    t = np.asarray(t, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return np.where(inside(t), value_fn(t), np.nan)


def _softplus(v):
    return np.logaddexp(0.0, v)


def _kl_conjugate(t):
    return np.exp(np.asarray(t, float) - 1.0)


def _reverse_kl_conjugate(t):
    return _on(t, lambda t: t < 0, lambda t: -1.0 - np.log(-t))


def _gan_conjugate(t):
    return _on(t, lambda t: t < 0, lambda t: -np.log(-np.expm1(t)))


def _tv_conjugate(t):
    return _on(t, lambda t: np.abs(t) <= 0.5, lambda t: t)


F_DIVERGENCES = {
    # KL(P || Q): f(u) = u log u; f*(t) = exp(t - 1).
    "kl": FDivergence("KL", lambda u: xlogy(u, u), _kl_conjugate, lambda r: 1.0 + r, lambda v: v),
    # KL(Q || P), the reverse KL: f(u) = -log u; f*(t) = -1 - log(-t) for t < 0.
    "reverse_kl": FDivergence("reverse KL", lambda u: -np.log(u), _reverse_kl_conjugate,
                              lambda r: -np.exp(-r), lambda v: -np.exp(-v)),
    # Pearson chi^2: f(u) = (u - 1)^2; f*(t) = t^2/4 + t.
    "pearson": FDivergence("Pearson chi^2", lambda u: (u - 1.0) ** 2, lambda t: t * t / 4.0 + t,
                           lambda r: 2.0 * np.expm1(r), lambda v: v),
    # The GAN divergence 2 JSD - log 4: f(u) = u log u - (u + 1) log(u + 1); f*(t) = -log(1 - e^t), t < 0.
    "gan": FDivergence("GAN (2 JSD - log 4)", lambda u: xlogy(u, u) - xlogy(u + 1.0, u + 1.0),
                       _gan_conjugate, lambda r: log_expit(r), lambda v: -_softplus(-v)),
    # Total variation: f(u) = |u - 1| / 2; f*(t) = t for |t| <= 1/2.
    "tv": FDivergence("total variation", lambda u: 0.5 * np.abs(u - 1.0), _tv_conjugate,
                      lambda r: 0.5 * np.sign(r), lambda v: 0.5 * np.tanh(v)),
}


def _divergence(name: str) -> FDivergence:
    if name not in F_DIVERGENCES:
        raise ValueError(f"unknown f-divergence {name!r}; choose one of {sorted(F_DIVERGENCES)}")
    return F_DIVERGENCES[name]


def f_divergence(name: str, p, q) -> float:
    """D_f(p || q) = integral of q f(p / q) for the f-divergence `name` (a key of F_DIVERGENCES)."""
    div = _divergence(name)

    def integrand(x):
        log_p, log_q = p.logpdf(x), q.logpdf(x)
        return np.exp(log_q) * div.f(np.exp(log_p - log_q))
    return integral(integrand, p, q)


def variational_bound(name: str, t, p_density, q_density, x) -> float:
    """E_P[T] - E_Q[f*(T)] by the trapezoidal rule on the grid x, for critic values t = T(x).

    p_density, q_density: the two densities on the grid. At t = T* (F_DIVERGENCES[name].t_star
    of the log ratio) the bound equals D_f up to the grid's error; any other T gives less.
    nan if t leaves the conjugate's domain where q > 0.
    """
    div = _divergence(name)
    t, p_density, q_density = (np.asarray(a, dtype=float) for a in (t, p_density, q_density))
    f_star = div.conjugate(t)
    integrand = p_density * t - np.where(q_density > 0, q_density * f_star, 0.0)
    return float(integrate.trapezoid(integrand, x))


def gaussian_kl(mu_p: float, sd_p: float, mu_q: float, sd_q: float) -> float:
    """KL(N(mu_p, sd_p^2) || N(mu_q, sd_q^2)), closed form."""
    return float(np.log(sd_q / sd_p) + (sd_p ** 2 + (mu_p - mu_q) ** 2) / (2 * sd_q ** 2) - 0.5)


def gaussian_pearson(mu_p: float, sd_p: float, mu_q: float, sd_q: float) -> float:
    """Pearson chi^2(N(mu_p, sd_p^2) || N(mu_q, sd_q^2)) = integral of (p - q)^2 / q, closed form;
    infinite unless 2 sd_q^2 > sd_p^2."""
    s2 = 2 * sd_q ** 2 - sd_p ** 2
    if s2 <= 0:
        return float("inf")
    return float(sd_q ** 2 / (sd_p * np.sqrt(s2)) * np.exp((mu_p - mu_q) ** 2 / s2) - 1.0)


# ---- least squares and hinge ----------------------------------------------------


def lsgan_d_star(p_density, q_density, a: float = -1.0, b: float = 1.0):
    """The LSGAN optimal D = (b p + a q) / (p + q): D's targets are b on data, a on fakes.
    (ganbook's `lsgan` losses use a = 0, b = 1.)"""
    p_density, q_density = np.asarray(p_density, float), np.asarray(q_density, float)
    return (b * p_density + a * q_density) / (p_density + q_density)


def lsgan_criterion(p, q, a: float = -1.0, b: float = 1.0, c: float = 0.0) -> float:
    """The LSGAN generator's criterion at the optimal D, by quadrature:
    C = 1/2 E_p[(D* - c)^2] + 1/2 E_q[(D* - c)^2] (the data term included, as Mao et al. write it)."""
    def integrand(x):
        pd, qd = p.pdf(x), q.pdf(x)
        total = pd + qd
        d = np.divide(b * pd + a * qd, total, out=np.full_like(total, c), where=total > 0)
        return 0.5 * total * (d - c) ** 2
    return integral(integrand, p, q)


def triangular_discrimination(p, q) -> float:
    """The integral of (p - q)^2 / (p + q): Pearson chi^2 of the measure 2q against p + q
    (the integral of (2q - (p + q))^2 / (p + q)); 2 x the LSGAN criterion at a=-1, b=1, c=0.
    In [0, 2]."""
    def integrand(x):
        pd, qd = p.pdf(x), q.pdf(x)
        total = pd + qd
        return np.divide((pd - qd) ** 2, total, out=np.zeros_like(total), where=total > 0)
    return integral(integrand, p, q)


def hinge_d_star(p_density, q_density):
    """The hinge loss's optimal D = sign(p - q) in {-1, 0, 1} (0 where p = q: any D in [-1, 1] is optimal)."""
    return np.sign(np.asarray(p_density, float) - np.asarray(q_density, float))


def total_variation(p, q) -> float:
    """TV(p, q) = 1/2 integral of |p - q|, in [0, 1], by quadrature."""
    return integral(lambda x: 0.5 * np.abs(p.pdf(x) - q.pdf(x)), p, q)


def gaussian_tv(mu_p: float, mu_q: float, sd: float) -> float:
    """TV between two normals of one standard deviation: 2 Phi(|mu_p - mu_q| / (2 sd)) - 1."""
    return float(2 * stats.norm.cdf(abs(mu_p - mu_q) / (2 * sd)) - 1)


# ---- Wasserstein ---------------------------------------------------------------


def parallel_lines(theta: float) -> dict:
    """The divergences between P_0 and P_theta, P_theta the law of (theta, Z), Z ~ U[0, 1]
    (Arjovsky et al. 2017, example 1): JSD, KL, TV jump at theta = 0, W1 = |theta|."""
    apart = theta != 0
    return {"jsd": float(np.log(2)) if apart else 0.0, "kl": float("inf") if apart else 0.0,
            "tv": 1.0 if apart else 0.0, "w1": float(abs(theta))}


def wasserstein_1d(p, q) -> float:
    """W1(p, q) = integral of |F_p - F_q| over the line, by quadrature (the 1-D closed form of W1)."""
    return integral(lambda x: np.abs(p.cdf(x) - q.cdf(x)), p, q)


def interpolate_density(x, p, q, nodes: int = 200) -> np.ndarray:
    """Density at x of x_hat = e X + (1 - e) Y with X ~ p, Y ~ q normal, e ~ U(0, 1), all
    independent: the points where WGAN-GP's penalty is taken. (Gauss-Legendre over e.)"""
    e, w = np.polynomial.legendre.leggauss(nodes)
    e, w = (e + 1) / 2, w / 2  # nodes and weights on [0, 1]
    x = np.asarray(x, float)[..., None]
    mean = e * p.mean() + (1 - e) * q.mean()
    sd = np.sqrt((e * p.std()) ** 2 + ((1 - e) * q.std()) ** 2)
    return (w * np.exp(-0.5 * ((x - mean) / sd) ** 2) / (np.sqrt(2 * np.pi) * sd)).sum(-1)


def gp_critic_optimum(p, q, weight: float = 10.0, points: int = 20_001) -> dict:
    """The best critic f of WGAN-GP between two 1-D normals, over all functions.

    f maximises E_p f - E_q f - weight E_xhat (|f'(xhat)| - 1)^2. In 1-D the first part is
    the integral of f' g with g = F_q - F_p, so f' is chosen pointwise: |f'| = 1 + |g| / (2 weight rho),
    rho = interpolate_density. Returns {"estimate": E_p f - E_q f = W1 + integral g^2 / (2 weight rho),
    "penalty": weight E (|f'| - 1)^2, "w1": W1, "slope": the function x -> |f'(x)|}:
    the penalised critic overestimates W1, most where rho is thin. Integrals by Simpson's
    rule on `points` points over +-12 standard deviations.
    """
    def gap(x):
        return q.cdf(x) - p.cdf(x)

    def slope(x):
        return 1 + np.abs(gap(x)) / (2 * weight * interpolate_density(x, p, q))

    lo = min(p.mean() - 12 * p.std(), q.mean() - 12 * q.std())
    hi = max(p.mean() + 12 * p.std(), q.mean() + 12 * q.std())
    x = np.linspace(lo, hi, points)
    g, rho = gap(x), interpolate_density(x, p, q)
    w1 = integrate.simpson(np.abs(g), x=x)
    extra = integrate.simpson(np.divide(g ** 2, 2 * weight * rho, out=np.zeros_like(rho), where=rho > 0), x=x)
    return {"estimate": w1 + extra, "penalty": extra / 2, "w1": w1, "slope": slope}


# ---- the Dirac-GAN --------------------------------------------------------------


def dirac_field(theta, psi, gamma: float = 0.0):
    """The Dirac-GAN's gradient field (theta', psi') = (-dL_G/dtheta, -dL_D/dpsi) with ganbook's
    losses: data at 0, G = theta, D(x) = psi x, L_D = d_loss_bce + gamma/2 R1, L_G = g_loss_minimax.
    With f(t) = -log(1 + e^t), f'(t) = -sigma(t): theta' = -psi f'(psi theta),
    psi' = theta f'(psi theta) - gamma psi (the theory page's ob-dirac-r1)."""
    s = expit(np.multiply(psi, theta))
    return np.stack([psi * s, -theta * s - gamma * psi])


def dirac_jacobian(gamma: float = 0.0, fprime0: float = -0.5) -> np.ndarray:
    """The Jacobian of the Dirac-GAN's field at the equilibrium (theta, psi) = (0, 0), rows and
    columns in the order (theta, psi): [[0, -f'(0)], [f'(0), -gamma]], f'(0) = -1/2 for the
    standard loss."""
    return np.array([[0.0, -fprime0], [fprime0, -gamma]])


def dirac_eigenvalues(gamma: float = 0.0, fprime0: float = -0.5) -> np.ndarray:
    """The Jacobian's eigenvalues in closed form, (-gamma +- sqrt(gamma^2 - 4 f'(0)^2)) / 2,
    complex (2,), the + root first: +-i |f'(0)| without R1 (gamma = 0)."""
    root = np.sqrt(complex(gamma ** 2 - 4 * fprime0 ** 2))
    return np.array([(-gamma + root) / 2, (-gamma - root) / 2])


def simultaneous_growth(gamma: float, lr: float, fprime0: float = -0.5) -> float:
    """How much one simultaneous gradient step of size lr multiplies the distance to the
    equilibrium, near it: the spectral radius max |1 + lr lambda| of I + lr J."""
    return float(np.abs(1 + lr * dirac_eigenvalues(gamma, fprime0)).max())
