"""The post-hoc critic and rejection sampling: ganbook.studies.critic and the backends' critic.py."""
import numpy as np
import pytest

from ganbook.studies.critic import acceptance, accept_reject, fourier_frequencies
from ganbook.seed import seed_everything
from tests.helpers.backends import backend, each_backend
from tests.helpers.random_state import check_seeded_and_private


def _normal(scale):
    return lambda m, seed: scale * np.random.default_rng(seed).standard_normal((m, 1))


def test_exact_log_ratio_turns_proposal_into_target():
    # Proposal N(0, 2^2), target N(0, 1): log p/q = log 2 - x^2 / 2 + x^2 / 8, at most log 2.
    log_ratio = lambda x: np.log(2.0) - 3.0 * x[:, 0] ** 2 / 8.0  # noqa: E731
    x, rate = accept_reject(_normal(2.0), log_ratio, 20_000, seed=1, quantile=1.0)
    assert x.shape == (20_000, 1)
    assert abs(x.std() - 1.0) < 0.03  # the proposal's is 2
    assert 0.4 < rate <= 0.55  # 1 / max ratio = 0.5, a little more since M is the pool's maximum


def test_lower_quantile_keeps_more_and_is_less_exact():
    log_ratio = lambda x: -3.0 * x[:, 0] ** 2 / 8.0  # noqa: E731
    exact, rate_exact = accept_reject(_normal(2.0), log_ratio, 5000, quantile=1.0)
    loose, rate_loose = accept_reject(_normal(2.0), log_ratio, 5000, quantile=0.5)
    assert rate_loose > rate_exact
    assert loose.std() > exact.std() + 0.1


def test_accept_reject_is_reproducible_and_checks_its_input():
    log_ratio = lambda x: -x[:, 0] ** 2  # noqa: E731
    a, _ = accept_reject(_normal(1.0), log_ratio, 100, seed=3)
    b, _ = accept_reject(_normal(1.0), log_ratio, 100, seed=3)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="n must be"):
        accept_reject(_normal(1.0), log_ratio, 0)
    with pytest.raises(ValueError, match="quantile"):
        accept_reject(_normal(1.0), log_ratio, 10, quantile=0.0)
    with pytest.raises(ValueError, match="finite"):
        accept_reject(_normal(1.0), lambda x: np.full(len(x), np.nan), 10)
    # A critic that rejects all but a sliver of its first pool: a clear error, not an endless loop.
    with pytest.raises(RuntimeError, match="rejects nearly everything"):
        accept_reject(_normal(1.0), lambda x: 1000.0 * x[:, 0], 50, quantile=1.0, pool=1000, max_draws=5000)


def test_acceptance_is_a_probability():
    p = acceptance(np.array([-50.0, -1.0, 0.0, 3.0]), threshold=0.0)
    np.testing.assert_allclose(p, [np.exp(-50.0), np.exp(-1.0), 1.0, 1.0])


def test_fourier_frequencies_are_seeded():
    a = fourier_frequencies(2, 16, 5.0, seed=0)
    assert a.shape == (2, 16) and a.dtype == np.float32
    np.testing.assert_array_equal(a, fourier_frequencies(2, 16, 5.0, seed=0))
    assert not np.array_equal(a, fourier_frequencies(2, 16, 5.0, seed=1))
    with pytest.raises(ValueError, match="scale > 0"):
        fourier_frequencies(2, 16, 0.0)


@each_backend
def test_fourier_critic_shape_and_frequencies(fw):
    gb = backend(fw)
    critic = gb.FourierCritic(in_dim=2, features=8, scale=3.0, hidden=(16,), seed=4)
    logits = gb.critic_logits(critic, np.zeros((5, 2), np.float32))
    assert logits.shape == (5,) and logits.dtype == np.float32
    freqs = critic.freqs.cpu().numpy() if fw == "torch" else critic.freqs.numpy()
    np.testing.assert_array_equal(freqs, fourier_frequencies(2, 8, 3.0, seed=4))


@pytest.mark.slow
@each_backend
def test_rejection_with_a_fitted_critic_moves_samples_to_the_data(fw):
    gb = backend(fw)
    seed_everything(0)  # the same untrained G in any test order
    G = gb.toy_generator()  # untrained: a cloud around the origin
    raw = gb.sample(G, 2000, seed=9)
    # The data: a narrow blob inside that cloud, one cloud-std off its centre.
    centre, spread = raw.mean(0) + raw.std(0), 0.2 * raw.std(0)
    real = (centre + spread * np.random.default_rng(0).standard_normal((2000, 2))).astype(np.float32)
    critic, history = gb.fit_critic(G, real, steps=300, batch_size=256, seed=0, scale=0.2 / spread.mean())
    assert len(history["loss"]) == 300 and history["loss"][-1] < history["loss"][0]
    kept, rate = gb.rejection_sample(G, critic, 2000, seed=9)
    assert kept.shape == raw.shape and 0 < rate < 1
    dist = lambda x: np.linalg.norm((x - centre) / spread, axis=1).mean()  # noqa: E731
    assert dist(kept) < 0.5 * dist(raw)


@each_backend
def test_fit_critic_is_seeded_and_keeps_to_its_own_random_state(fw):
    gb = backend(fw)
    seed_everything(0)
    G = gb.toy_generator(hidden=(8,))
    x = np.random.default_rng(0).standard_normal((64, 2)).astype(np.float32)

    def run(seed=2):
        critic, history = gb.fit_critic(G, x, steps=3, batch_size=16, seed=seed, features=4, hidden=(8,))
        return history["loss"], gb.critic_logits(critic, x)

    loss, logits = check_seeded_and_private(fw, run)
    assert logits.shape == (64,) and not np.array_equal(loss, run(seed=3)[0])


@each_backend
def test_fit_critic_names_bad_input(fw):
    gb = backend(fw)
    with pytest.raises(ValueError, match=r"flat data \(N, d\)"):
        gb.fit_critic(gb.toy_generator(), np.zeros((4, 28, 28, 1), np.float32), steps=1)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        gb.fit_critic(gb.toy_generator(), np.zeros((4, 2), np.float32), steps=0)
    with pytest.raises(ValueError, match="unconditional"):
        gb.fit_critic(gb.ConditionalGenerator(), np.zeros((4, 784), np.float32), steps=1)


def test_fourier_critic_has_the_same_size_in_both_backends():
    gt, gf = backend("torch"), backend("tf")
    torch_critic, tf_critic = gt.FourierCritic(), gf.FourierCritic()
    gf.critic_logits(tf_critic, np.zeros((1, 2), np.float32))  # builds the Keras model
    expected = (256 * 256 + 256) + (256 * 256 + 256) + (256 + 1)  # 2 x 128 features -> 256 -> 256 -> 1
    assert gt.count_params(torch_critic) == gf.count_params(tf_critic) == expected
