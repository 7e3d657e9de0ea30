"""Generators and discriminators in TensorFlow/Keras 3 (mirror of ganbook/torch/models.py).

Layouts: flat data (N, D); images (N, H, W, C) in [-1, 1]. Discriminators
return logits (N, 1); conditional models take integer labels (N,) as well.
"""
from __future__ import annotations

import keras
import numpy as np
from keras import layers

from ganbook.latent import class_cdf, cycling_labels
from ganbook.nets.constants import BN_EPS, EMBED_STD, SLOPE, check_image_size, check_widths
from ganbook.nets.options import build_networks
from ganbook.nets.protocol import latent_dim_of, n_classes_of

BN_MOMENTUM = 0.9  # Keras convention; the same average as PyTorch's momentum 0.1
# PyTorch's default Linear weight init, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), so both backends start alike.
TORCH_LIKE = "torch_like"


def _init(name):
    """The DCGAN paper's weight initialiser, N(0, 0.02) ("dcgan")."""
    if name != "dcgan":
        raise ValueError(f"unknown initialiser {name!r}")
    return keras.initializers.RandomNormal(0.0, 0.02)


def _dense(units, fan_in: int, init=TORCH_LIKE, **kwargs):
    """Dense(units) on fan_in inputs, initialised as PyTorch's Linear(fan_in, units) (TORCH_LIKE:
    weights and bias U(+-1/sqrt(fan_in))) or as the DCGAN paper's ("dcgan": N(0, 0.02), bias 0)."""
    if init != TORCH_LIKE:
        return layers.Dense(units, kernel_initializer=_init(init), bias_initializer="zeros", **kwargs)
    bound = fan_in ** -0.5
    return layers.Dense(units, kernel_initializer=keras.initializers.RandomUniform(-bound, bound),
                        bias_initializer=keras.initializers.RandomUniform(-bound, bound), **kwargs)


def _maybe_sn(layer, on: bool):
    return layers.SpectralNormalization(layer) if on else layer


def _mlp(sizes, spectral_norm=False, dropout=0.0, init=TORCH_LIKE, batchnorm=False):
    """Dense -> [BatchNorm] -> LeakyReLU -> [Dropout] for each pair of consecutive sizes."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out.append(_maybe_sn(_dense(b, a, init), spectral_norm))
        if batchnorm:  # PyTorch's BatchNorm1d: scale 1, shift 0
            out.append(layers.BatchNormalization(momentum=BN_MOMENTUM, epsilon=BN_EPS))
        out.append(layers.LeakyReLU(SLOPE))
        if dropout:
            out.append(layers.Dropout(dropout))
    return out


class MLPGenerator(keras.Model):
    """z (N, latent_dim) -> x (N, out_dim); tanh output unless out_activation=None.

    Default: the fully connected MNIST generator 100-128-256-512-1024-784;
    batchnorm=True puts BatchNorm after every hidden layer, as the DCGAN's G has.
    """

    def __init__(self, latent_dim=100, hidden=(128, 256, 512, 1024), out_dim=784,
                 out_activation="tanh", batchnorm=False):
        super().__init__()
        self.latent_dim = latent_dim
        self.net = keras.Sequential(
            [keras.Input((latent_dim,))] + _mlp([latent_dim, *hidden], batchnorm=batchnorm)
            + [_dense(out_dim, hidden[-1], activation=out_activation)])

    def call(self, z, training=False):
        return self.net(z, training=training)


class MLPDiscriminator(keras.Model):
    """x (N, in_dim) -> logits (N, 1). Default: the MNIST D 784-1024-512-256-128-1."""

    def __init__(self, in_dim=784, hidden=(1024, 512, 256, 128), dropout=0.0,
                 spectral_norm=False):
        super().__init__()
        self.net = keras.Sequential(
            [keras.Input((in_dim,))] + _mlp([in_dim, *hidden], spectral_norm, dropout)
            + [_maybe_sn(_dense(1, hidden[-1]), spectral_norm)])
        self.n_features = hidden[-1]

    def features(self, x, training=False):
        """x -> the features h (N, n_features) that the logit weighs: the last hidden layer's output."""
        return _all_but_last(self.net, x, training)

    def logit(self, h):
        """features h (N, n_features) -> logits (N, 1)."""
        return self.net.layers[-1](h)

    def call(self, x, training=False):
        return self.net(x, training=training)


def _all_but_last(stack: keras.Sequential, x, training):
    """x through every layer of `stack` but the last (a discriminator's logit)."""
    for layer in stack.layers[:-1]:
        x = layer(x, training=training)
    return x


def toy_generator(latent_dim=2, hidden=(128, 128), out_dim=2):
    """Small MLP generator for the 1-D/2-D mixtures: linear output."""
    return MLPGenerator(latent_dim, hidden, out_dim, out_activation=None)


def toy_discriminator(in_dim=2, hidden=(128, 128), spectral_norm=False):
    return MLPDiscriminator(in_dim, hidden, 0.0, spectral_norm)


def _bn():
    return layers.BatchNormalization(momentum=BN_MOMENTUM, epsilon=BN_EPS,
                                     gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02))


class DCGANGenerator(keras.Model):
    """z (N, latent_dim) -> images (N, image_size, image_size, channels) in [-1, 1].

    The TensorFlow tutorial's MNIST generator: Dense(s*s*256, no bias) -> BN ->
    LeakyReLU -> ConvT(128, 5, 1) -> BN -> LeakyReLU -> ConvT(64, 5, 2) -> BN ->
    LeakyReLU -> ConvT(channels, 5, 2) -> tanh, with s = image_size / 4.
    `widths` sets the channels (256, 128, 64) of the three hidden stages.
    """

    def __init__(self, latent_dim=100, channels=1, image_size=28, widths=(256, 128, 64)):
        super().__init__()
        check_image_size(image_size)
        w0, w1, w2 = self.widths = check_widths(widths, 3)
        self.latent_dim, s = latent_dim, image_size // 4

        def up(c_out, stride, activation=None):
            return layers.Conv2DTranspose(c_out, 5, stride, padding="same", use_bias=False,
                                          activation=activation, kernel_initializer=_init("dcgan"))

        self.net = keras.Sequential([
            keras.Input((latent_dim,)),
            layers.Dense(s * s * w0, use_bias=False, kernel_initializer=_init("dcgan")),
            _bn(), layers.LeakyReLU(SLOPE), layers.Reshape((s, s, w0)),
            up(w1, 1), _bn(), layers.LeakyReLU(SLOPE),
            up(w2, 2), _bn(), layers.LeakyReLU(SLOPE),
            up(channels, 2, "tanh"),
        ])

    def call(self, z, training=False):
        return self.net(z, training=training)


class DCGANDiscriminator(keras.Model):
    """images (N, image_size, image_size, channels) -> logits (N, 1).

    Conv(64, 5, 2) -> LeakyReLU -> Dropout(0.3) -> Conv(128, 5, 2) -> LeakyReLU ->
    Dropout(0.3) -> Dense(1), as in the TensorFlow tutorial; `widths` sets the
    two convolutions' channels, and dense > 0 adds Dense(dense) -> LeakyReLU ->
    Dropout before the logit (a layer that weighs the whole image's features jointly).
    batchnorm=True puts BatchNorm after the second convolution and the dense layer
    (not after the first, as in the DCGAN paper's D); their biases are then dropped.
    """

    def __init__(self, channels=1, image_size=28, dropout=0.3, spectral_norm=False, widths=(64, 128),
                 dense=0, batchnorm=False):
        super().__init__()
        check_image_size(image_size)
        w1, w2 = widths

        def block(layer, norm):
            """layer (bias-free before a norm) -> [BatchNorm] -> LeakyReLU -> [Dropout if dropout > 0]."""
            out = [_maybe_sn(layer, spectral_norm)]
            if norm:
                out.append(_bn())
            return out + [layers.LeakyReLU(SLOPE)] + ([layers.Dropout(dropout)] if dropout else [])

        def conv(c_out, bias=True):
            return layers.Conv2D(c_out, 5, 2, padding="same", use_bias=bias,
                                 kernel_initializer=_init("dcgan"))

        side = image_size // 4
        self.n_features = dense or side * side * w2
        hidden = block(layers.Dense(dense, use_bias=not batchnorm, kernel_initializer=_init("dcgan")),
                       batchnorm) if dense else []
        self.net = keras.Sequential([
            keras.Input((image_size, image_size, channels)),
            *block(conv(w1), False),
            *block(conv(w2, bias=not batchnorm), batchnorm),
            layers.Flatten(),
            *hidden,
            _maybe_sn(layers.Dense(1, kernel_initializer=_init("dcgan")), spectral_norm),
        ])

    def features(self, x, training=False):
        """images -> the features h (N, n_features) that the logit weighs: the dense
        layer's output, or the last convolution's output flattened."""
        return _all_but_last(self.net, x, training)

    def logit(self, h):
        """features h (N, n_features) -> logits (N, 1)."""
        return self.net.layers[-1](h)

    def call(self, x, training=False):
        return self.net(x, training=training)


class _LabelledGenerator(keras.Model):
    """(z (N, latent_dim), labels (N,)) -> make_net(latent_dim + embed_dim)(concat(z, e(labels))):
    a learned label embedding e concatenated to z, as both conditional generators do."""

    def __init__(self, latent_dim, n_classes, embed_dim, make_net):
        super().__init__()
        self.latent_dim, self.n_classes = latent_dim, n_classes
        self.embed = layers.Embedding(n_classes, embed_dim,
                                      embeddings_initializer=keras.initializers.RandomNormal(0, 1))
        self.embed.build((None,))
        self.net = make_net(latent_dim + embed_dim)

    def call(self, z, labels, training=False):
        return self.net(keras.ops.concatenate([z, self.embed(labels)], axis=1), training=training)


class ConditionalGenerator(_LabelledGenerator):
    """(z (N, latent_dim), labels (N,)) -> x (N, out_dim) in [-1, 1].

    The label's learned embedding is concatenated to z, then an MLP as in MLPGenerator.
    """

    def __init__(self, latent_dim=100, n_classes=10, hidden=(256, 512, 1024), out_dim=784,
                 embed_dim=50):
        super().__init__(latent_dim, n_classes, embed_dim, lambda d: MLPGenerator(d, hidden, out_dim))


class _ProjectionDiscriminator(keras.Model):
    """(x, labels (N,)) -> logits (N, 1): a projection discriminator, logit = body.logit(h)
    + e(y).h with h = body.features(x) (N, body.n_features); the PyTorch mirror's
    docstring says why the label enters as an inner product."""

    def __init__(self, n_classes, body):
        super().__init__()
        self.n_classes, self.body = n_classes, body
        self.embed = layers.Embedding(n_classes, body.n_features,
                                      embeddings_initializer=keras.initializers.RandomNormal(0, EMBED_STD))
        self.embed.build((None,))
        body.built = True  # its weights all exist (keras.Input); Keras would warn of unbuilt state

    def call(self, x, labels, training=False):
        h = self.body.features(x, training=training)
        return self.body.logit(h) + keras.ops.sum(self.embed(labels) * h, axis=1, keepdims=True)


class ConditionalDiscriminator(_ProjectionDiscriminator):
    """(x (N, in_dim), labels (N,)) -> logits (N, 1): a projection discriminator on the
    features h (N, hidden[-1]) of an MLPDiscriminator."""

    def __init__(self, in_dim=784, n_classes=10, hidden=(1024, 512, 256), dropout=0.3,
                 spectral_norm=False):
        super().__init__(n_classes, MLPDiscriminator(in_dim, hidden, dropout, spectral_norm))


class ConditionalDCGANGenerator(_LabelledGenerator):
    """(z (N, latent_dim), labels (N,)) -> images (N, image_size, image_size, channels) in [-1, 1].

    The label's learned embedding is concatenated to z, then a DCGANGenerator (of `widths`).
    """

    def __init__(self, latent_dim=100, n_classes=10, channels=1, image_size=28, embed_dim=50,
                 widths=(256, 128, 64)):
        super().__init__(latent_dim, n_classes, embed_dim,
                         lambda d: DCGANGenerator(d, channels, image_size, widths))


class ConditionalDCGANDiscriminator(_ProjectionDiscriminator):
    """(images (N, image_size, image_size, channels), labels (N,)) -> logits (N, 1): a
    projection discriminator on a DCGANDiscriminator's features. Keyword arguments
    other than n_classes are DCGANDiscriminator's."""

    def __init__(self, n_classes=10, **dcgan_kwargs):
        super().__init__(n_classes, DCGANDiscriminator(**dcgan_kwargs))


class MarginalGenerator(keras.Model):
    """An unconditional generator made of a conditional one, `G`: each sample's class
    is drawn with `frequencies` (k,), so samples follow the marginal sum_c p(c) p(x | c).

    z (N, 1 + G.latent_dim) -> G(z[:, 1:], c) (G's output, e.g. images (N, H, W, C)):
    the normal CDF of z[:, 0] is a uniform number, which picks class c through the
    frequencies' cumulative sum. It has no n_classes, so sample and evaluate treat it
    as unconditional; its latent_dim is G's plus one.
    """

    def __init__(self, G: keras.Model, frequencies):
        super().__init__()
        self.G, self.latent_dim = G, latent_dim_of(G) + 1
        self.cdf = np.asarray(class_cdf(frequencies, n_classes_of(G)), np.float32)

    def call(self, z, training=False):
        u = 0.5 * (1.0 + keras.ops.erf(z[:, 0] / np.sqrt(2.0)))
        c = keras.ops.minimum(keras.ops.searchsorted(self.cdf, u, side="right"), len(self.cdf) - 1)
        return self.G(z[:, 1:], c, training=training)


def dcgan_init(model: keras.Model) -> keras.Model:
    """DCGAN initialisation: conv and dense kernels ~ N(0, 0.02), BN scale ~ N(1, 0.02), biases 0."""
    normal = keras.initializers.RandomNormal(0.0, 0.02)
    for layer in _leaves(model):
        if isinstance(layer, (layers.Dense, layers.Conv2D, layers.Conv2DTranspose)):
            layer.kernel.assign(normal(layer.kernel.shape))
            if layer.bias is not None:
                layer.bias.assign(keras.ops.zeros(layer.bias.shape))
        elif isinstance(layer, layers.BatchNormalization):
            layer.gamma.assign(keras.initializers.RandomNormal(1.0, 0.02)(layer.gamma.shape))
            layer.beta.assign(keras.ops.zeros(layer.beta.shape))
    return model


def _leaves(model):
    for layer in model._flatten_layers(include_self=False, recursive=True):
        yield getattr(layer, "layer", layer)  # unwrap SpectralNormalization


def count_params(model: keras.Model) -> int:
    """Number of trainable parameters."""
    return int(sum(int(keras.ops.size(w)) for w in model.trainable_weights))


def _innermost(layer) -> list:
    """The layers of `layer` with no sub-layers, in call order (for Sequential stacks)."""
    inner = getattr(layer, "layers", None)
    if not inner:
        return [layer]
    return [leaf for sub in inner for leaf in _innermost(sub)]


def layer_shapes(model: keras.Model, x) -> list[tuple[str, tuple]]:
    """(layer type, output shape) of each innermost layer as `model(x)` runs, in order.

    x: a batch in the model's layout (images channels-last, (N, H, W, C)).
    Layers run in inference mode (BatchNorm on moving averages, no dropout).
    Works for ganbook's models, whose layers form one Sequential stack (`model.net`).
    """
    stack = getattr(model, "net", model)
    if not isinstance(stack, keras.Sequential):
        raise TypeError(f"layer_shapes needs a Sequential stack, got {type(model).__name__}")
    shapes = []
    for layer in _innermost(stack):
        x = layer(x, training=False)
        shapes.append((type(layer).__name__, tuple(x.shape)))
    return shapes


def _settings(model: keras.Model) -> list[tuple]:
    """Each innermost layer's type and Keras configuration (sizes, initialisers, epsilon,
    momentum, ...), less its name."""
    return [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
            for layer in _leaves(model) if not getattr(layer, "layers", None)]


def same_network(mine: keras.Model, theirs: keras.Model, x) -> bool:
    """True if `mine` is the network `theirs`: the same layers with the same settings,
    the same parameter count, and bit-equal outputs in inference mode on batch `x` (a
    tuple of inputs for a network of several, e.g. (z, labels)) once theirs's weights
    are copied into mine; False as well if they do not fit (another number or shape
    of weights).

    Keeps a network written out on a page and the package's builder from drifting
    apart. Overwrites mine's weights.
    """
    inputs = x if isinstance(x, tuple) else (x,)
    mine(*inputs, training=False), theirs(*inputs, training=False)  # Keras builds weights on a first call
    try:
        mine.set_weights(theirs.get_weights())
    except ValueError:  # another number or shape of weights
        return False
    same_output = np.array_equal(keras.ops.convert_to_numpy(mine(*inputs, training=False)),
                                 keras.ops.convert_to_numpy(theirs(*inputs, training=False)))
    return _settings(mine) == _settings(theirs) and count_params(mine) == count_params(theirs) and same_output


class PackedDiscriminator(keras.Model):
    """PacGAN (Lin et al., 2018): D scores groups of `pack` samples.

    x (N, ...) -> logits (N // pack, 1): consecutive samples are concatenated
    along features (flat data) or channels (images, NHWC) before the inner D,
    whose input is `pack` times wider. N must be a multiple of pack.
    """

    def __init__(self, inner, pack):
        super().__init__()
        self.inner, self.pack = inner, pack

    def call(self, x, training=None):
        ops, p, rest = keras.ops, self.pack, tuple(x.shape[1:])
        if len(rest) == 3:  # (N, H, W, C) -> (N/p, H, W, p*C), sample-major channels
            x = ops.reshape(x, (-1, p, *rest))
            x = ops.reshape(ops.transpose(x, (0, 2, 3, 1, 4)), (-1, rest[0], rest[1], p * rest[2]))
        else:
            x = ops.reshape(x, (-1, p * rest[0]))
        return self.inner(x, training=training)


def create_weights(G, D=None, latent_dim: int = 100, n: int = 2) -> None:
    """Create the weights of networks that Keras builds on their first call: G on n
    noise codes (and labels, if conditional), D on G's samples (n: a multiple of
    D's pack)."""
    labels = cycling_labels(G, n)
    extra = () if labels is None else (keras.ops.convert_to_tensor(labels, "int32"),)
    x = G(keras.ops.zeros((n, latent_dim)), *extra, training=False)
    if D is not None:
        D(x, *extra, training=False)


# The pairs of networks that models' options name (ganbook.nets.options.NetworkArgs.networks).
NETWORKS = {
    "mlp": (MLPGenerator, MLPDiscriminator),
    "conditional": (ConditionalGenerator, ConditionalDiscriminator),
    "dcgan": (DCGANGenerator, DCGANDiscriminator),
    "conditional_dcgan": (ConditionalDCGANGenerator, ConditionalDCGANDiscriminator),
}


def build_models(config, shape=None):
    """(G, D) of config.model for samples of `shape` (shared layout; default: config.dataset's),
    with config.latent_dim; D wrapped in a PackedDiscriminator when config.pack > 1."""
    return build_networks(config, NETWORKS, PackedDiscriminator, shape)
