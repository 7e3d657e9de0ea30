"""Your own networks, losses and data: Trainer(config, G=..., D=...) in each backend."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.data.registry import DATASETS, DatasetSpec, register_dataset
from ganbook.eval.metrics import kid
from ganbook.nets.options import DCGANOptions, MLPOptions
from ganbook.train.checkpoints import UnreadableCheckpoint
from ganbook.train.runlock import RunFolderBusy
from tests.helpers.backends import backend, each_backend
from tests.helpers.random_state import check_seeded_and_private
from tests.helpers.user_nets import LATENT, moons, networks

ROOT = Path(__file__).resolve().parents[2]
USER = dict(latent_dim=LATENT, batch_size=64, lr_g=1e-3, lr_d=1e-3, progress=False, log_every=10)


@pytest.mark.slow
@each_backend
def test_user_mlp_learns_the_two_moons(fw):
    """A user-written MLP pair learns a data set the book never uses: the KID between
    its samples and the data falls far below the untrained generator's (about 0.5 at
    the start, under 0.03 after 800 steps for seeds 0-2 in both backends)."""
    gb, (G, D) = backend(fw), networks(fw)
    # R1 and the weight average make the moons converge for every seed tried.
    config = TrainConfig(**{**USER, "batch_size": 128, "lr_g": 5e-4, "lr_d": 5e-4}, r1_weight=0.1, ema=0.99,
                         steps=800)
    trainer = gb.Trainer(config, G=G, D=D)
    before = kid(trainer.generate(1000, seed=1), moons(1000, seed=9), subsets=20, subset_size=500)[0]
    trainer.fit(moons(4000))
    after = kid(trainer.generate(1000, seed=1), moons(1000, seed=9), subsets=20, subset_size=500)[0]
    assert after < 0.1 * before, (before, after)


@each_backend
def test_user_conv_nets_on_32x32_rgb(fw, tmp_path):
    """User conv networks train on 32x32x3 arrays (shared layout) with an image-only
    option (translation), snapshots and a checkpoint; load_generator loads them back."""
    gb, (G, D) = backend(fw), networks(fw, "conv")
    x = np.random.default_rng(0).uniform(-1, 1, (64, 32, 32, 3)).astype(np.float32)
    config = TrainConfig(**{**USER, "batch_size": 16}, augment="translation", sample_every=2, n_samples=4)
    trainer = gb.Trainer(config, out_dir=tmp_path, G=G(), D=D())
    history = trainer.fit(x, steps=3)
    assert np.isfinite(history["d_loss"]).all() and trainer.sample_shape == (32, 32, 3)
    assert trainer.samples[-1][1].shape == (4, 32, 32, 3)
    loaded = gb.load_generator(tmp_path, G=G)
    np.testing.assert_allclose(gb.sample(loaded, 4, seed=2), trainer.generate(4, seed=2), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="trained with your own networks; pass the generator"):
        gb.load_generator(tmp_path)
    with pytest.raises(ValueError, match=r"samples of shape \(28, 28, 1\), the model expects \(32, 32, 3\)"):
        trainer.fit(np.zeros((64, 28, 28, 1), np.float32), steps=4)
    points = gb.Trainer(config, G=networks(fw)[0], D=networks(fw)[1])
    with pytest.raises(ValueError, match=r"augment='translation' moves images; these samples have shape \(2,\)"):
        points.fit(moons(64), steps=1)


@each_backend
def test_user_networks_are_what_trains(fw):
    """The networks passed in are the ones trained (no copy), and half a pair is refused."""
    gb, (G, D) = backend(fw), networks(fw)
    g, d = G(), D()
    trainer = gb.Trainer(TrainConfig(**USER), G=g, D=d)
    assert trainer.G is g and trainer.D is d
    with pytest.raises(ValueError, match="pass both G and D"):
        gb.Trainer(TrainConfig(**USER), G=g)
    with pytest.raises(TypeError, match="D must be a"):
        gb.Trainer(TrainConfig(**USER), G=g, D=np.zeros(3))


@each_backend
def test_loss_callables(fw):
    """d_loss/g_loss callables replace config.loss's; D's outputs are then reported raw."""
    gb, (G, D) = backend(fw), networks(fw)
    calls = []
    d_named, g_named = gb.losses.LOSSES["lsgan"]

    def d_loss(real, fake):
        calls.append("d")
        return d_named(real, fake)

    x = moons(500)
    # Classes, not instances: the trainer builds them under its seed, so both start alike.
    ours = gb.Trainer(TrainConfig(**USER), G=G, D=D, d_loss=d_loss, g_loss=g_named)
    named = gb.Trainer(TrainConfig(**USER, loss="lsgan"), G=G, D=D)
    assert not ours.probabilities and not named.probabilities
    h_ours, h_named = ours.fit(x, steps=3), named.fit(x, steps=3)
    assert "d" in calls
    np.testing.assert_allclose(h_ours["d_loss"], h_named["d_loss"], rtol=1e-5)


@each_backend
def test_trainer_leaves_global_random_state_alone(fw):
    """Constructing and training neither reseeds nor consumes the caller's generators,
    and two trainers with one seed train identically (with dropout in D)."""
    gb = backend(fw)
    config = TrainConfig(model=MLPOptions(dropout=0.3), dataset="mnist", batch_size=16, progress=False)
    x = np.random.default_rng(0).uniform(-1, 1, (64, 784)).astype(np.float32)
    check_seeded_and_private(fw, lambda: [gb.Trainer(config).fit(x, steps=2)["d_loss"]])


@each_backend
def test_conditional_snapshots_with_five_classes(fw):
    """A conditional DCGAN with n_classes=5 snapshots with labels 0..4 cycling (not modulo 10)."""
    config = TrainConfig(model=DCGANOptions(n_classes=5, dense=16, batchnorm=True), batch_size=8,
                         sample_every=1, n_samples=12, progress=False)
    x = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    trainer = backend(fw).Trainer(config)
    trainer.fit(x, np.arange(32) % 5, steps=2)
    assert len(trainer.samples) == 2 and trainer.samples[-1][1].shape == (12, 28, 28, 1)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 5\)"):
        trainer.fit(x, np.arange(32) % 10, steps=3)


@each_backend
def test_registered_32x32_rgb_data_set_builds_the_dcgan(fw):
    """One registry entry is enough for the book's DCGAN to train on 32x32x3 images."""
    rng = np.random.default_rng(0)
    spec = DatasetSpec("rgb32", (32, 32, 3), bounded=True, n_classes=0,
                       load=lambda split, root, seed: (rng.uniform(-1, 1, (48, 32, 32, 3)).astype(np.float32), None))
    register_dataset(spec)
    try:
        from ganbook.data.registry import training_data
        config = TrainConfig(dataset="rgb32", batch_size=16, progress=False)
        x, _ = training_data(config)
        trainer = backend(fw).Trainer(config)
        assert trainer.sample_shape == (32, 32, 3)
        assert np.isfinite(trainer.fit(x, steps=2)["d_loss"]).all()
        with pytest.raises(ValueError, match=r"outside \[-1, 1\]"):
            trainer.fit(x * 2, steps=3)
    finally:
        DATASETS.pop("rgb32")


@each_backend
def test_a_live_run_holds_its_folder(fw, tmp_path):
    """A second process cannot train into a folder a live run holds; it is told who holds it."""
    gb, (G, D) = backend(fw), networks(fw)
    trainer = gb.Trainer(TrainConfig(**USER), out_dir=tmp_path, G=G(), D=D())
    trainer.fit(moons(500), steps=2)
    code = ("import sys; from ganbook.train import runlock\n"
            "try:\n    runlock.hold(sys.argv[1])\nexcept runlock.RunFolderBusy as e:\n    print(e); sys.exit(3)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 3 and f"run folder {tmp_path} is in use by process {os.getpid()}" in out.stdout
    trainer.close()
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert issubclass(RunFolderBusy, RuntimeError)


@each_backend
def test_resume_skips_an_unreadable_newest_checkpoint(fw, tmp_path):
    """A damaged newest checkpoint is named in a warning and the one before it is loaded."""
    gb, (G, D) = backend(fw), networks(fw)
    config = TrainConfig(**USER, checkpoint_every=2, keep_checkpoints=0)
    gb.Trainer(config, out_dir=tmp_path, G=G(), D=D()).fit(moons(500), steps=4)
    newest = tmp_path / ("ckpt-00000004.pt" if fw == "torch" else "ckpt-00000004/meta.json")
    newest.write_bytes(b"cut short")
    resumed = gb.Trainer(config, out_dir=tmp_path, G=G(), D=D())
    with pytest.warns(UserWarning, match=r"(?s)ckpt-00000004.*kept as ckpt-00000004.*unreadable; resuming from"):
        assert resumed.resume()
    assert resumed.step == 2
    aside = tmp_path / ("ckpt-00000004.pt.unreadable" if fw == "torch" else "ckpt-00000004.unreadable")
    assert aside.exists()  # kept, and out of the way of pruning and of newest_checkpoint
    # Nothing readable at all: refused, not silently started afresh.
    for p in tmp_path.glob("ckpt-*"):
        if not p.name.endswith(".unreadable"):
            (p if p.is_file() else p / "meta.json").write_bytes(b"cut short")
    with pytest.warns(UserWarning), pytest.raises(UnreadableCheckpoint, match="none of the 1 checkpoints"):
        gb.Trainer(config, out_dir=tmp_path, G=G(), D=D()).resume()


@pytest.mark.slow
@each_backend
def test_user_networks_sigkill_resume_and_load(fw, tmp_path):
    """User networks trained in a process that is SIGKILLed after a checkpoint resume in a
    fresh process and end exactly where an uninterrupted run ends; load_generator(G=...)
    loads the result."""
    script = [sys.executable, str(ROOT / "tests" / "helpers" / "user_run.py"), fw]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    killed = subprocess.run(script + [str(tmp_path / "run"), "60", "--die-at", "50"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    suffix = ".pt" if fw == "torch" else ""
    assert sorted(p.name for p in (tmp_path / "run").glob("ckpt-*")) == [
        f"ckpt-00000020{suffix}", f"ckpt-00000040{suffix}"]
    resumed = subprocess.run(script + [str(tmp_path / "run"), "60", "--resume"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    straight = subprocess.run(script + [str(tmp_path / "straight"), "60"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    assert resumed.returncode == 0 and straight.returncode == 0, resumed.stderr[-2000:] + straight.stderr[-2000:]
    a, b = json.loads(resumed.stdout.splitlines()[-1]), json.loads(straight.stdout.splitlines()[-1])
    assert len(a["d_loss"]) == len(b["d_loss"]) == 60
    np.testing.assert_allclose(a["d_loss"], b["d_loss"], rtol=1e-4)
    gb, (G, _) = backend(fw), networks(fw)
    samples = [gb.sample(gb.load_generator(tmp_path / name, G=G), 8, seed=3) for name in ("run", "straight")]
    np.testing.assert_allclose(samples[0], samples[1], rtol=1e-4, atol=1e-5)


@each_backend
def test_weight_average_of_a_sequential_instance(fw):
    """ema with a G given as an object: copied (torch deepcopy, Keras clone_model for a
    Sequential); a subclassed Keras instance is refused with what to do instead."""
    gb = backend(fw)
    if fw == "torch":
        from torch import nn
        G = nn.Sequential(nn.Linear(LATENT, 16), nn.ReLU(), nn.Linear(16, 2))
    else:
        import keras
        G = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)])
    D = networks(fw)[1]
    trainer = gb.Trainer(TrainConfig(**USER, ema=0.5), G=G, D=D)
    history = trainer.fit(moons(256), steps=2)
    assert np.isfinite(history["g_loss"]).all() and trainer.averaged_generator() is trainer.G_ema
    assert trainer.generate(4).shape == (4, 2)  # no G.latent_dim needed when the trainer draws the noise
    if fw == "tf":
        with pytest.raises(ValueError, match="pass G as a function that builds it"):
            gb.Trainer(TrainConfig(**USER, ema=0.5), G=networks(fw)[0](), D=D)
