"""The trainer in each backend: learning, reproducibility, checkpoints, guards, options."""
import shutil

import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.data import mixture_centers
from ganbook.data.registry import training_data
from ganbook.train.loop import ema_decay
from ganbook.eval.metrics import mode_coverage
from ganbook.nets.options import ConditionalOptions, DCGANOptions, MLPOptions, ToyOptions
from tests.helpers.backends import backend, each_backend

TOY = dict(model="toy", dataset="ring", latent_dim=2, batch_size=64, lr_g=3e-4, lr_d=3e-4,
           progress=False, log_every=5)


def _toy(fw, out_dir=None, **kw):
    config = TrainConfig(**{**TOY, **kw})
    x, _ = training_data(config)
    return backend(fw).Trainer(config, out_dir=out_dir), x[:5000]


@pytest.mark.slow
@each_backend
def test_learns_the_ring(fw):
    """A short CPU run covers at least 6 of the 8 modes (a collapsed or idle G fails)."""
    config = TrainConfig(**{**TOY, "batch_size": 512, "steps": 4000, "lr_g": 5e-4, "lr_d": 5e-4,
                            "log_every": 500})
    x, _ = training_data(config)
    trainer = backend(fw).Trainer(config)
    trainer.fit(x)
    centers, std = mixture_centers("ring")
    result = mode_coverage(trainer.generate(2500, seed=1), centers, std)
    assert result["modes"] >= 6, result


@each_backend
def test_same_seed_same_history(fw):
    runs = []
    for seed in (3, 3, 4):
        trainer, x = _toy(fw, seed=seed)
        runs.append(trainer.fit(x, steps=15))
    assert runs[0] == runs[1]
    assert runs[0]["d_loss"] != runs[2]["d_loss"]
    assert runs[0]["step"] == list(range(1, 16))


@pytest.mark.slow
@each_backend
def test_resume_continues_exactly(fw, tmp_path):
    straight, x = _toy(fw, sample_every=4)
    straight.fit(x, steps=20)
    first, _ = _toy(fw, out_dir=tmp_path, sample_every=4)
    first.fit(x, steps=10)
    assert (tmp_path / ("ckpt-00000010" + (".pt" if fw == "torch" else ""))).exists()
    second, _ = _toy(fw, out_dir=tmp_path, sample_every=4)
    assert second.resume() and second.step == 10
    assert [s for s, _ in second.samples] == [4, 8, 10]  # the snapshots came back too
    second.fit(x, steps=20)
    np.testing.assert_allclose(second.history["d_loss"], straight.history["d_loss"], rtol=1e-5)
    np.testing.assert_allclose(second.history["g_loss"], straight.history["g_loss"], rtol=1e-5)
    assert [s for s, _ in second.samples] == [4, 8, 10, 12, 16, 20]
    np.testing.assert_allclose(second.samples[-1][1], straight.samples[-1][1], rtol=1e-5, atol=1e-6)


def _lr(trainer, which):
    opt = getattr(trainer, "opt_" + which)
    if hasattr(opt, "param_groups"):
        return opt.param_groups[0]["lr"]
    return float(opt.learning_rate.numpy())


@pytest.mark.slow
@each_backend
def test_linear_lr_decay(fw, tmp_path):
    seen = []
    trainer, x = _toy(fw, lr_decay="linear", lr_g=4e-4, lr_d=2e-4, steps=4)
    trainer.hooks.append(lambda t: seen.append((t.step, _lr(t, "g"), _lr(t, "d"))))
    trainer.config.sample_every = 1
    trainer.fit(x, steps=4)
    # step k (1-based) trained at lr * (1 - (k - 1) / 4)
    np.testing.assert_allclose([g for _, g, _ in seen], [4e-4, 3e-4, 2e-4, 1e-4], rtol=1e-6)
    np.testing.assert_allclose([d for _, _, d in seen], [2e-4, 1.5e-4, 1e-4, 0.5e-4], rtol=1e-6)
    # The decay changes the trajectory; a run without it keeps its rate.
    plain, _ = _toy(fw, lr_g=4e-4, lr_d=2e-4)
    plain.fit(x, steps=4)
    assert _lr(plain, "g") == pytest.approx(4e-4) and plain.history["d_loss"] != trainer.history["d_loss"]
    # The rate follows the step, so a resumed run picks the schedule up where it stopped.
    first, _ = _toy(fw, out_dir=tmp_path, lr_decay="linear", steps=12)
    first.fit(x, steps=6)
    assert _lr(first, "g") == pytest.approx(TOY["lr_g"] * (1 - 5 / 12))  # one schedule, to step 12
    second, _ = _toy(fw, out_dir=tmp_path, lr_decay="linear", steps=12)
    assert second.resume() and second.step == 6
    second.fit(x)
    assert _lr(second, "g") == pytest.approx(TOY["lr_g"] * (1 - 11 / 12))
    # A fit beyond config.steps stretches the schedule to its own end.
    second.fit(x, steps=16)
    assert _lr(second, "g") == pytest.approx(TOY["lr_g"] * (1 - 15 / 16))


def _g_weights(trainer, which="G"):
    model = getattr(trainer, which)
    if hasattr(model, "state_dict"):
        return [p.detach().numpy().copy() for p in model.parameters()]
    return [w.numpy().copy() for w in model.trainable_weights]


@pytest.mark.slow
@each_backend
def test_ema_generator_is_the_running_average(fw, tmp_path):
    trainer, x = _toy(fw, ema=0.75, out_dir=tmp_path, sample_every=2)
    w0 = _g_weights(trainer)
    np.testing.assert_allclose(_g_weights(trainer, "G_ema")[0], w0[0])  # starts as G
    trainer.fit(x, steps=1)
    w1 = _g_weights(trainer)
    d = ema_decay(0.75, 0)  # the warm-up: 0.1 after the first step
    for avg, a, b in zip(_g_weights(trainer, "G_ema"), w0, w1):
        np.testing.assert_allclose(avg, d * a + (1 - d) * b, rtol=1e-5, atol=1e-7)
    trainer.fit(x, steps=4)
    gb = backend(fw)
    assert trainer.averaged_generator() is trainer.G_ema
    ema_samples = trainer.generate(16, seed=3)
    assert not np.allclose(ema_samples, gb.sample(trainer.G, 16, seed=3))  # samples come from G_ema
    np.testing.assert_allclose(gb.sample(gb.load_generator(tmp_path), 16, seed=3), ema_samples, rtol=1e-5,
                               atol=1e-6)  # and so does the saved generator
    # Resuming restores the average too: the same samples as one straight run.
    straight, _ = _toy(fw, ema=0.75, sample_every=2)
    straight.fit(x, steps=6)
    resumed, _ = _toy(fw, ema=0.75, out_dir=tmp_path, sample_every=2)
    assert resumed.resume() and resumed.step == 4
    resumed.fit(x, steps=6)
    np.testing.assert_allclose(resumed.generate(16, seed=3), straight.generate(16, seed=3), rtol=1e-5, atol=1e-6)


def test_ema_decay_warms_up_to_its_cap():
    assert ema_decay(0.999, 0) == pytest.approx(0.1)
    assert ema_decay(0.999, 8) == pytest.approx(0.5)
    assert ema_decay(0.75, 30) == 0.75
    assert ema_decay(0.999, 10**6) == 0.999


def test_ema_is_validated():
    with pytest.raises(ValueError, match=r"ema must be a decay in \[0, 1\)"):
        TrainConfig(ema=1.0)


def test_checkpoint_of_an_older_version_without_new_fields_is_compatible():
    from ganbook.config import incompatible
    current = TrainConfig(model="toy", dataset="ring").to_dict()
    older = {k: v for k, v in current.items() if k not in ("lr_decay", "sync_batchnorm")}
    assert incompatible(older, current) == []
    assert incompatible(older, {**current, "sync_batchnorm": True}) == ["sync_batchnorm: False -> True"]


def test_lr_decay_is_validated():
    with pytest.raises(ValueError, match="lr_decay must be one of"):
        TrainConfig(lr_decay="cosine")


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
@each_backend
def test_update_rules_agree_across_backends_in_kind(fw, update):
    """Both update rules train (finite losses, D outputs in (0, 1)) with several D steps and GP."""
    trainer, x = _toy(fw, update=update, n_critic=2, gp_weight=1.0)
    history = trainer.fit(x, steps=6)
    assert np.isfinite(history["d_loss"]).all() and np.isfinite(history["g_loss"]).all()
    assert 0 < min(history["d_fake"]) and max(history["d_real"]) < 1


@each_backend
def test_simultaneous_update_uses_the_old_discriminator(fw):
    """Simultaneous: G's first step is scored by the initial D; alternating: by the updated D.
    Same seed, so the first D step (and its loss) is the same; the first G loss differs."""
    x = _toy(fw)[1]
    runs = {u: _toy(fw, update=u, lr_d=0.05)[0].fit(x, steps=1) for u in ("alternating", "simultaneous")}
    assert runs["alternating"]["d_loss"] == pytest.approx(runs["simultaneous"]["d_loss"], rel=1e-5)
    assert runs["alternating"]["g_loss"] != pytest.approx(runs["simultaneous"]["g_loss"], rel=1e-2)


@each_backend
def test_checkpoints_every_k_and_pruned(fw, tmp_path):
    trainer, x = _toy(fw, out_dir=tmp_path, checkpoint_every=4, keep_checkpoints=2)
    trainer.fit(x, steps=10)
    names = sorted(p.name for p in tmp_path.glob("ckpt-*"))
    suffix = ".pt" if fw == "torch" else ""
    assert names == [f"ckpt-00000008{suffix}", f"ckpt-00000010{suffix}"]


@each_backend
def test_resume_with_other_config_is_refused(fw, tmp_path):
    trainer, x = _toy(fw, out_dir=tmp_path)
    trainer.fit(x, steps=3)
    other, _ = _toy(fw, out_dir=tmp_path, lr_d=1e-2, loss="hinge")
    with pytest.raises(ValueError, match=r"another config \(loss: 'nonsaturating' -> 'hinge'; "
                                         r"lr_d: 0.0003 -> 0.01\); resume with the same settings"):
        other.resume()


def test_checkpoint_of_other_framework_or_garbage_is_refused(tmp_path):
    bad = tmp_path / "ckpt-00000001.pt"
    bad.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="is not a readable ganbook PyTorch checkpoint"):
        backend("torch").load_generator(bad)
    with pytest.raises(FileNotFoundError, match="no ganbook TensorFlow checkpoint"):
        backend("tf").load_generator(tmp_path)


@each_backend
def test_load_generator_and_sample_in_one_line(fw, tmp_path):
    trainer, x = _toy(fw, out_dir=tmp_path)
    trainer.fit(x, steps=5)
    gb = backend(fw)
    samples = gb.sample(gb.load_generator(tmp_path), 16, seed=7)
    np.testing.assert_allclose(samples, trainer.generate(16, seed=7), rtol=1e-5, atol=1e-6)
    assert samples.shape == (16, 2) and samples.dtype == np.float32


@each_backend
def test_conditional_dcgan_checkpoint_round_trip(fw, tmp_path):
    """A conditional DCGAN saved and loaded draws the same digits for the same labels (the
    default: 0, 1, 2, ... cycling), and labels change them."""
    config = TrainConfig(model=DCGANOptions(n_classes=10, dense=16, batchnorm=True), batch_size=8,
                         ema=0.9, progress=False)
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    trainer = backend(fw).Trainer(config, out_dir=tmp_path)
    trainer.fit(x, np.arange(32) % 10, steps=3)
    gb = backend(fw)
    G = gb.load_generator(tmp_path)
    samples = gb.sample(G, 10, seed=7)
    np.testing.assert_allclose(samples, trainer.generate(10, seed=7), rtol=1e-4, atol=1e-5)
    assert not np.allclose(samples, gb.sample(G, 10, seed=7, labels=np.full(10, 3)), atol=1e-4)


@each_backend
def test_nan_stops_and_keeps_last_good_checkpoint(fw, tmp_path):
    trainer, x = _toy(fw, out_dir=tmp_path)
    trainer.fit(x, steps=5)
    good = trainer.last_checkpoint
    weights = trainer.D.parameters() if fw == "torch" else trainer.D.trainable_weights
    first = next(iter(weights))
    if fw == "torch":
        first.data.fill_(float("nan"))
    else:
        first.assign(np.full(first.shape, np.nan, np.float32))
    with pytest.raises(backend(fw).TrainingDivergedError,
                       match=rf"training diverged at step 6: d_loss=nan.*the last good checkpoint is {good}"):
        trainer.fit(x, steps=12)
    assert sorted(p.name for p in tmp_path.glob("ckpt-*")) == [good.name]


@each_backend
def test_bad_data_is_refused_before_training(fw):
    config = TrainConfig(model="mlp", dataset="mnist", steps=2, progress=False)
    trainer = backend(fw).Trainer(config)
    with pytest.raises(ValueError, match=r"lies in \[0, 255\], outside \[-1, 1\]"):
        trainer.fit(np.full((8, 784), 255.0, np.float32) * (np.arange(784) > 0))
    with pytest.raises(ValueError, match=r"samples of shape \(28, 28\), the model expects \(784,\)"):
        trainer.fit(np.zeros((8, 28, 28), np.float32))
    assert trainer.step == 0


@each_backend
def test_fewer_samples_than_a_batch(fw):
    trainer, x = _toy(fw)
    with pytest.raises(ValueError, match=r"10 training samples, fewer than one step.s batches \(1 x 64\); lower batch_size"):
        trainer.fit(x[:10], steps=1)


@each_backend
@pytest.mark.parametrize("kw", [
    dict(loss="wgan", gp_weight=10.0, n_critic=3),
    dict(loss="wgan", clip_value=0.01, n_critic=2),
    dict(loss="hinge", r1_weight=1.0, model=ToyOptions(spectral_norm=True)),
    dict(loss="lsgan"),
    dict(loss="minimax", mixed_precision="bf16"),
    dict(pack=4, loss="wgan", gp_weight=10.0),
], ids=["wgan-gp", "wgan-clip", "hinge-r1-sn", "lsgan", "minimax-bf16", "pacgan4-gp"])
def test_loss_options_train(fw, kw):
    trainer, x = _toy(fw, **kw)
    history = trainer.fit(x, steps=6)
    assert len(history["d_loss"]) == 6 and np.isfinite(history["d_loss"]).all()
    if kw.get("clip_value"):
        weights = trainer.D.parameters() if fw == "torch" else trainer.D.trainable_weights
        assert max(float(np.abs(np.asarray(w.detach() if fw == "torch" else w)).max()) for w in weights) <= 0.01 + 1e-7


@each_backend
def test_fp16_needs_a_gpu(fw):
    with pytest.raises(ValueError, match="mixed_precision='fp16' needs a"):
        _toy(fw, mixed_precision="fp16")


@pytest.mark.slow
@each_backend
def test_dcgan_and_conditional_on_real_digits(fw, data_root):
    for model in (DCGANOptions(), ConditionalOptions(), DCGANOptions(n_classes=10)):
        config = TrainConfig(model=model, dataset="mnist", batch_size=16, sample_every=2,
                             n_samples=8, progress=False, log_every=1)
        x, y = training_data(config, split="test", root=data_root)
        seen = []
        trainer = backend(fw).Trainer(config, hooks=[lambda t: seen.append(t.step)])
        trainer.fit(x[:256], y[:256], steps=3)
        assert seen == [2, 3]
        step, samples = trainer.samples[-1]
        assert step == 3 and samples.shape == (8,) + x.shape[1:]
        assert samples.min() >= -1 and samples.max() <= 1
        assert set(trainer.history) == {"step", "d_loss", "g_loss", "d_real", "d_fake"}
        assert 0 < trainer.history["d_real"][-1] < 1


@each_backend
def test_conditional_needs_labels(fw):
    trainer = backend(fw).Trainer(TrainConfig(model="conditional", dataset="mnist", progress=False))
    with pytest.raises(ValueError, match=r"a conditional model needs labels: fit\(x, y\)"):
        trainer.fit(np.zeros((300, 784), np.float32))
    trainer = backend(fw).Trainer(TrainConfig(model=DCGANOptions(n_classes=10), progress=False))
    with pytest.raises(ValueError, match=r"a conditional model needs labels: fit\(x, y\)"):
        trainer.fit(np.zeros((300, 28, 28, 1), np.float32))


def test_conditional_dcgan_config():
    assert TrainConfig(model=DCGANOptions(n_classes=10)).conditional
    assert TrainConfig(model="conditional").conditional
    assert not TrainConfig().conditional and not TrainConfig(model=DCGANOptions(n_classes=0)).conditional
    with pytest.raises(ValueError, match="n_classes must be an integer >= 0"):
        TrainConfig(model=DCGANOptions(n_classes=-1))
    with pytest.raises(ValueError, match="pack > 1 is not supported for a conditional model"):
        TrainConfig(model=DCGANOptions(n_classes=10), pack=2, batch_size=64)


@pytest.mark.slow
@each_backend
def test_compiled_step_gives_the_same_losses(fw):
    eager, x = _toy(fw)
    compiled, _ = _toy(fw, compile=True)
    a, b = eager.fit(x, steps=3), compiled.fit(x, steps=3)
    # XLA may reorder floating-point work: equal to 1e-3, not bit for bit
    np.testing.assert_allclose(a["d_loss"], b["d_loss"], rtol=1e-3)


@each_backend
def test_a_checkpoint_within_fit_resumes_exactly_with_dropout(fw, tmp_path):
    """A checkpoint written in the middle of fit keeps the random state dropout draws from
    at that step: resumed from it, the run goes on as if never stopped."""
    config = TrainConfig(model=MLPOptions(dropout=0.3, g_hidden=(32,), d_hidden=(32,)), dataset="mnist",
                         batch_size=16, checkpoint_every=4, keep_checkpoints=0, log_every=1, progress=False)
    x = np.random.default_rng(0).uniform(-1, 1, (64, 784)).astype(np.float32)
    straight = backend(fw).Trainer(config, out_dir=tmp_path).fit(x, steps=8)
    newest = tmp_path / ("ckpt-00000008.pt" if fw == "torch" else "ckpt-00000008")
    shutil.rmtree(newest) if newest.is_dir() else newest.unlink()
    resumed = backend(fw).Trainer(config, out_dir=tmp_path)
    assert resumed.resume() and resumed.step == 4
    np.testing.assert_allclose(resumed.fit(x, steps=8)["d_loss"], straight["d_loss"], rtol=1e-5)
