"""Super-resolution: the framework-free helpers and the SR generator of each backend."""
import numpy as np
import pytest

from ganbook.studies import superres
from ganbook.data.mnist import load_mnist
from ganbook.data import scale
from tests.helpers.backends import backend, each_backend
from tests.helpers.random_state import check_seeded_and_private


def _digits(data_root, n):
    images, _ = load_mnist("train", root=data_root)
    return scale(images[:n])[..., None]


def test_downsample_averages_blocks():
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1) / 16
    low = superres.downsample(x, 2)
    assert low.shape == (1, 2, 2, 1)
    np.testing.assert_allclose(low[0, :, :, 0], np.array([[2.5, 4.5], [10.5, 12.5]]) / 16)


def test_bicubic_keeps_constants_and_shapes():
    x = np.full((2, 7, 7, 1), 0.25, np.float32)
    up = superres.bicubic(x, 2)
    assert up.shape == (2, 14, 14, 1) and up.dtype == np.float32
    np.testing.assert_allclose(up, 0.25, atol=1e-6)


def test_psnr_values():
    target = np.zeros((2, 4, 4, 1), np.float32)
    noisy = target.copy()
    noisy[1] += 0.2  # MSE 0.04 -> 10 log10(4 / 0.04) = 20 dB
    out = superres.psnr(noisy, target)
    assert out[0] == np.inf and out[1] == pytest.approx(20.0)


@pytest.mark.parametrize("call, match", [
    (lambda: superres.downsample(np.zeros((1, 5, 4, 1)), 2), "not a multiple"),
    (lambda: superres.downsample(np.zeros((5, 4)), 2), r"images \(N, H, W, C\)"),
    (lambda: superres.psnr(np.zeros((1, 4, 4, 1)), np.zeros((1, 2, 2, 1))), "same shape"),
    (lambda: superres.psnr(np.zeros((1, 2, 2, 1)), np.full((1, 2, 2, 1), 3.0)), r"outside \[-1, 1\]"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_untrained_generators_are_bilinear_and_agree_across_backends(data_root):
    low = superres.downsample(_digits(data_root, 8))
    outs = [backend(fw).superresolve(backend(fw).SRGenerator(), low) for fw in ("torch", "tf")]
    assert outs[0].shape == (8, 28, 28, 1)
    np.testing.assert_allclose(outs[0], outs[1], atol=1e-5)
    gt, gf = backend("torch"), backend("tf")
    assert gt.count_params(gt.SRGenerator()) == gf.count_params(gf.SRGenerator()) == 19_105  # 3x3 convs: 1->32, 32->32, 32->32, 32->1, with biases


@pytest.mark.slow
@each_backend
@pytest.mark.parametrize("adv_weight", [0.0, 1e-2])
def test_training_beats_the_untrained_bilinear_generator(fw, adv_weight, data_root):
    gb = backend(fw)
    digits = _digits(data_root, 512)
    G, history = gb.train_superres(digits[:448], steps=60, batch_size=32, adv_weight=adv_weight, seed=1)
    assert history["step"] == list(range(1, 61))
    assert (np.array(history["d_loss"]) > 0).all() == bool(adv_weight)
    test = digits[448:]
    low = superres.downsample(test)
    trained = superres.psnr(gb.superresolve(G, low), test).mean()
    bilinear = superres.psnr(gb.superresolve(gb.SRGenerator(), low), test).mean()
    assert trained > bilinear + 0.5, (trained, bilinear)


@pytest.mark.slow
@each_backend
def test_train_superres_is_seeded_and_keeps_to_its_own_random_state(fw):
    gb = backend(fw)
    x = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 1)).astype(np.float32)

    def run(seed=1):
        G, history = gb.train_superres(x, steps=2, batch_size=4, seed=seed)
        return history["pixel"], history["d_loss"], gb.superresolve(G, superres.downsample(x))

    pixel, _, out = check_seeded_and_private(fw, run)
    assert out.shape == x.shape and not np.array_equal(pixel, run(seed=2)[0])
