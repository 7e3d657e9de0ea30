"""Metrics on NumPy arrays, framework-free (numpy + scipy only).

Every metric takes plain arrays, so the PyTorch and TensorFlow backends share
one implementation: extract features or class probabilities with whichever
framework you like, convert them with ``np.asarray``, and call these.

- ``frechet_distance`` (FID when the features are Inception pool features),
  Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule ...".
- ``kid``: Kernel Inception Distance, Binkowski et al. 2018, "Demystifying MMD GANs".
- ``classifier_score``: the Inception Score formula, Salimans et al. 2016,
  "Improved Techniques for Training GANs".
- ``precision_recall``: Kynkaanniemi et al. 2019, "Improved Precision and Recall
  Metric for Assessing Generative Models".
- ``class_coverage`` and ``mode_coverage``: mode-collapse counts as in PacGAN
  (Lin et al. 2018) and VEEGAN (Srivastava et al. 2017).
"""
from __future__ import annotations

import numpy as np
from scipy import linalg
from scipy.special import xlogy

# --------------------------------------------------------------------------- #
# input checks


def _as_2d(name: str, x, min_rows: int = 1, why: str = "") -> np.ndarray:
    """Return x as a finite float64 (n, d) array with at least min_rows rows."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (n, d), got shape {x.shape}; "
            "use x[:, None] for one feature per sample or x.reshape(len(x), -1) "
            "to flatten images")
    if len(x) < min_rows:
        raise ValueError(
            f"{name} needs at least {min_rows} rows{why}, got {len(x)}; pass more samples")
    if x.shape[1] == 0:
        raise ValueError(f"{name} has 0 feature columns, got shape {x.shape}")
    if not np.isfinite(x).all():
        bad = int((~np.isfinite(x)).sum())
        raise ValueError(
            f"{name} contains NaN or Inf ({bad} values); drop or fix those samples "
            "(a diverged generator often produces them)")
    return x


def _same_dims(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{name_a} has {a.shape[1]} feature dims but {name_b} has {b.shape[1]}; "
            "both must come from the same feature extractor")


def _positive_int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def kl_from_uniform(counts) -> float:
    """How far a histogram is from uniform, as PacGAN and VEEGAN report mode collapse.

    counts: (k,) counts >= 0, one per class or mode. Returns KL(q || uniform) =
    sum_i q_i log(k q_i) for q = counts / counts.sum() (natural log, 0 log 0 = 0):
    a float in [0, log k], 0 when every bin has the same count, log k when one bin
    has them all, and NaN when there are no counts at all.
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or len(counts) == 0:
        raise ValueError(f"counts must be a histogram of shape (k,) with k >= 1, got shape {counts.shape}")
    if not (np.issubdtype(counts.dtype, np.number) and np.isfinite(counts).all() and counts.min() >= 0):
        raise ValueError("counts must be finite numbers >= 0")
    total = counts.sum()
    if total == 0:
        return float("nan")
    q = counts / total
    return max(float(xlogy(q, q * len(counts)).sum()), 0.0)


# --------------------------------------------------------------------------- #
# Frechet distance (FID)


def _sqrtm(m: np.ndarray) -> np.ndarray:
    return linalg.sqrtm(m)  # a seam the tests can replace


def _trace_sqrt_product(s1: np.ndarray, s2: np.ndarray) -> float | None:
    """tr(sqrtm(s1 @ s2)), or None when it is not finite or not (nearly) real."""
    covmean = _sqrtm(s1 @ s2)
    if not np.isfinite(covmean).all():
        return None
    if np.iscomplexobj(covmean):
        scale = max(1.0, float(np.abs(covmean.real).max()))
        if np.abs(covmean.imag).max() > 1e-3 * scale:
            return None
        covmean = covmean.real
    return float(np.trace(covmean))


def frechet_distance_from_moments(mu1, sigma1, mu2, sigma2, eps: float = 1e-6) -> float:
    """Frechet distance between N(mu1, sigma1) and N(mu2, sigma2).

        d^2 = |mu1 - mu2|^2 + tr(sigma1 + sigma2 - 2 sqrtm(sigma1 sigma2))

    Args: mu1, mu2: (d,) means; sigma1, sigma2: (d, d) covariances.
    eps: added to both diagonals for a second try when sqrtm of the product
        is not finite or has a non-negligible imaginary part (near-singular
        covariances, e.g. fewer samples than feature dims).
    Returns a float >= 0 (tiny negative round-off is clipped to 0).
    Raises ValueError if even the eps-regularised product has no real square root.
    """
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    sigma1, sigma2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    if mu1.ndim != 1:
        raise ValueError(f"mu1 must be a 1-D mean vector (d,), got shape {mu1.shape}")
    d = len(mu1)
    for name, x, shape in [("mu1", mu1, (d,)), ("mu2", mu2, (d,)),
                           ("sigma1", sigma1, (d, d)), ("sigma2", sigma2, (d, d))]:
        if x.shape != shape:
            raise ValueError(f"{name} must have shape {shape} to match mu1 "
                             f"(d = {d}), got {x.shape}")
        if not np.isfinite(x).all():
            raise ValueError(f"{name} contains NaN or Inf; check the features")
    tr_covmean = _trace_sqrt_product(sigma1, sigma2)
    if tr_covmean is None:
        offset = eps * np.eye(d)
        tr_covmean = _trace_sqrt_product(sigma1 + offset, sigma2 + offset)
    if tr_covmean is None:
        raise ValueError(
            "the covariances are ill-conditioned: sqrtm(sigma1 @ sigma2) is not real "
            f"even with eps={eps} added to the diagonals; use more samples than "
            "feature dims or a larger eps")
    diff = mu1 - mu2
    fd = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2 * tr_covmean
    return max(float(fd), 0.0)


def frechet_distance(feats_a, feats_b) -> float:
    """Frechet distance between Gaussian fits of two feature sets (FID on Inception
    features; Heusel et al. 2017).

    Args: feats_a (n_a, d), feats_b (n_b, d); n_a, n_b >= 2 (use thousands:
        the estimate is biased upwards for small n, FID uses 10k-50k).
    Returns a float >= 0 in squared feature units; 0 for identical moments,
        lower is better. Only comparable across runs with the same features and n.
    """
    a = _as_2d("feats_a", feats_a, 2, " to estimate a covariance")
    b = _as_2d("feats_b", feats_b, 2, " to estimate a covariance")
    _same_dims("feats_a", a, "feats_b", b)
    moments = [(x.mean(0), np.atleast_2d(np.cov(x, rowvar=False))) for x in (a, b)]
    return frechet_distance_from_moments(*moments[0], *moments[1])


# --------------------------------------------------------------------------- #
# Kernel Inception Distance (KID)


def _cubic_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """k(x, y) = (x.y / d + 1)^3 for every pair of rows."""
    k = x @ y.T / x.shape[1] + 1
    return k * k * k


def _mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 of two (m, d) sets: the within-set sums skip i == j."""
    m = len(x)
    k_xx, k_yy, k_xy = _cubic_kernel(x, x), _cubic_kernel(y, y), _cubic_kernel(x, y)
    pairs = m * (m - 1)
    within = (k_xx.sum() - np.trace(k_xx) + k_yy.sum() - np.trace(k_yy)) / pairs
    return float(within - 2 * k_xy.mean())


def kid(feats_a, feats_b, subsets: int = 100, subset_size: int = 1000,
        seed: int = 0) -> tuple[float, float]:
    """Kernel Inception Distance (Binkowski et al. 2018, "Demystifying MMD GANs").

    The unbiased MMD^2 with the cubic kernel k(x, y) = (x.y / d + 1)^3, averaged
    over `subsets` random subsets of m = min(subset_size, n_a, n_b) rows of each
    set, drawn without replacement with np.random.default_rng(seed).

    Args: feats_a (n_a, d), feats_b (n_b, d); m must be >= 2.
    Returns (mean, std) over the subsets. Around 0 (it can be slightly negative,
        being unbiased) when both sets come from one distribution; lower is better.
    """
    a = _as_2d("feats_a", feats_a, 2, " for the unbiased MMD estimate")
    b = _as_2d("feats_b", feats_b, 2, " for the unbiased MMD estimate")
    _same_dims("feats_a", a, "feats_b", b)
    subsets = _positive_int("subsets", subsets)
    subset_size = _positive_int("subset_size", subset_size, minimum=2)
    m = min(subset_size, len(a), len(b))
    rng = np.random.default_rng(seed)
    values = [_mmd2_unbiased(a[rng.choice(len(a), m, replace=False)],
                             b[rng.choice(len(b), m, replace=False)])
              for _ in range(subsets)]
    return float(np.mean(values)), float(np.std(values))


# --------------------------------------------------------------------------- #
# Inception Score formula


def classifier_score(probs, splits: int = 10) -> tuple[float, float]:
    """The Inception Score formula exp(E_x KL(p(y|x) || p(y))) on class probabilities
    (Salimans et al. 2016); with an MNIST classifier it is the "MNIST score".

    The rows are cut into `splits` contiguous chunks (like the original code);
    p(y) is the mean of the rows of each chunk.

    Args: probs (n, C), rows non-negative and summing to 1 (softmax outputs,
        not logits); n >= splits.
    Returns (mean, std) over the splits, each in [1, C]: C when every sample is
        confidently classified and the classes are used equally often, 1 when all
        predictions are identical (or all uniform). Higher is better.
    """
    splits = _positive_int("splits", splits)
    p = _as_2d("probs", probs, splits, f" (one per split, splits={splits})")
    if (p < 0).any():
        raise ValueError("probs has negative entries; pass softmax probabilities, not logits")
    worst = float(np.abs(p.sum(1) - 1).max())
    if worst > 1e-3:
        raise ValueError(f"probs rows must sum to 1 (worst row off by {worst:.3g}); "
                         "pass softmax probabilities, not logits")
    scores = []
    for part in np.array_split(p, splits):
        p_y = part.mean(0, keepdims=True)
        kl = (xlogy(part, part) - xlogy(part, p_y)).sum(1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))


# --------------------------------------------------------------------------- #
# Improved precision and recall


def _sq_dists(x: np.ndarray, y: np.ndarray, y_sq: np.ndarray) -> np.ndarray:
    """(len(x), len(y)) squared distances, one array of that size, clipped at 0."""
    d2 = x @ y.T
    d2 *= -2
    d2 += (x * x).sum(1)[:, None]
    d2 += y_sq[None]
    return np.maximum(d2, 0, out=d2)


def _knn_radii_sq(x: np.ndarray, k: int, batch_size: int) -> np.ndarray:
    """Squared distance from each row of x to its k-th nearest other row."""
    x_sq = (x * x).sum(1)
    radii = np.empty(len(x))
    for start in range(0, len(x), batch_size):
        d2 = _sq_dists(x[start:start + batch_size], x, x_sq)
        rows = np.arange(len(d2))
        d2[rows, start + rows] = np.inf  # exclude the point itself
        d2.partition(k - 1, axis=1)
        radii[start:start + batch_size] = d2[:, k - 1]
    return radii


def _inside(points: np.ndarray, x: np.ndarray, radii_sq: np.ndarray, batch_size: int) -> np.ndarray:
    """For each point: does it lie in some ball (x_i, radius_i)?"""
    x_sq = (x * x).sum(1)
    found = np.empty(len(points), dtype=bool)
    for start in range(0, len(points), batch_size):
        d2 = _sq_dists(points[start:start + batch_size], x, x_sq)
        found[start:start + batch_size] = (d2 <= radii_sq[None]).any(1)
    return found


def precision_recall(real_feats, fake_feats, k: int = 3,
                     batch_size: int = 1000) -> tuple[float, float]:
    """Improved precision and recall (Kynkaanniemi et al. 2019).

    Each set's manifold is the union of balls around its points, each with radius
    the distance to that point's k-th nearest neighbour in the same set.
    Precision = fraction of fake points inside the real manifold (quality);
    recall = fraction of real points inside the fake manifold (coverage).

    Args: real_feats (n_r, d), fake_feats (n_f, d), each with more than k rows
        (the paper uses k = 3 and 50k samples).
    batch_size: rows per block; memory is about batch_size * max(n_r, n_f)
        float64s (1000 x 50k = 400 MB). The result does not depend on it.
    Returns (precision, recall), each in [0, 1]; higher is better.
    """
    k = _positive_int("k", k)
    batch_size = _positive_int("batch_size", batch_size)
    why = f" (more than k={k}, for the k-th nearest neighbour)"
    real = _as_2d("real_feats", real_feats, k + 1, why)
    fake = _as_2d("fake_feats", fake_feats, k + 1, why)
    _same_dims("real_feats", real, "fake_feats", fake)
    precision = _inside(fake, real, _knn_radii_sq(real, k, batch_size), batch_size).mean()
    recall = _inside(real, fake, _knn_radii_sq(fake, k, batch_size), batch_size).mean()
    return float(precision), float(recall)


# --------------------------------------------------------------------------- #
# mode-collapse counts


def class_coverage(labels_or_probs, n_classes: int = 10) -> dict:
    """How many classes a generator produces, judged by a classifier's predictions.

    Args: labels_or_probs: (n,) integer labels in [0, n_classes), or (n, n_classes)
        probabilities/logits (the argmax is taken); n >= 1.
    Returns dict: classes (int, classes predicted at least once), reverse_kl
        (KL(q || uniform) of the class histogram q: 0 when uniform, log(n_classes)
        when a single class; as in PacGAN's stacked-MNIST table), histogram
        ((n_classes,) int counts), n.
    """
    n_classes = _positive_int("n_classes", n_classes)
    x = np.asarray(labels_or_probs)
    if x.ndim == 2:
        x = _as_2d("probs", x)
        if x.shape[1] != n_classes:
            raise ValueError(f"probs has {x.shape[1]} columns but n_classes={n_classes}; "
                             "pass n_classes equal to the classifier's outputs")
        labels = x.argmax(1)
    elif x.ndim == 1:
        if len(x) == 0:
            raise ValueError("labels is empty; pass at least 1 prediction")
        if not (np.issubdtype(x.dtype, np.integer) or np.issubdtype(x.dtype, np.floating)):
            raise ValueError(f"labels must be integer class indices, got dtype {x.dtype}")
        if not (np.isfinite(x).all() and (x == np.round(x)).all()):
            raise ValueError("labels must be whole numbers (no NaN/Inf or fractions); "
                             "pass class indices, or 2-D probabilities")
        labels = x.astype(np.int64)
        if labels.min() < 0 or labels.max() >= n_classes:
            raise ValueError(f"labels must lie in [0, {n_classes}), got "
                             f"[{labels.min()}, {labels.max()}]; check n_classes")
    else:
        raise ValueError(f"labels_or_probs must be (n,) labels or (n, n_classes) "
                         f"probabilities, got shape {x.shape}")
    counts = np.bincount(labels, minlength=n_classes)
    return {"classes": int((counts > 0).sum()), "reverse_kl": kl_from_uniform(counts),
            "histogram": counts, "n": len(labels)}


def mode_coverage(samples, centers, std: float) -> dict:
    """Mode coverage as PacGAN (Lin et al. 2018) and VEEGAN (Srivastava et al.
    2017) count it on Gaussian mixtures (the 2-D ring and grid).

    A sample is high quality when it lies within 3 std of its nearest centre; a
    mode is covered when at least one high-quality sample is nearest to it.

    Args:
        samples: (n, d) generated points (the papers use n = 2,500).
        centers: (k, d) mixture centres; std: the components' standard deviation.
    Returns dict: modes (int, covered modes, in [0, k]), high_quality (fraction
        in [0, 1]), reverse_kl (KL(q || uniform) of the histogram q of
        high-quality samples over modes; 0 when spread evenly, log k when all in
        one mode, NaN when there is no high-quality sample), n.
    Memory is n * k * d floats.
    """
    samples = _as_2d("samples", samples)
    centers = _as_2d("centers", centers)
    _same_dims("samples", samples, "centers", centers)
    if not (isinstance(std, (int, float, np.number)) and np.isfinite(std) and std > 0):
        raise ValueError(f"std must be a finite number > 0 (the mixture components' "
                         f"standard deviation), got {std!r}")
    d2 = ((samples[:, None, :] - centers[None]) ** 2).sum(-1)
    nearest = d2.argmin(1)
    good = np.sqrt(d2[np.arange(len(samples)), nearest]) <= 3 * std
    counts = np.bincount(nearest[good], minlength=len(centers))
    return {"modes": int((counts > 0).sum()), "high_quality": float(good.mean()),
            "reverse_kl": kl_from_uniform(counts), "n": len(samples)}


def mean_se(values) -> tuple[float, float]:
    """Mean and standard error (sample std / sqrt(n); 0 for one value); NaNs are dropped."""
    v = np.asarray([x for x in values if x is not None and not np.isnan(x)], dtype=float)
    if len(v) == 0:
        return float("nan"), float("nan")
    se = float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0
    return float(v.mean()), se


def by_sample_size(feats_a, feats_b, sizes, repeats: int = 5, seed: int = 0,
                   kid_scale: float = 1.0) -> dict:
    """FD and KID of two feature sets when only n samples of each are used.

    For each n in `sizes`, `repeats` times: draw n rows of each set without
    replacement and compute frechet_distance and kid (subsets of n rows). With two
    samples of one distribution both should be 0: FD's excess over 0 is its
    small-sample bias, KID's spread its noise.

    Args: feats_a (n_a, d), feats_b (n_b, d); sizes: increasing ints in
        [2, min(n_a, n_b)]; repeats >= 1; kid_scale: KID sees the features divided
        by it (ganbook.eval.classifier.FEATURE_SCALE, as in ganbook.evaluate).
    Returns dict: n (len(sizes),) ints, fd and kid (len(sizes), repeats) floats.
    """
    a, b = _as_2d("feats_a", feats_a, 2), _as_2d("feats_b", feats_b, 2)
    _same_dims("feats_a", a, "feats_b", b)
    repeats = _positive_int("repeats", repeats)
    sizes = [_positive_int("each size", n, 2) for n in sizes]
    if not sizes or max(sizes) > min(len(a), len(b)):
        raise ValueError(f"sizes must be non-empty and at most min(n_a, n_b) = {min(len(a), len(b))}, "
                         f"got {sizes}")
    rng = np.random.default_rng(seed)
    fd = np.empty((len(sizes), repeats))
    kd = np.empty((len(sizes), repeats))
    for i, n in enumerate(sizes):
        for r in range(repeats):
            sa = a[rng.choice(len(a), n, replace=False)]
            sb = b[rng.choice(len(b), n, replace=False)]
            fd[i, r] = frechet_distance(sa, sb)
            kd[i, r] = kid(sa / kid_scale, sb / kid_scale, subsets=10, subset_size=n,
                           seed=int(rng.integers(2**31)))[0]
    return {"n": np.asarray(sizes), "fd": fd, "kid": kd}
