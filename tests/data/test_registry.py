"""The registry of data sets: one entry knows a data set's shape, range, classes and loader."""
import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.data.registry import DATASETS, DatasetSpec, get_dataset, register_dataset, sample_shape, training_data


def test_the_book_data_sets():
    assert {"mnist", "ring", "grid", "bimodal"} <= set(DATASETS)
    mnist = get_dataset("mnist")
    assert mnist.shape == (28, 28, 1) and mnist.bounded and mnist.n_classes == 10 and mnist.evaluator == "mnist"
    assert get_dataset("bimodal").shape == (1,) and not get_dataset("ring").images


def test_unknown_names_are_refused_with_the_names_there_are():
    with pytest.raises(ValueError, match=r"unknown data set 'cifar'; registered: \['bimodal'"):
        get_dataset("cifar")
    with pytest.raises(ValueError, match="dataset must be a registered data set"):
        TrainConfig(dataset="cifar")


def test_sample_shape_follows_the_model():
    assert sample_shape(TrainConfig()) == (28, 28, 1)
    assert sample_shape(TrainConfig(model="mlp")) == (784,)
    assert sample_shape(TrainConfig(model="toy", dataset="ring")) == (2,)


def test_a_new_data_set_is_one_entry():
    def load(split, root, seed):
        rng = np.random.default_rng(seed)
        return rng.uniform(-1, 1, (10, 8, 8, 3)).astype(np.float32), rng.integers(0, 4, 10)

    register_dataset(DatasetSpec("tiny", (8, 8, 3), bounded=True, n_classes=4, load=load))
    try:
        x, y = training_data(TrainConfig(dataset="tiny", model="mlp"))
        assert x.shape == (10, 192) and y.shape == (10,)
        x, _ = training_data(TrainConfig(dataset="tiny"))
        assert x.shape == (10, 8, 8, 3)
    finally:
        DATASETS.pop("tiny")


def test_mixtures_load_with_the_config_seed():
    a, _ = training_data(TrainConfig(model="toy", dataset="grid", seed=1))
    b, y = training_data(TrainConfig(model="toy", dataset="grid", seed=1))
    assert a.shape == (100_000, 2) and y is None
    np.testing.assert_array_equal(a, b)
