"""recalibrate_batchnorm and the weight average's own BatchNorm statistics."""
import copy

import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.nets.options import DCGANOptions
from ganbook.latent import standing_codes
from tests.helpers.backends import backend, each_backend


def _train_mode(fw, G, z):
    """G's output on z as one training-mode batch (batch statistics), G left as it was."""
    if fw == "torch":
        import torch
        with torch.no_grad():
            return copy.deepcopy(G).train()(torch.as_tensor(z)).numpy().transpose(0, 2, 3, 1)
    return G(z, training=True).numpy()


@each_backend
def test_recalibrated_statistics_are_the_generators_own(fw):
    gb = backend(fw)
    G = gb.DCGANGenerator(latent_dim=8)
    z, _ = standing_codes(G, 64, seed=5)
    expected = _train_mode(fw, G, z)
    # A fresh G's statistics (mean 0, variance 1) are not those of its activations.
    assert np.abs(gb.sample(G, z=z) - expected).max() > 0.1
    assert gb.recalibrate_batchnorm(G, n=64, batch_size=64, seed=5) is G
    np.testing.assert_allclose(gb.sample(G, z=z), expected, atol=1e-2)  # torch: unbiased variances
    # Several batches: the average of their statistics, close to one big batch's.
    gb.recalibrate_batchnorm(G, n=64, batch_size=16, seed=5)
    assert np.abs(gb.sample(G, z=z) - expected).mean() < 1e-2


@each_backend
def test_without_batchnorm_nothing_changes(fw):
    gb = backend(fw)
    G = gb.toy_generator()
    before = gb.sample(G, 8, seed=1)
    gb.recalibrate_batchnorm(G)
    np.testing.assert_array_equal(gb.sample(G, 8, seed=1), before)


def test_standing_codes_are_validated():
    G = backend("torch").toy_generator()
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        standing_codes(G, 1)


@each_backend
def test_trainer_samples_and_saves_g_ema_with_its_own_statistics(fw, tmp_path, monkeypatch):
    gb = backend(fw)
    config = TrainConfig(latent_dim=8, batch_size=8, ema=0.5, steps=2, progress=False,
                         model=DCGANOptions(dense=16, batchnorm=True))
    trainer = gb.Trainer(config)
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    calls = []
    monkeypatch.setattr(trainer, "_recalibrate", lambda G: calls.append(G) or gb.recalibrate_batchnorm(G))
    trainer.fit(x)
    first = trainer.generate(16, seed=3)
    np.testing.assert_array_equal(trainer.generate(16, seed=3), first)
    assert calls == [trainer.G_ema]  # once per step, however often it is used
    trainer.fit(x, steps=3)
    carried = gb.sample(trainer.G_ema, 16, seed=3)  # with the statistics copied from G in training
    assert not np.allclose(trainer.generate(16, seed=3), carried, atol=1e-3)
    assert len(calls) == 2
    # The checkpoint holds the re-estimated statistics: the reloaded G samples the same digits.
    trainer.out_dir = tmp_path
    trainer.save()
    np.testing.assert_allclose(gb.sample(gb.load_generator(tmp_path), 16, seed=3), trainer.generate(16, seed=3),
                               rtol=1e-5, atol=1e-5)
