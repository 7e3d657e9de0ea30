"""Random translation of D's inputs (TrainConfig.augment="translation"), both backends."""
import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.nets.options import ConditionalOptions, DCGANOptions
from ganbook.train.diffaug import FILL, max_shift
from tests.helpers.backends import backend, each_backend


def _reference(x, shifts):
    """x (N, H, W, C) moved by shifts (rows, cols), pixel by pixel, border FILL."""
    out = np.full_like(x, FILL)
    h, w = x.shape[1:3]
    for i, (dr, dc) in enumerate(shifts):
        for r in range(h):
            for c in range(w):
                if 0 <= r - dr < h and 0 <= c - dc < w:
                    out[i, r, c] = x[i, r - dr, c - dc]
    return out


def _translate(fw, x, shifts, s):
    """The backend's translate on channels-last NumPy arrays, returned as NumPy."""
    if fw == "torch":
        import torch
        t = torch.from_numpy(x).permute(0, 3, 1, 2)
        return backend(fw).diffaug.translate(t, torch.from_numpy(shifts), s).permute(0, 2, 3, 1).numpy()
    import tensorflow as tf
    return backend(fw).diffaug.translate(tf.constant(x), tf.constant(shifts), s).numpy()


@each_backend
def test_translate_moves_pixels_and_fills_the_border(fw):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (6, 12, 10, 2)).astype(np.float32)
    shifts = np.array([[0, 0], [1, 0], [0, -1], [-3, 3], [3, -2], [2, 2]])
    np.testing.assert_array_equal(_translate(fw, x, shifts, 3), _reference(x, shifts))
    np.testing.assert_array_equal(_translate(fw, x, np.zeros((6, 2), np.int64), 3), x)


@each_backend
def test_translate_passes_gradients_to_the_pixels_it_keeps(fw):
    x = np.ones((2, 5, 5, 1), np.float32)
    shifts = np.array([[1, 0], [0, -2]])
    keep = (_reference(x, shifts) != FILL).reshape(2, -1).sum(axis=1)  # pixels still inside
    if fw == "torch":
        import torch
        t = torch.from_numpy(x).permute(0, 3, 1, 2).requires_grad_()
        backend(fw).diffaug.translate(t, torch.from_numpy(shifts), 2).sum().backward()
        grad = t.grad.numpy()
    else:
        import tensorflow as tf
        t = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(backend(fw).diffaug.translate(t, tf.constant(shifts), 2))
        grad = tape.gradient(y, t).numpy()
    np.testing.assert_array_equal(grad.reshape(2, -1).sum(axis=1), keep)
    assert set(np.unique(grad)) <= {0.0, 1.0}


@each_backend
def test_random_shifts_cover_the_range(fw):
    if fw == "torch":
        import torch
        shifts = backend(fw).diffaug.random_shifts(2000, 3, torch.Generator().manual_seed(0)).numpy()
    else:
        import tensorflow as tf
        shifts = backend(fw).diffaug.random_shifts(2000, 3, tf.random.Generator.from_seed(0)).numpy()
    assert shifts.shape == (2000, 2)
    assert sorted(np.unique(shifts)) == list(range(-3, 4))


def test_max_shift_is_an_eighth_of_the_side():
    assert [max_shift(n) for n in (4, 28, 32, 64)] == [1, 3, 4, 8]


def test_augment_is_validated():
    with pytest.raises(ValueError, match="augment must be one of"):
        TrainConfig(augment="flip")
    with pytest.raises(ValueError, match="augment='translation' moves images; model 'mlp' takes them flattened"):
        TrainConfig(model="mlp", augment="translation")
    with pytest.raises(ValueError, match="model 'conditional' takes them flattened"):
        TrainConfig(model=ConditionalOptions(), augment="translation")
    assert TrainConfig(model=DCGANOptions(n_classes=10), augment="translation").augment == "translation"


@pytest.mark.parametrize("fw", ["torch", pytest.param("tf", marks=pytest.mark.slow)])
def test_trainer_moves_every_batch_d_sees(fw, monkeypatch):
    """With augment on, D's real and fake inputs in D's step and the fake input in G's
    step go through translate (3 calls per step; TF counts its one trace); off, none."""
    module = backend(fw).diffaug
    calls = []

    def counting(x, shifts, s, *args):
        calls.append(tuple(x.shape))
        return translate(x, shifts, s, *args)

    translate = module.translate
    monkeypatch.setattr(module, "translate", counting)
    x = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype(np.float32)
    for augment, expected in ((None, 0), ("translation", 3)):
        calls.clear()
        config = TrainConfig(model="dcgan", batch_size=16, augment=augment, progress=False)
        history = backend(fw).Trainer(config).fit(x, steps=1)
        assert len(calls) == expected and np.isfinite(history["d_loss"]).all()
