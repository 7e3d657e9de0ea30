"""Typed model options, the config's model field, and configs of older versions."""
import dataclasses

import pytest

from ganbook.config import TrainConfig, incompatible, upgrade
from ganbook.nets.options import (MODELS, ConditionalOptions, DCGANOptions, MLPOptions, ToyOptions,
                                  model_arguments, model_options)


def test_a_name_means_the_defaults_and_round_trips():
    config = TrainConfig(model="dcgan")
    assert config.model == DCGANOptions()
    again = TrainConfig.from_dict(config.to_dict())
    assert again == config and again.to_dict()["model"] == {"name": "dcgan", **dataclasses.asdict(DCGANOptions())
                                                            | {"widths": [64, 128], "g_widths": [256, 128, 64]}}


def test_options_are_typed_and_checked():
    assert TrainConfig(model=DCGANOptions(dense=1024, batchnorm=True)).model.dense == 1024
    with pytest.raises(ValueError, match=r"\['d_dense'\] are not options of model 'dcgan'"):
        model_options({"name": "dcgan", "d_dense": 1024})
    with pytest.raises(ValueError, match="model must be one of"):
        TrainConfig(model="resnet")
    with pytest.raises(TypeError):
        DCGANOptions(dense_units=3)  # an editor and a type checker see the fields


def test_one_name_per_setting():
    """Each option of the D-only settings is the constructor argument's name."""
    args = model_arguments(TrainConfig(model=DCGANOptions(dense=16, batchnorm=True, dropout=0.1, widths=(8, 16))))
    assert args.networks == "dcgan"
    assert {k: args.d_kwargs[k] for k in ("dense", "batchnorm", "dropout", "widths")} == dict(
        dense=16, batchnorm=True, dropout=0.1, widths=(8, 16))
    assert model_arguments(TrainConfig(model=DCGANOptions(n_classes=5))).networks == "conditional_dcgan"
    assert model_arguments(TrainConfig(model=DCGANOptions(g_widths=(32, 16, 8)))).g_kwargs["widths"] == (32, 16, 8)


def test_shapes_come_from_the_data_set():
    assert model_arguments(TrainConfig(model="mlp")).g_kwargs["out_dim"] == 784
    args = model_arguments(TrainConfig(), shape=(32, 32, 3))
    assert args.g_kwargs == dict(latent_dim=100, channels=3, image_size=32, widths=(256, 128, 64))
    with pytest.raises(ValueError, match="side is a multiple of 4"):
        model_arguments(TrainConfig(), shape=(30, 30, 3))
    with pytest.raises(ValueError, match="model 'toy' is for 1-D/2-D points"):
        model_arguments(TrainConfig(model="toy", dataset="mnist"))
    with pytest.raises(ValueError, match="model 'dcgan' is for images"):
        model_arguments(TrainConfig(dataset="ring"))
    with pytest.raises(ValueError, match="conditioned on 12 classes; data set 'mnist' has 10 class labels"):
        model_arguments(TrainConfig(model=DCGANOptions(n_classes=12)))


def test_every_model_is_registered_with_its_name():
    assert set(MODELS) == {"mlp", "dcgan", "toy", "conditional"}
    assert all(MODELS[name].name == name for name in MODELS)
    assert {MLPOptions, ToyOptions, ConditionalOptions, DCGANOptions} == set(MODELS.values())


def test_older_configs_are_upgraded():
    """A checkpoint written with model_kwargs loads as the same model, and resumes."""
    old = {**TrainConfig().to_dict(), "model": "dcgan",
           "model_kwargs": {"d_dense": 1024, "d_batchnorm": True, "dropout": 0.0, "n_classes": 10,
                            "image_size": 28, "channels": 1}}
    config = TrainConfig.from_dict(old)
    assert config.model == DCGANOptions(dense=1024, batchnorm=True, dropout=0.0, n_classes=10)
    assert incompatible(old, config.to_dict()) == []
    assert upgrade({**old, "model": "toy", "model_kwargs": {}})["model"]["name"] == "toy"
    with pytest.raises(ValueError, match="not options of model 'dcgan'"):
        TrainConfig.from_dict({**old, "model_kwargs": {"blocks": 3}})
    with pytest.raises(ValueError, match="model_kwargs channels=3; the shape now comes from the data set"):
        TrainConfig.from_dict({**old, "model_kwargs": {"channels": 3}})
