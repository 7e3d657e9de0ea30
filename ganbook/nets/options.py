"""The book's models, framework-free: one typed options class per model.

`TrainConfig(model=DCGANOptions(dense=1024, batchnorm=True))` chooses a model and
its options; `TrainConfig(model="dcgan")` is short for the defaults. Each option
has the name of the constructor argument it sets, in both backends
(`DCGANDiscriminator(dense=...)`); options of both networks are prefixed `g_`
or `d_` (`MLPOptions.g_hidden` is `MLPGenerator(hidden=...)`).

An options object turns into constructor arguments with `arguments(latent_dim,
shape, pack)`: a `NetworkArgs` naming the pair of networks (a key of each
backend's `models.NETWORKS`) and their keyword arguments. Adding a model means
an options class here (registered in MODELS) and a pair in each backend's NETWORKS.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from ganbook.data.registry import get_dataset


class NetworkArgs(NamedTuple):
    """Which pair of networks to build (a key of the backends' NETWORKS) and their kwargs."""
    networks: str
    g_kwargs: dict
    d_kwargs: dict


@dataclass(frozen=True)
class ModelOptions:
    """Base of the options classes: a name and the kind of data the model takes.
    A class-conditional model's options have n_classes > 0."""
    name: ClassVar[str]
    takes: ClassVar[str]  # "images" (28x28x1, 32x32x3, ...) or "points" (1-D/2-D data)
    flat: ClassVar[bool] = True  # takes each sample flattened to a vector ((784,) for MNIST)

    def arguments(self, latent_dim: int, shape: tuple[int, ...], pack: int = 1) -> NetworkArgs:
        raise NotImplementedError

    def to_dict(self) -> dict:
        return {"name": self.name, **{k: _plain(v) for k, v in dataclasses.asdict(self).items()}}

    def check_data(self, shape: tuple[int, ...], dataset: str) -> None:
        """Raise ValueError if samples of `shape` (shared layout) do not suit this model."""
        images = len(shape) == 3
        if self.takes == "images" and not images:
            raise ValueError(f"model {self.name!r} is for images; data set {dataset!r} holds "
                             f"points of shape {shape}: use model 'toy'")
        if self.takes == "points" and images:
            raise ValueError(f"model {self.name!r} is for 1-D/2-D points; data set {dataset!r} holds "
                             f"images of shape {shape}: use model 'mlp', 'dcgan' or 'conditional'")


@dataclass(frozen=True)
class MLPOptions(ModelOptions):
    """Fully connected G and D on flattened images (chapter 4's first model)."""
    name: ClassVar[str] = "mlp"
    takes: ClassVar[str] = "images"
    g_hidden: tuple[int, ...] = (128, 256, 512, 1024)
    d_hidden: tuple[int, ...] = (1024, 512, 256, 128)
    dropout: float = 0.0
    spectral_norm: bool = False
    g_batchnorm: bool = False  # BatchNorm after each of G's hidden layers

    def arguments(self, latent_dim, shape, pack=1):
        dim = math.prod(shape)
        return NetworkArgs("mlp", dict(latent_dim=latent_dim, hidden=self.g_hidden, out_dim=dim,
                                       batchnorm=self.g_batchnorm),
                           dict(in_dim=dim * pack, hidden=self.d_hidden, dropout=self.dropout,
                                spectral_norm=self.spectral_norm))


@dataclass(frozen=True)
class ToyOptions(ModelOptions):
    """Small MLPs with a linear output for the 1-D/2-D mixtures (chapters 2, 3 and 6)."""
    name: ClassVar[str] = "toy"
    takes: ClassVar[str] = "points"
    g_hidden: tuple[int, ...] = (128, 128)
    d_hidden: tuple[int, ...] = (128, 128)
    spectral_norm: bool = False

    def arguments(self, latent_dim, shape, pack=1):
        dim = math.prod(shape)
        return NetworkArgs("mlp", dict(latent_dim=latent_dim, hidden=self.g_hidden, out_dim=dim,
                                       out_activation=None),
                           dict(in_dim=dim * pack, hidden=self.d_hidden, spectral_norm=self.spectral_norm))


@dataclass(frozen=True)
class ConditionalOptions(ModelOptions):
    """Label-conditioned MLPs on flattened images: the label's embedding into G, a projection into D."""
    name: ClassVar[str] = "conditional"
    takes: ClassVar[str] = "images"
    n_classes: int = 10
    dropout: float = 0.3
    spectral_norm: bool = False

    def arguments(self, latent_dim, shape, pack=1):
        dim = math.prod(shape)
        return NetworkArgs("conditional", dict(latent_dim=latent_dim, n_classes=self.n_classes, out_dim=dim),
                           dict(in_dim=dim, n_classes=self.n_classes, dropout=self.dropout,
                                spectral_norm=self.spectral_norm))


@dataclass(frozen=True)
class DCGANOptions(ModelOptions):
    """The TensorFlow tutorial's DCGAN for square images of any side that is a multiple
    of 4 and any channel count; n_classes > 0 makes it class-conditional."""
    name: ClassVar[str] = "dcgan"
    takes: ClassVar[str] = "images"
    flat: ClassVar[bool] = False
    dropout: float = 0.3
    spectral_norm: bool = False
    widths: tuple[int, int] = (64, 128)  # D's two convolutions
    dense: int = 0
    batchnorm: bool = False
    n_classes: int = 0
    g_widths: tuple[int, int, int] = (256, 128, 64)  # G's three hidden stages

    def check_data(self, shape, dataset):
        super().check_data(shape, dataset)
        if shape[0] != shape[1] or shape[0] % 4:
            raise ValueError(f"the DCGAN builds square images whose side is a multiple of 4; "
                             f"data set {dataset!r} has images of shape {shape}")

    def arguments(self, latent_dim, shape, pack=1):
        size, channels = shape[0], shape[2]
        g = dict(latent_dim=latent_dim, channels=channels, image_size=size, widths=self.g_widths)
        d = dict(channels=channels * pack, image_size=size, dropout=self.dropout,
                 spectral_norm=self.spectral_norm, widths=self.widths, dense=self.dense,
                 batchnorm=self.batchnorm)
        if self.n_classes:
            return NetworkArgs("conditional_dcgan", dict(g, n_classes=self.n_classes),
                               dict(d, n_classes=self.n_classes))
        return NetworkArgs("dcgan", g, d)


MODELS: dict[str, type[ModelOptions]] = {
    cls.name: cls for cls in (MLPOptions, DCGANOptions, ToyOptions, ConditionalOptions)}


def model_options(model: str | ModelOptions | dict) -> ModelOptions:
    """A model's options from its name (its defaults), an options object, or a dict
    {"name": ..., **options} (the form TrainConfig.to_dict writes)."""
    if isinstance(model, ModelOptions):
        return model
    if isinstance(model, str):
        model = {"name": model}
    if not isinstance(model, dict) or model.get("name") not in MODELS:
        raise ValueError(f"model must be one of {tuple(MODELS)} or their options "
                         f"(e.g. DCGANOptions(dense=1024)), got {model!r}")
    options = dict(model)
    cls = MODELS[options.pop("name")]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(options) - set(fields))
    if unknown:
        raise ValueError(f"{unknown} are not options of model {cls.name!r}; it takes {sorted(fields)}")
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in options.items()})


def model_arguments(config, shape: tuple[int, ...] | None = None) -> NetworkArgs:
    """The networks config.model builds for samples of `shape` (shared layout; default:
    config.dataset's), with config's latent_dim and pack. With pack > 1 the
    discriminator's input is `pack` samples wide; build_models wraps it in a
    PackedDiscriminator. Raises ValueError if the model cannot take such data."""
    if shape is None:
        spec = get_dataset(config.dataset)
        name, shape = spec.name, spec.shape
        classes = getattr(config.model, "n_classes", 0)
        if classes > spec.n_classes:
            raise ValueError(f"model {config.model.name!r} is conditioned on {classes} classes; data set "
                             f"{spec.name!r} has {spec.n_classes or 'no'} class labels")
    else:
        name, shape = "given", tuple(shape)
    config.model.check_data(shape, name)
    return config.model.arguments(config.latent_dim, shape, config.pack)


def build_networks(config, networks: dict, packed, shape: tuple[int, ...] | None = None):
    """(G, D) of config.model from a backend's `networks` (NETWORKS: key -> (G class, D class));
    D wrapped as packed(D, config.pack) when config.pack > 1. See model_arguments."""
    args = model_arguments(config, shape)
    make_g, make_d = networks[args.networks]
    D = make_d(**args.d_kwargs)  # D first: the order in which the initial weights are drawn
    G = make_g(**args.g_kwargs)
    return G, pack_discriminator(D, packed, config.pack)


def pack_discriminator(D, packed, pack: int):
    """D itself, or packed(D, pack) (a backend's PackedDiscriminator) when pack > 1."""
    return packed(D, pack) if pack > 1 else D


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


# Checkpoints written before typed options: their model_kwargs keys -> today's option names.
LEGACY_KEYS = {"d_widths": "widths", "d_dense": "dense", "d_batchnorm": "batchnorm"}
# Options that are now the data set's shape, and the only values the data sets of then had.
LEGACY_SHAPE = {"image_size": 28, "channels": 1}


def from_legacy(name: str, model_kwargs: dict) -> dict:
    """{"name": name, **options} for a config dict written with `model_kwargs`.

    image_size and channels were MNIST's shape then (28 and 1); other values are
    refused, since today the shape comes from the data set."""
    for key, value in LEGACY_SHAPE.items():
        if model_kwargs.get(key, value) != value:
            raise ValueError(f"this config of an older ganbook has model_kwargs {key}={model_kwargs[key]!r}; "
                             f"the shape now comes from the data set: register a data set of that shape "
                             "and train a new run")
    options = {LEGACY_KEYS.get(k, k): v for k, v in model_kwargs.items() if k not in LEGACY_SHAPE}
    return {"name": name, **options}
