"""The MNIST feature classifier: data split, packaged weights, accuracy, torch/TF parity."""
import shutil

import numpy as np
import pytest

from ganbook.eval import classifier as spec
from ganbook.data import scale
from ganbook.data.mnist import load_mnist
from tests.helpers.backends import FRAMEWORKS, backend, each_backend
from tests.helpers.random_state import check_seeded_and_private
from tests.conftest import offline_data


@pytest.fixture(scope="module")
def test_split():
    """The 10,000 test digits, which the classifier never saw, in the shared layout."""
    images, labels = load_mnist("test", root=offline_data())
    return scale(images)[..., None], labels


@pytest.fixture(scope="module")
def models():
    return {fw: backend(fw).load_classifier() for fw in FRAMEWORKS}


def test_reference_digits_are_a_fixed_subset_of_the_training_split(data_root):
    images, labels = spec.reference_digits(data_root)
    assert images.shape == (spec.N_REFERENCE, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.int64 and np.bincount(labels).min() > 800  # every class, roughly balanced
    train, _ = load_mnist("train", root=data_root)
    rows = {x.tobytes() for x in train}
    assert all(x.tobytes() in rows for x in images[:200])
    again, _ = spec.reference_digits(data_root)
    assert np.array_equal(again, images)


def test_real_digits_are_test_digits_and_a_larger_n_extends_a_smaller(data_root):
    small, small_y = spec.real_digits(100, data_root)
    large, large_y = spec.real_digits(1000, data_root)
    assert small.shape == (100, 28, 28) and large.shape == (1000, 28, 28)
    assert np.array_equal(large[:100], small) and np.array_equal(large_y[:100], small_y)
    test, _ = load_mnist("test", root=data_root)
    rows = {x.tobytes() for x in test}
    assert all(x.tobytes() in rows for x in large)
    assert spec.real_digits(50_000, data_root)[0].shape == (10_000, 28, 28)  # all there are


@each_backend
def test_test_accuracy(fw, models, test_split):
    x, y = test_split
    logits, features = backend(fw).classify(models[fw], x)
    assert logits.shape == (10_000, 10) and features.shape == (10_000, spec.N_FEATURES)
    assert logits.dtype == features.dtype == np.float32
    accuracy = (logits.argmax(1) == y).mean()
    assert accuracy >= 0.993
    assert abs(accuracy - spec.ACCURACY) < 2e-4  # the documented number is the measured one


def test_feature_scale_is_the_rms_of_test_features(models, test_split):
    _, feats = backend("torch").classify(models["torch"], test_split[0])
    assert np.sqrt((feats ** 2).mean()) == pytest.approx(spec.FEATURE_SCALE, rel=0.01)


def test_torch_and_tf_give_the_same_logits(models, test_split):
    noise = np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)).astype(np.float32)
    for x in (test_split[0][:500], noise):
        lt, ft = backend("torch").classify(models["torch"], x, batch_size=128)
        lf, ff = backend("tf").classify(models["tf"], x, batch_size=128)
        assert np.abs(lt - lf).max() < 1e-4
        assert np.abs(ft - ff).max() < 1e-4


@each_backend
def test_accepts_three_image_shapes(fw, models, test_split):
    x = test_split[0][:40]
    gb = backend(fw)
    outputs = [gb.classify(models[fw], v, batch_size=16) for v in (x, x[..., 0], x.reshape(40, 784))]
    for logits, features in outputs[1:]:  # the same pixels; oneDNN may round differently
        np.testing.assert_allclose(logits, outputs[0][0], rtol=0, atol=1e-5)
        np.testing.assert_allclose(features, outputs[0][1], rtol=0, atol=1e-5)
    assert gb.classify(models[fw], x[:0])[0].shape == (0, 10)


@each_backend
@pytest.mark.parametrize("shape, message", [
    ((4, 1, 28, 28), r"shape \(4, 1, 28, 28\); the MNIST classifier takes \(N, 28, 28, 1\)"),
    ((4, 32, 32, 1), r"shape \(4, 32, 32, 1\)"),
    ((4, 783), r"shape \(4, 783\)"),
])
def test_wrong_shape_raises(fw, models, shape, message):
    with pytest.raises(ValueError, match=message):
        backend(fw).classify(models[fw], np.zeros(shape, np.float32))


def test_uint8_and_nan_raise(models):
    gb = backend("torch")
    with pytest.raises(ValueError, match="uint8 pixels; scale them to \\[-1, 1\\] with ganbook.data.scale"):
        gb.classify(models["torch"], np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="NaN or Inf"):
        gb.classify(models["torch"], np.full((2, 784), np.nan, np.float32))


def test_forward_returns_logits_or_both(models, test_split):
    import torch
    x = torch.from_numpy(np.ascontiguousarray(test_split[0][:8].transpose(0, 3, 1, 2)))
    with torch.no_grad():
        logits = models["torch"](x)
        both = models["torch"](x, return_features=True)
    assert tuple(logits.shape) == (8, 10) and torch.equal(logits, both[0])
    assert tuple(both[1].shape) == (8, spec.N_FEATURES)
    assert tuple(models["tf"](test_split[0][:8]).shape) == (8, 10)


def test_architecture_matches_the_weight_file(models):
    weights = spec.load_weights()
    assert {k: v.shape for k, v in weights.items()} == spec.weight_shapes()
    n = sum(v.size for v in weights.values())
    assert 20_000 < n < 200_000
    assert backend("torch").count_params(models["torch"]) == n == models["tf"].count_params()


def test_weight_file_is_rebuilt_byte_for_byte(tmp_path):
    """save_weights is deterministic: re-saving the packaged weights gives the pinned hash."""
    assert spec.save_weights(spec.load_weights(), tmp_path / "w.npz") == spec.WEIGHTS_SHA256


def test_checksum_mismatch_is_a_clear_error(tmp_path, monkeypatch):
    copy = tmp_path / "mnist_classifier.npz"
    shutil.copy(spec.WEIGHTS_PATH, copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(spec, "WEIGHTS_PATH", copy)
    with pytest.raises(spec.WeightsError, match="SHA-256 .* expected .*scripts/train_classifier.py"):
        backend("torch").load_classifier()
    monkeypatch.setattr(spec, "WEIGHTS_PATH", tmp_path / "missing.npz")
    with pytest.raises(spec.WeightsError, match="not found; reinstall ganbook"):
        spec.load_weights()


def test_shape_check_of_the_weights(tmp_path):
    weights = spec.load_weights()
    weights["logits/bias"] = np.zeros(9, np.float32)
    with pytest.raises(spec.WeightsError, match=r"logits/bias has shape \(9,\), expected \(10,\)"):
        spec.save_weights(weights, tmp_path / "bad.npz")


@pytest.mark.slow
@each_backend
def test_fit_classifier_learns_from_few_labels(fw, test_split):
    gb = backend(fw)
    x, y = load_mnist("train", root=offline_data())
    model = gb.fit_classifier(scale(x[:500]).reshape(500, 784), y[:500], steps=300, seed=1)
    hx, hy = test_split
    logits, _ = gb.classify(model, hx)
    assert (logits.argmax(1) == hy).mean() > 0.8  # chance is 0.1
    with pytest.raises(ValueError, match="as many labels as images"):
        gb.fit_classifier(scale(x[:5]), y[:4])


@pytest.mark.slow
@each_backend
def test_fit_classifier_is_seeded_and_keeps_to_its_own_random_state(fw, test_split):
    gb = backend(fw)
    x, y = test_split[0][:32], test_split[1][:32]

    def run(seed=1):
        return gb.classify(gb.fit_classifier(x, y, steps=2, batch_size=8, seed=seed), x[:4])

    logits, _ = check_seeded_and_private(fw, run)
    assert not np.array_equal(logits, run(seed=2)[0])


@each_backend
def test_load_classifier_keeps_to_its_own_random_state(fw):
    gb = backend(fw)
    check_seeded_and_private(fw, lambda: gb.classify(gb.load_classifier(), np.zeros((2, 784), np.float32)))


def test_the_classifier_says_where_it_runs():
    import torch

    assert backend("torch").load_classifier().device == torch.device("cpu")
    assert backend("tf").load_classifier().device == "/CPU:0"
    assert backend("tf").MnistClassifier("/CPU:0").device == "/CPU:0"
