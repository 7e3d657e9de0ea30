"""ganbook.studies.objectives: each reference value against an independent computation
(closed forms, brute-force optimisation, Monte Carlo, finite differences)."""
import numpy as np
import pytest
from scipy import optimize, stats

from ganbook.studies import objectives as ob
from ganbook.studies import theory

P, Q = stats.norm(1, 1), stats.norm(0, 1.5)  # Pearson chi^2(P || Q) is finite: 2 * 1.5^2 > 1


def test_f_divergences_match_closed_forms():
    assert ob.f_divergence("kl", P, Q) == pytest.approx(ob.gaussian_kl(1, 1, 0, 1.5), abs=1e-9)
    assert ob.f_divergence("reverse_kl", P, Q) == pytest.approx(ob.gaussian_kl(0, 1.5, 1, 1), abs=1e-9)
    assert ob.f_divergence("pearson", P, Q) == pytest.approx(ob.gaussian_pearson(1, 1, 0, 1.5), abs=1e-9)
    assert ob.f_divergence("gan", P, Q) == pytest.approx(2 * theory.jsd(P, Q) - np.log(4), abs=1e-9)
    same_sd = stats.norm(0, 1), stats.norm(1.3, 1)
    assert ob.f_divergence("tv", *same_sd) == pytest.approx(ob.gaussian_tv(0, 1.3, 1), abs=1e-7)
    assert ob.total_variation(*same_sd) == pytest.approx(ob.gaussian_tv(0, 1.3, 1), abs=1e-7)


def test_gaussian_closed_forms_against_monte_carlo():
    x = np.random.default_rng(0).normal(1, 1, 2_000_000)  # draws from P
    ratio = np.exp(P.logpdf(x) - Q.logpdf(x))
    assert np.log(ratio).mean() == pytest.approx(ob.gaussian_kl(1, 1, 0, 1.5), abs=5e-3)
    # Pearson chi^2 = E_P[p/q] - 1
    assert ratio.mean() - 1 == pytest.approx(ob.gaussian_pearson(1, 1, 0, 1.5), abs=1e-2)
    assert ob.gaussian_pearson(0, 1, 0, 0.5) == np.inf


@pytest.mark.parametrize("name", sorted(ob.F_DIVERGENCES))
def test_conjugate_is_the_supremum(name):
    """f*(t) = sup_u (u t - f(u)), by a bounded scalar search over u."""
    div = ob.F_DIVERGENCES[name]
    for u0 in (0.2, 0.7, 1.0, 1.8, 3.5):
        # t = f'(u0) lies in f*'s domain (for TV, away from u0 = 1 where f' jumps)
        t = float(div.t_star(np.log(u0))) if not (name == "tv" and u0 == 1.0) else 0.3
        found = optimize.minimize_scalar(lambda u: -(u * t - div.f(u)), bounds=(1e-9, 50),
                                         method="bounded", options={"xatol": 1e-10})
        sup = max(-found.fun, -div.f(1e-12) if name == "tv" else -np.inf)  # TV: the sup may sit at u = 0
        assert float(div.conjugate(t)) == pytest.approx(sup, abs=1e-6), (name, u0)


@pytest.mark.parametrize("name", sorted(ob.F_DIVERGENCES))
def test_t_star_is_the_derivative_of_f(name):
    div = ob.F_DIVERGENCES[name]
    u = np.array([0.3, 0.8, 1.5, 4.0])
    h = 1e-6
    numeric = (div.f(u + h) - div.f(u - h)) / (2 * h)
    np.testing.assert_allclose(div.t_star(np.log(u)), numeric, rtol=1e-6, atol=1e-8)
    # Fenchel-Young with equality at t = f'(u): f*(t) = u t - f(u)
    t = div.t_star(np.log(u))
    np.testing.assert_allclose(div.conjugate(t), u * t - div.f(u), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(ob.F_DIVERGENCES))
def test_activation_lands_in_the_conjugates_domain(name):
    div = ob.F_DIVERGENCES[name]
    v = np.linspace(-8, 8, 101)
    assert np.isfinite(div.conjugate(div.activation(v))).all()
    if name in ("reverse_kl", "gan"):
        assert np.isnan(div.conjugate(np.array([0.5]))).all()


@pytest.mark.parametrize("name", sorted(ob.F_DIVERGENCES))
def test_variational_bound_is_tight_at_t_star_only(name):
    x = np.linspace(-15, 15, 200_001)
    log_p, log_q = P.logpdf(x), Q.logpdf(x)
    div = ob.F_DIVERGENCES[name]
    t_star = div.t_star(log_p - log_q)
    exact = ob.f_divergence(name, P, Q)
    assert ob.variational_bound(name, t_star, np.exp(log_p), np.exp(log_q), x) == pytest.approx(exact, abs=1e-6)
    worse = [0.7 * t_star] + ([] if name == "tv" else [t_star + 0.05 * np.tanh(x)])  # TV: stay in |t| <= 1/2
    for t in worse:
        assert ob.variational_bound(name, t, np.exp(log_p), np.exp(log_q), x) < exact - 1e-4


def test_lsgan_d_star_minimises_the_pointwise_loss():
    rng = np.random.default_rng(1)
    pd, qd = rng.uniform(0.01, 2, 50), rng.uniform(0.01, 2, 50)
    d = np.linspace(-3, 3, 60_001)[:, None]  # candidate values of D, (K, 1)
    for a, b in ((-1.0, 1.0), (0.0, 1.0)):
        loss = 0.5 * pd * (d - b) ** 2 + 0.5 * qd * (d - a) ** 2  # (K, 50)
        np.testing.assert_allclose(d[loss.argmin(0), 0], ob.lsgan_d_star(pd, qd, a, b), atol=1e-4)


def test_lsgan_criterion_is_half_the_triangular_discrimination():
    direct = theory.integral(lambda x: (P.pdf(x) - Q.pdf(x)) ** 2 / (P.pdf(x) + Q.pdf(x)), P, Q)
    assert ob.triangular_discrimination(P, Q) == pytest.approx(direct, abs=1e-10)
    assert 2 * ob.lsgan_criterion(P, Q, -1, 1, 0) == pytest.approx(direct, abs=1e-9)
    # any coding with b - c = 1 and b - a = 2 gives the same criterion (Mao et al.)
    assert 2 * ob.lsgan_criterion(P, Q, -0.5, 1.5, 0.5) == pytest.approx(direct, abs=1e-9)
    # the 0-1 coding of ganbook's losses (a=0, b=1, c=1) does not
    assert abs(2 * ob.lsgan_criterion(P, Q, 0, 1, 1) - direct) > 0.1
    assert ob.triangular_discrimination(P, P) == pytest.approx(0, abs=1e-12)


def test_hinge_d_star_minimises_the_pointwise_loss():
    rng = np.random.default_rng(2)
    pd, qd = rng.uniform(0.01, 2, 50), rng.uniform(0.01, 2, 50)
    d = np.linspace(-3, 3, 6001)[:, None]
    loss = pd * np.maximum(0, 1 - d) + qd * np.maximum(0, 1 + d)
    np.testing.assert_allclose(d[loss.argmin(0), 0], ob.hinge_d_star(pd, qd), atol=1e-9)


def test_parallel_lines():
    assert ob.parallel_lines(0.0) == {"jsd": 0.0, "kl": 0.0, "tv": 0.0, "w1": 0.0}
    far = ob.parallel_lines(-0.3)
    assert far["jsd"] == pytest.approx(np.log(2)) and far["kl"] == np.inf and far["w1"] == pytest.approx(0.3)
    # W1 of the x coordinates of samples: every point moves by theta
    assert stats.wasserstein_distance(np.zeros(100), np.full(100, 0.3)) == pytest.approx(far["w1"])
    # the JSD of the lines blurred by N(0, s^2) across them reaches log 2 once theta >> s
    assert theory.jsd(stats.norm(0, 0.01), stats.norm(0.3, 0.01)) == pytest.approx(np.log(2), abs=1e-9)


def test_wasserstein_1d():
    assert ob.wasserstein_1d(stats.norm(0, 1), stats.norm(2, 1)) == pytest.approx(2, abs=1e-8)
    # equal means: W1 = |sd_p - sd_q| E|Z| = |sd_p - sd_q| sqrt(2 / pi)
    assert ob.wasserstein_1d(stats.norm(0, 1), stats.norm(0, 2)) == pytest.approx(np.sqrt(2 / np.pi), abs=1e-7)
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 200_000), rng.normal(0.5, 2, 200_000)
    assert ob.wasserstein_1d(stats.norm(0, 1), stats.norm(0.5, 2)) == pytest.approx(
        stats.wasserstein_distance(a, b), abs=0.01)


def test_interpolate_density_against_monte_carlo():
    p, q = stats.norm(0, 1), stats.norm(2, 0.5)
    rng = np.random.default_rng(4)
    n = 1_000_000
    e = rng.uniform(size=n)
    x_hat = e * rng.normal(0, 1, n) + (1 - e) * rng.normal(2, 0.5, n)
    counts, edges = np.histogram(x_hat, bins=60, range=(-3, 4))
    mid, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    np.testing.assert_allclose(counts / (n * width), ob.interpolate_density(mid, p, q), atol=0.01)
    grid = np.linspace(-10, 12, 20_001)
    assert np.trapezoid(ob.interpolate_density(grid, p, q), grid) == pytest.approx(1, abs=1e-6)


def test_gp_critic_optimum_against_brute_force():
    """The penalised objective is a sum over x of s g - weight rho (|s| - 1)^2 in the critic's
    slope s = f'(x): search s on a fine grid at every x, and integrate."""
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    x = np.linspace(-7, 9, 801)
    gap = q.cdf(x) - p.cdf(x)                      # E_p f - E_q f = integral of f' gap
    rho = ob.interpolate_density(x, p, q)
    s = np.linspace(-4, 4, 16_001)[:, None]        # candidate slopes (K, 1)
    for weight in (1.0, 10.0):
        best = s[(s * gap - weight * rho * (np.abs(s) - 1) ** 2).argmax(0), 0]  # (801,)
        optimum = ob.gp_critic_optimum(p, q, weight)
        assert optimum["estimate"] == pytest.approx(np.trapezoid(best * gap, x), abs=2e-3)
        assert optimum["penalty"] == pytest.approx(np.trapezoid(weight * rho * (np.abs(best) - 1) ** 2, x),
                                                   abs=2e-3)
        inner = np.abs(x - 1) < 2.5                # where the slope stays inside the search grid
        np.testing.assert_allclose(optimum["slope"](x[inner]), np.abs(best[inner]), atol=1e-3)
    assert ob.gp_critic_optimum(p, q, 1e4)["estimate"] == pytest.approx(2, abs=1e-3)


def test_dirac_jacobian_and_eigenvalues():
    h = 1e-6
    for gamma in (0.0, 0.3, 1.0, 2.5):
        numeric = np.stack([(ob.dirac_field(h, 0.0, gamma) - ob.dirac_field(-h, 0.0, gamma)) / (2 * h),
                            (ob.dirac_field(0.0, h, gamma) - ob.dirac_field(0.0, -h, gamma)) / (2 * h)], axis=1)
        np.testing.assert_allclose(ob.dirac_jacobian(gamma), numeric, atol=1e-8)
        eig = np.sort_complex(np.linalg.eigvals(ob.dirac_jacobian(gamma)))
        np.testing.assert_allclose(eig, np.sort_complex(ob.dirac_eigenvalues(gamma)), atol=1e-7)
    np.testing.assert_allclose(ob.dirac_eigenvalues(0.0), [0.5j, -0.5j])


def test_simultaneous_growth_is_the_linearised_step():
    for gamma, lr in ((0.0, 0.1), (0.5, 0.1), (2.0, 0.2)):  # not gamma = 1: a double eigenvalue
        step = np.eye(2) + lr * ob.dirac_jacobian(gamma)
        v = np.array([1.0, 1.0])
        for _ in range(2000):
            v = step @ v
        rate = np.linalg.norm(v) ** (1 / 2000)
        assert rate == pytest.approx(ob.simultaneous_growth(gamma, lr), rel=2e-3)
    assert ob.simultaneous_growth(0.0, 0.1) > 1 > ob.simultaneous_growth(1.0, 0.1)


def test_simultaneous_steps_converge_below_the_step_size_bound():
    """With 0 < gamma < 2 |f'(0)|, steps converge locally iff h < gamma / f'(0)^2 (4 gamma here)."""
    for gamma in (0.25, 0.5, 0.9):
        h_max = gamma / 0.5 ** 2
        assert ob.simultaneous_growth(gamma, 0.98 * h_max) < 1 < ob.simultaneous_growth(gamma, 1.02 * h_max)
