"""ganbook.backend(name) and framework_of(model)."""
import pytest

import ganbook
from ganbook.backend import framework_of


def test_backend_by_name():
    assert ganbook.backend("torch").FRAMEWORK == "torch"
    assert ganbook.backend("tf").FRAMEWORK == "tf"
    with pytest.raises(ValueError, match=r"backend must be one of \('torch', 'tf'\), got 'jax'"):
        ganbook.backend("jax")


def test_framework_of_a_model():
    torch_model = ganbook.backend("torch").MLPGenerator(latent_dim=2, hidden=(4,), out_dim=2)
    keras_model = ganbook.backend("tf").MLPGenerator(latent_dim=2, hidden=(4,), out_dim=2)
    assert framework_of(torch_model) == "torch" and framework_of(keras_model) == "tf"
    assert framework_of(object()) is None and framework_of([1, 2]) is None


def test_describe_device_names_the_cpu_threads_in_use(monkeypatch):
    import torch

    assert ganbook.backend("torch").describe_device("cpu") == \
        f"cpu ({torch.get_num_threads()} thread{'s' if torch.get_num_threads() != 1 else ''})"
    gf = ganbook.backend("tf")
    import tensorflow as tf
    if tf.config.threading.get_intra_op_parallelism_threads() == 0:  # not set through the API
        monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "1")
        assert gf.describe_device("/CPU:0") == "/CPU:0 (1 thread)"
