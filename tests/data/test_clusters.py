"""ganbook.data.cluster: k-means on principal components, without labels."""
import numpy as np
import pytest

from ganbook.data import cluster


def _blobs(n_per=200, seed=0):
    """Three well-separated blobs of 10-d points, and which blob each point came from."""
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 10) * 20
    x = np.concatenate([c + rng.standard_normal((n_per, 10)) for c in centres])
    return x, np.repeat(np.arange(3), n_per)


def test_cluster_recovers_separated_groups_and_is_repeatable():
    x, truth = _blobs()
    ids, freqs = cluster(x.reshape(-1, 2, 5), k=3, components=3, seed=1)
    assert ids.shape == (600,) and ids.dtype == np.int64 and freqs.shape == (3,)
    # Each true group lands in one cluster of its own.
    assert all(len(set(ids[truth == g])) == 1 for g in range(3)) and len(set(ids)) == 3
    np.testing.assert_allclose(freqs, [1 / 3] * 3)
    again, _ = cluster(x.reshape(-1, 2, 5), k=3, components=3, seed=1)
    np.testing.assert_array_equal(ids, again)


@pytest.mark.parametrize("k, components", [(1, 3), (601, 3), (3, 0), (3, 11)])
def test_cluster_refuses_impossible_settings(k, components):
    x, _ = _blobs()
    with pytest.raises(ValueError):
        cluster(x, k=k, components=components)
