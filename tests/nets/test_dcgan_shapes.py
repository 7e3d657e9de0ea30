"""The book's DCGAN builds for any square side that is a multiple of 4 and any channel count."""
import pytest

from ganbook.config import TrainConfig
from ganbook.nets.options import DCGANOptions
from tests.helpers.backends import backend, each_backend


@each_backend
@pytest.mark.parametrize("shape", [(16, 16, 1), (32, 32, 3), (64, 64, 4)])
def test_dcgan_builds_for_the_data_shape(fw, shape):
    gb = backend(fw)
    for model in (DCGANOptions(), DCGANOptions(n_classes=3, dense=8)):
        G, D = gb.build_models(TrainConfig(model=model, latent_dim=4), shape=shape)
        labels = [0, 1] if model.n_classes else None
        x = gb.sample(G, 2, labels=labels)
        assert x.shape == (2, *shape) and x.min() >= -1 and x.max() <= 1
        out = D(*_tensors(fw, gb.to_native(x), labels))
        assert tuple(out.shape) == (2, 1)


def _tensors(fw, x, labels):
    """x (and labels) as the framework's tensors."""
    if fw == "torch":
        import torch
        convert = torch.as_tensor
    else:
        import tensorflow as tf
        convert = tf.constant
    return (convert(x),) + ((convert(labels),) if labels else ())
