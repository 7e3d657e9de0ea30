"""ganbook.eval.metrics: closed forms, hand-worked cases and input validation."""
import math

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from ganbook.eval import metrics
from ganbook.eval.metrics import (
    class_coverage,
    classifier_score,
    frechet_distance,
    frechet_distance_from_moments,
    kid,
    kl_from_uniform,
    mode_coverage,
    precision_recall,
)


def normal(n, d, seed=0, loc=0.0):
    return np.random.default_rng(seed).normal(loc, 1.0, size=(n, d))


# --------------------------------------------------------------------------- #
# Frechet distance


def test_frechet_matches_closed_form_for_diagonal_gaussians():
    rng = np.random.default_rng(0)
    mu_a, var_a = np.zeros(3), np.array([1.0, 4.0, 9.0])
    mu_b, var_b = np.array([1.0, 2.0, 0.0]), np.array([4.0, 1.0, 1.0])
    expected = ((mu_a - mu_b) ** 2).sum() + ((np.sqrt(var_a) - np.sqrt(var_b)) ** 2).sum()
    assert expected == pytest.approx(11.0)
    a = rng.normal(mu_a, np.sqrt(var_a), size=(200_000, 3))
    b = rng.normal(mu_b, np.sqrt(var_b), size=(200_000, 3))
    assert frechet_distance(a, b) == pytest.approx(expected, rel=0.02)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-6)


def test_frechet_from_moments_exact():
    mu1, mu2 = np.array([0.0, 1.0]), np.array([3.0, -3.0])
    var1, var2 = np.array([1.0, 9.0]), np.array([4.0, 1.0])
    got = frechet_distance_from_moments(mu1, np.diag(var1), mu2, np.diag(var2))
    assert got == pytest.approx(25 + 1 + 4, abs=1e-9)
    # A full covariance against a scaled copy: tr(A) (1 - sqrt(c))^2.
    m = normal(6, 6, seed=1)
    cov = m @ m.T + np.eye(6)
    got = frechet_distance_from_moments(np.zeros(6), cov, np.zeros(6), 4 * cov)
    assert got == pytest.approx(np.trace(cov) * (1 - 2) ** 2, rel=1e-9)
    assert frechet_distance_from_moments(mu1, cov[:2, :2], mu2, cov[:2, :2]) == pytest.approx(25)


def test_frechet_of_a_set_with_itself_is_zero():
    a = normal(1000, 8)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    assert frechet_distance(a, normal(1000, 8, seed=1)) < 0.2
    assert frechet_distance(a, normal(1000, 8, seed=1, loc=1.0)) > 7


@pytest.mark.parametrize("n, d, rank", [(300, 32, 4), (10, 64, 64)])
def test_frechet_with_rank_deficient_features_is_finite(n, d, rank):
    proj = normal(rank, d, seed=2)
    a, b = normal(n, rank, seed=3) @ proj, normal(n, rank, seed=4) @ proj + 0.1
    fd = frechet_distance(a, b)
    assert math.isfinite(fd) and fd >= 0
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-3)


def test_frechet_retries_with_eps_then_raises(monkeypatch):
    real_sqrtm, calls = metrics._sqrtm, []

    def nan_first(m):
        calls.append(m)
        return np.full_like(m, np.nan) if len(calls) == 1 else real_sqrtm(m)

    a, b = normal(500, 4), normal(500, 4, seed=1)
    expected = frechet_distance(a, b)
    monkeypatch.setattr(metrics, "_sqrtm", nan_first)
    assert frechet_distance(a, b) == pytest.approx(expected, abs=1e-4)
    assert len(calls) == 2
    monkeypatch.setattr(metrics, "_sqrtm", lambda m: real_sqrtm(m) + 0.5j)
    with pytest.raises(ValueError, match="covariances are ill-conditioned"):
        frechet_distance(a, b)
    # A tiny imaginary part (round-off) is discarded.
    monkeypatch.setattr(metrics, "_sqrtm", lambda m: real_sqrtm(m) + 1e-9j)
    assert frechet_distance(a, b) == pytest.approx(expected)


def test_frechet_bad_input():
    a = normal(10, 3)
    with pytest.raises(ValueError, match=r"feats_a must be a 2-D array \(n, d\), got shape \(10,\)"):
        frechet_distance(a[:, 0], a)
    with pytest.raises(ValueError, match="feats_b needs at least 2 rows to estimate a covariance, got 1"):
        frechet_distance(a, a[:1])
    with pytest.raises(ValueError, match="feats_a has 3 feature dims but feats_b has 2; both must"):
        frechet_distance(a, a[:, :2])
    bad = a.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"feats_b contains NaN or Inf \(1 values\)"):
        frechet_distance(a, bad)
    with pytest.raises(ValueError, match=r"sigma2 must have shape \(2, 2\)"):
        frechet_distance_from_moments(np.zeros(2), np.eye(2), np.zeros(2), np.eye(3))
    with pytest.raises(ValueError, match="mu1 must be a 1-D mean vector"):
        frechet_distance_from_moments(np.zeros((2, 2)), np.eye(2), np.zeros(2), np.eye(2))


# --------------------------------------------------------------------------- #
# KID


def direct_unbiased_mmd2(x, y):
    m, d = x.shape
    k = lambda u, v: (u @ v / d + 1) ** 3
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j)
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j)
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m))
    return xx / (m * (m - 1)) + yy / (m * (m - 1)) - 2 * xy / m**2


def test_kid_hand_computed():
    # k(x, y) = (xy + 1)^3 in 1-D: within x = k(1, 2) = 27, within y = k(0, 1) = 1,
    # cross = (1 + 8 + 1 + 27) / 4 = 9.25, so MMD^2 = 27 + 1 - 2 * 9.25 = 9.5.
    mean, std = kid([[1.0], [2.0]], [[0.0], [1.0]], subsets=1)
    assert mean == pytest.approx(9.5) and std == 0.0


def test_kid_matches_direct_formula_when_subsets_are_whole_sets():
    x, y = normal(12, 5), normal(12, 5, seed=1, loc=0.3)
    mean, std = kid(x, y, subsets=3, subset_size=50)
    assert mean == pytest.approx(direct_unbiased_mmd2(x, y), rel=1e-10)
    assert std == pytest.approx(0.0, abs=1e-12)  # every subset is a permutation


def test_kid_same_vs_shifted_distribution():
    a, b = normal(2000, 16), normal(2000, 16, seed=1)
    same, same_std = kid(a, b, subsets=20, subset_size=400)
    self_mean, _ = kid(a, a, subsets=20, subset_size=400)
    shifted, shifted_std = kid(a, b + 0.5, subsets=20, subset_size=400)
    assert abs(same) < 0.02 and abs(self_mean) < 0.02
    assert shifted > 0.5 and shifted > 20 * abs(same)
    assert 0 < same_std < 0.05 and shifted_std > 0


def test_kid_is_seeded():
    a, b = normal(300, 4), normal(300, 4, seed=1, loc=0.2)
    assert kid(a, b, subsets=5, subset_size=100, seed=3) == kid(a, b, subsets=5, subset_size=100, seed=3)
    assert kid(a, b, subsets=5, subset_size=100, seed=3) != kid(a, b, subsets=5, subset_size=100, seed=4)


def test_kid_bad_input():
    a = normal(10, 3)
    with pytest.raises(ValueError, match="feats_a needs at least 2 rows for the unbiased MMD estimate"):
        kid(a[:1], a)
    with pytest.raises(ValueError, match="subset_size must be an integer >= 2, got 1"):
        kid(a, a, subset_size=1)
    with pytest.raises(ValueError, match="subsets must be an integer >= 1, got 0"):
        kid(a, a, subsets=0)
    with pytest.raises(ValueError, match="feats_a has 3 feature dims but feats_b has 4"):
        kid(a, normal(10, 4))
    with pytest.raises(ValueError, match=r"feats_b must be a 2-D array \(n, d\), got shape \(10, 3, 1\)"):
        kid(a, a[..., None])
    with pytest.raises(ValueError, match="feats_a contains NaN or Inf"):
        kid(np.where(a > 1, np.inf, a), a)


# --------------------------------------------------------------------------- #
# classifier score (Inception Score formula)


def test_classifier_score_uniform_one_hot_gives_number_of_classes():
    for c in (2, 10):
        probs = np.tile(np.eye(c), (50, 1))  # every split sees each class equally
        mean, std = classifier_score(probs, splits=5)
        assert mean == pytest.approx(c, abs=1e-6) and std == pytest.approx(0.0, abs=1e-9)


def test_classifier_score_identical_or_uniform_predictions_give_one():
    soft = np.random.default_rng(0).dirichlet(np.ones(10))
    assert classifier_score(np.tile(soft, (100, 1)))[0] == pytest.approx(1.0, abs=1e-9)
    assert classifier_score(np.full((100, 10), 0.1))[0] == pytest.approx(1.0, abs=1e-9)
    assert classifier_score(np.tile(np.eye(10)[3], (100, 1)))[0] == pytest.approx(1.0, abs=1e-9)


def test_classifier_score_splits_are_contiguous_chunks():
    probs = np.repeat(np.eye(2), 50, axis=0)  # 50 rows of class 0, then 50 of class 1
    assert classifier_score(probs, splits=1) == pytest.approx((2.0, 0.0))
    assert classifier_score(probs, splits=2) == pytest.approx((1.0, 0.0))
    mean, std = classifier_score(probs, splits=3)  # the middle chunk mixes both
    assert 1.0 < mean < 2.0 and std > 0
    mean, _ = classifier_score(np.random.default_rng(0).dirichlet(np.ones(5), 7), splits=7)
    assert mean == pytest.approx(1.0)  # a one-row split has p(y) = p(y|x)


def test_classifier_score_bad_input():
    probs = np.full((20, 4), 0.25)
    with pytest.raises(ValueError, match="negative entries; pass softmax probabilities, not logits"):
        classifier_score(probs - 0.5)
    with pytest.raises(ValueError, match="rows must sum to 1"):
        classifier_score(probs * 1.01)
    with pytest.raises(ValueError, match=r"probs needs at least 10 rows \(one per split, splits=10\), got 5"):
        classifier_score(probs[:5])
    with pytest.raises(ValueError, match=r"probs must be a 2-D array"):
        classifier_score(probs[0])
    with pytest.raises(ValueError, match="probs contains NaN or Inf"):
        classifier_score(np.where(probs > 0, np.nan, probs))
    with pytest.raises(ValueError, match="splits must be an integer >= 1"):
        classifier_score(probs, splits=0)


# --------------------------------------------------------------------------- #
# improved precision and recall


def reference_precision_recall(real, fake, k):
    def radii(x):
        d = cdist(x, x)
        np.fill_diagonal(d, np.inf)
        return np.sort(d, axis=1)[:, k - 1]

    precision = (cdist(fake, real) <= radii(real)[None]).any(1).mean()
    recall = (cdist(real, fake) <= radii(fake)[None]).any(1).mean()
    return precision, recall


def test_precision_recall_of_a_set_with_itself_is_one():
    a = normal(500, 8)
    assert precision_recall(a, a) == (1.0, 1.0)


def test_precision_recall_of_far_apart_sets_is_zero():
    assert precision_recall(normal(200, 4), normal(300, 4, loc=100.0)) == (0.0, 0.0)


@pytest.mark.parametrize("k, expected", [(1, (0.5, 0.5)), (2, (0.5, 1.0))])
def test_precision_recall_hand_worked(k, expected):
    # real 0, 1, 2, 3: k=1 radii 1 (k=2: 2, 1, 1, 2); fake 0.5, 1.2, 10, 11:
    # k=1 radii 0.7, 0.7, 1, 1 (k=2: 9.5, 8.8, 8.8, 9.8).
    # precision: 0.5 and 1.2 lie within a real ball, 10 and 11 do not.
    # recall k=1: 0 (0.5 from 0.5) and 1 (0.2 from 1.2) are covered, 2 and 3 are
    # not; k=2: the ball around 0.5 of radius 9.5 covers every real point.
    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    fake = np.array([[0.5], [1.2], [10.0], [11.0]])
    assert precision_recall(real, fake, k=k) == pytest.approx(expected)


def test_precision_recall_block_size_does_not_change_the_result():
    real, fake = normal(300, 5), normal(250, 5, seed=1, loc=0.4)
    expected = reference_precision_recall(real, fake, k=3)
    assert 0 < expected[0] < 1 and 0 < expected[1] < 1
    for batch_size in (1, 7, 250, 10_000):
        assert precision_recall(real, fake, batch_size=batch_size) == pytest.approx(expected)


def test_precision_recall_works_in_bounded_blocks(monkeypatch):
    shapes, real_sq_dists = [], metrics._sq_dists

    def spy(x, y, y_sq):
        shapes.append((len(x), len(y)))
        return real_sq_dists(x, y, y_sq)

    monkeypatch.setattr(metrics, "_sq_dists", spy)
    precision_recall(normal(100, 3), normal(90, 3, seed=1), batch_size=16)
    assert max(rows for rows, _ in shapes) == 16
    assert len(shapes) == 2 * (7 + 6)  # radii and membership: ceil(100/16) + ceil(90/16)


def test_precision_recall_bad_input():
    a = normal(10, 3)
    with pytest.raises(ValueError, match=r"fake_feats needs at least 4 rows \(more than k=3"):
        precision_recall(a, a[:3])
    with pytest.raises(ValueError, match=r"real_feats needs at least 6 rows \(more than k=5"):
        precision_recall(a[:5], a, k=5)
    with pytest.raises(ValueError, match="real_feats has 3 feature dims but fake_feats has 2"):
        precision_recall(a, a[:, :2])
    with pytest.raises(ValueError, match="fake_feats contains NaN or Inf"):
        precision_recall(a, np.where(a > 0, np.nan, a))
    with pytest.raises(ValueError, match=r"real_feats must be a 2-D array"):
        precision_recall(a.ravel(), a)
    with pytest.raises(ValueError, match="k must be an integer >= 1"):
        precision_recall(a, a, k=0)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        precision_recall(a, a, batch_size=0)


# --------------------------------------------------------------------------- #
# class and mode coverage


def test_kl_from_uniform_against_hand_computed_values():
    assert kl_from_uniform(np.full(7, 3)) == pytest.approx(0.0, abs=1e-12)
    assert kl_from_uniform([0, 0, 5, 0]) == pytest.approx(math.log(4))
    # q = (3/4, 1/4, 0): 3/4 log(9/4) + 1/4 log(3/4)
    assert kl_from_uniform([3, 1, 0]) == pytest.approx(0.75 * math.log(2.25) + 0.25 * math.log(0.75))
    assert math.isnan(kl_from_uniform(np.zeros(5)))


@pytest.mark.parametrize("counts, match", [
    (np.ones((2, 2)), r"shape \(k,\)"), ([], r"shape \(k,\)"),
    ([1, -1], "finite numbers >= 0"), ([1, np.nan], "finite numbers >= 0"), (["a"], "finite numbers >= 0"),
])
def test_kl_from_uniform_bad_input(counts, match):
    with pytest.raises(ValueError, match=match):
        kl_from_uniform(counts)


def test_class_coverage_uniform_collapsed_and_partial():
    uniform = class_coverage(np.arange(100) % 10)
    assert uniform["classes"] == 10 and uniform["n"] == 100
    assert uniform["reverse_kl"] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(uniform["histogram"], np.full(10, 10))
    collapsed = class_coverage(np.full(50, 3))
    assert collapsed["classes"] == 1 and collapsed["reverse_kl"] == pytest.approx(math.log(10))
    half = class_coverage([0, 0, 1, 1], n_classes=4)
    assert half["classes"] == 2 and half["reverse_kl"] == pytest.approx(math.log(2))


def test_class_coverage_takes_argmax_of_probabilities():
    probs = np.random.default_rng(0).dirichlet(np.ones(10), 200)
    got = class_coverage(probs)
    np.testing.assert_array_equal(got["histogram"], np.bincount(probs.argmax(1), minlength=10))
    assert class_coverage(np.tile(np.eye(10), (3, 1)))["reverse_kl"] == pytest.approx(0.0, abs=1e-12)
    assert class_coverage(np.array([2.0, 2.0, 5.0]))["classes"] == 2  # whole floats are fine


def test_class_coverage_bad_input():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 10\), got \[0, 10\]; check n_classes"):
        class_coverage(np.arange(11))
    with pytest.raises(ValueError, match="labels must be whole numbers"):
        class_coverage([0.5, 1.0])
    with pytest.raises(ValueError, match="labels must be whole numbers"):
        class_coverage([np.nan, 1.0])
    with pytest.raises(ValueError, match="labels is empty"):
        class_coverage([])
    with pytest.raises(ValueError, match="labels must be integer class indices, got dtype <U1"):
        class_coverage(["a"])
    with pytest.raises(ValueError, match="probs has 5 columns but n_classes=10"):
        class_coverage(np.full((4, 5), 0.2))
    with pytest.raises(ValueError, match="probs contains NaN or Inf"):
        class_coverage(np.full((4, 10), np.nan))
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 10\)"):
        class_coverage(np.zeros((2, 2, 10)))


def ring(k=8, radius=2.0):
    angles = 2 * np.pi * np.arange(k) / k
    return radius * np.stack([np.cos(angles), np.sin(angles)], 1)


def test_mode_coverage_samples_at_the_centres():
    centers = ring()
    got = mode_coverage(np.repeat(centers, 10, axis=0), centers, std=0.02)
    assert got == {"modes": 8, "high_quality": 1.0, "reverse_kl": pytest.approx(0.0, abs=1e-12), "n": 80}


def test_mode_coverage_collapsed_and_far_away():
    centers = ring()
    noise = np.random.default_rng(0).normal(0, 0.02, size=(2500, 2))
    collapsed = mode_coverage(centers[0] + noise, centers, std=0.02)
    assert collapsed["modes"] == 1 and collapsed["reverse_kl"] == pytest.approx(math.log(8))
    assert 0.95 < collapsed["high_quality"] <= 1.0
    far = mode_coverage(centers * 10, centers, std=0.02)
    assert far["modes"] == 0 and far["high_quality"] == 0.0 and math.isnan(far["reverse_kl"])
    # The high-quality boundary is 3 std from the nearest centre.
    edge = centers[:2] + np.array([[0.029, 0.0], [0.031, 0.0]])  # 2.9 and 3.1 std
    got = mode_coverage(edge, centers, std=0.01)
    assert got["high_quality"] == 0.5 and got["modes"] == 1


def test_mode_coverage_bad_input():
    centers = ring()
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        mode_coverage(centers, centers, std=0.0)
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        mode_coverage(centers, centers, std=float("nan"))
    with pytest.raises(ValueError, match="samples has 3 feature dims but centers has 2"):
        mode_coverage(np.zeros((5, 3)), centers, std=0.1)
    with pytest.raises(ValueError, match=r"samples must be a 2-D array \(n, d\)"):
        mode_coverage(np.zeros(5), centers, std=0.1)
    with pytest.raises(ValueError, match="samples contains NaN or Inf"):
        mode_coverage(np.full((5, 2), np.inf), centers, std=0.1)
    with pytest.raises(ValueError, match="centers needs at least 1 rows"):
        mode_coverage(np.zeros((5, 2)), np.zeros((0, 2)), std=0.1)


# ---------------------------------------------------------------- by_sample_size

def test_by_sample_size_shows_fd_bias_and_unbiased_kid():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((400, 4)), rng.standard_normal((400, 4))
    out = metrics.by_sample_size(a, b, [20, 100, 400], repeats=6, seed=1)
    assert out["n"].tolist() == [20, 100, 400] and out["fd"].shape == out["kid"].shape == (3, 6)
    fd = out["fd"].mean(1)
    assert fd[0] > fd[1] > fd[2] > 0  # same distribution: FD's excess over 0 is bias, shrinking with n
    np.testing.assert_allclose(out["fd"][2], out["fd"][2, 0])  # n = all rows: every draw is the whole set
    assert abs(out["kid"][:2].mean()) < 3 * out["kid"][:2].std()
    # kid_scale divides the features before KID (KID is not scale-invariant); FD is unchanged.
    scaled = metrics.by_sample_size(a, b, [20, 100], repeats=6, seed=1, kid_scale=2.0)
    np.testing.assert_allclose(scaled["fd"], out["fd"][:2])
    assert not np.allclose(scaled["kid"], out["kid"][:2])


@pytest.mark.parametrize("sizes, repeats, match", [([], 2, "non-empty"), ([10, 500], 2, "at most"),
                                                    ([1], 2, "each size"), ([10], 0, "repeats")])
def test_by_sample_size_bad_input(sizes, repeats, match):
    x = np.zeros((100, 3))
    with pytest.raises(ValueError, match=match):
        metrics.by_sample_size(x, x, sizes, repeats)
