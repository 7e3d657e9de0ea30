"""Generators and discriminators in PyTorch (mirrored in ganbook/tf/models.py).

Layouts: flat data (N, D); images (N, C, H, W) in [-1, 1]. Discriminators
return logits (N, 1); conditional models take integer labels (N,) as well.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _sn

from ganbook.latent import class_cdf
from ganbook.nets.constants import BN_EPS, EMBED_STD, SLOPE, check_image_size, check_widths
from ganbook.nets.options import build_networks
from ganbook.nets.protocol import latent_dim_of, n_classes_of
from ganbook.torch.sampling import evaluating

BN_MOMENTUM = 0.1  # PyTorch convention; Keras momentum 0.9 is the same average


def _maybe_sn(layer: nn.Module, on: bool) -> nn.Module:
    return _sn(layer) if on else layer


def _mlp(sizes: list[int], spectral_norm: bool = False, dropout: float = 0.0,
         batchnorm: bool = False) -> list[nn.Module]:
    """Linear -> [BatchNorm] -> LeakyReLU -> [Dropout] for each pair of consecutive sizes."""
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers.append(_maybe_sn(nn.Linear(a, b), spectral_norm))
        if batchnorm:
            layers.append(nn.BatchNorm1d(b, eps=BN_EPS, momentum=BN_MOMENTUM))
        layers.append(nn.LeakyReLU(SLOPE))
        if dropout:
            layers.append(nn.Dropout(dropout))
    return layers


class MLPGenerator(nn.Module):
    """z (N, latent_dim) -> x (N, out_dim); tanh output unless out_activation=None.

    Default: the fully connected MNIST generator 100-128-256-512-1024-784;
    batchnorm=True puts BatchNorm after every hidden layer, as the DCGAN's G has.
    """

    def __init__(self, latent_dim=100, hidden=(128, 256, 512, 1024), out_dim=784,
                 out_activation="tanh", batchnorm=False):
        super().__init__()
        self.latent_dim = latent_dim
        layers = _mlp([latent_dim, *hidden], batchnorm=batchnorm) + [nn.Linear(hidden[-1], out_dim)]
        if out_activation == "tanh":
            layers.append(nn.Tanh())
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """x (N, in_dim) -> logits (N, 1). Default: the MNIST D 784-1024-512-256-128-1."""

    def __init__(self, in_dim=784, hidden=(1024, 512, 256, 128), dropout=0.0,
                 spectral_norm=False):
        super().__init__()
        layers = _mlp([in_dim, *hidden], spectral_norm, dropout)
        self.net = nn.Sequential(*layers, _maybe_sn(nn.Linear(hidden[-1], 1), spectral_norm))
        self.n_features = hidden[-1]

    def features(self, x):
        """x -> the features h (N, n_features) that the logit weighs: the last hidden layer's output."""
        return self.net[:-1](x)

    def logit(self, h):
        """features h (N, n_features) -> logits (N, 1)."""
        return self.net[-1](h)

    def forward(self, x):
        return self.net(x)


def toy_generator(latent_dim=2, hidden=(128, 128), out_dim=2):
    """Small MLP generator for the 1-D/2-D mixtures: linear output."""
    return MLPGenerator(latent_dim, hidden, out_dim, out_activation=None)


def toy_discriminator(in_dim=2, hidden=(128, 128), spectral_norm=False):
    return MLPDiscriminator(in_dim, hidden, 0.0, spectral_norm)


class DCGANGenerator(nn.Module):
    """z (N, latent_dim) -> images (N, channels, image_size, image_size) in [-1, 1].

    The TensorFlow tutorial's MNIST generator: Dense(s*s*256, no bias) -> BN ->
    LeakyReLU -> ConvT(128, 5, 1) -> BN -> LeakyReLU -> ConvT(64, 5, 2) -> BN ->
    LeakyReLU -> ConvT(channels, 5, 2) -> tanh, with s = image_size / 4.
    `widths` sets the channels (256, 128, 64) of the three hidden stages.
    """

    def __init__(self, latent_dim=100, channels=1, image_size=28, widths=(256, 128, 64)):
        super().__init__()
        check_image_size(image_size)
        w0, w1, w2 = self.widths = check_widths(widths, 3)
        self.latent_dim, self.base = latent_dim, image_size // 4
        self.project = nn.Sequential(
            nn.Linear(latent_dim, self.base * self.base * w0, bias=False),
            nn.BatchNorm1d(self.base * self.base * w0, eps=BN_EPS, momentum=BN_MOMENTUM),
            nn.LeakyReLU(SLOPE),
        )

        def up(c_in, c_out, stride):
            return nn.ConvTranspose2d(c_in, c_out, 5, stride, padding=2,
                                      output_padding=stride - 1, bias=False)

        self.net = nn.Sequential(
            up(w0, w1, 1), nn.BatchNorm2d(w1, eps=BN_EPS, momentum=BN_MOMENTUM), nn.LeakyReLU(SLOPE),
            up(w1, w2, 2), nn.BatchNorm2d(w2, eps=BN_EPS, momentum=BN_MOMENTUM), nn.LeakyReLU(SLOPE),
            up(w2, channels, 2), nn.Tanh(),
        )
        dcgan_init(self)

    def forward(self, z):
        h = self.project(z).view(-1, self.base, self.base, self.widths[0]).permute(0, 3, 1, 2)
        return self.net(h)


class DCGANDiscriminator(nn.Module):
    """images (N, channels, image_size, image_size) -> logits (N, 1).

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
        side = image_size // 4
        w1, w2 = widths

        def block(layer, norm, n_out):
            """layer (bias-free before a norm) -> [BatchNorm] -> LeakyReLU -> [Dropout if dropout > 0]."""
            out = [_maybe_sn(layer, spectral_norm)]
            if norm:
                bn = nn.BatchNorm2d if isinstance(layer, nn.Conv2d) else nn.BatchNorm1d
                out.append(bn(n_out, momentum=BN_MOMENTUM, eps=BN_EPS))
            return out + [nn.LeakyReLU(SLOPE)] + ([nn.Dropout(dropout)] if dropout else [])

        self.net = nn.Sequential(
            *block(nn.Conv2d(channels, w1, 5, 2, padding=2), False, w1),
            *block(nn.Conv2d(w1, w2, 5, 2, padding=2, bias=not batchnorm), batchnorm, w2),
        )
        flat = side * side * w2
        self.n_features = dense or flat
        hidden = block(nn.Linear(flat, dense, bias=not batchnorm), batchnorm, dense) if dense else []
        self.head = nn.Sequential(*hidden, _maybe_sn(nn.Linear(self.n_features, 1), spectral_norm))
        dcgan_init(self)

    def features(self, x):
        """images -> the features h (N, n_features) that the logit weighs: the dense
        layer's output, or the last convolution's flattened channels-last as Keras does."""
        return self.head[:-1](self.net(x).permute(0, 2, 3, 1).flatten(1))

    def logit(self, h):
        """features h (N, n_features) -> logits (N, 1)."""
        return self.head[-1](h)

    def forward(self, x):
        return self.logit(self.features(x))


class _LabelledGenerator(nn.Module):
    """(z (N, latent_dim), labels (N,)) -> make_net(latent_dim + embed_dim)(concat(z, e(labels))):
    a learned label embedding e concatenated to z, as both conditional generators do."""

    def __init__(self, latent_dim, n_classes, embed_dim, make_net):
        super().__init__()
        self.latent_dim, self.n_classes = latent_dim, n_classes
        self.embed = nn.Embedding(n_classes, embed_dim)
        self.net = make_net(latent_dim + embed_dim)

    def forward(self, z, labels):
        return self.net(torch.cat([z, self.embed(labels)], dim=1))


class ConditionalGenerator(_LabelledGenerator):
    """(z (N, latent_dim), labels (N,)) -> x (N, out_dim) in [-1, 1].

    The label's learned embedding is concatenated to z, then an MLP as in MLPGenerator.
    """

    def __init__(self, latent_dim=100, n_classes=10, hidden=(256, 512, 1024), out_dim=784,
                 embed_dim=50):
        super().__init__(latent_dim, n_classes, embed_dim, lambda d: MLPGenerator(d, hidden, out_dim))


class _ProjectionDiscriminator(nn.Module):
    """(x, labels (N,)) -> logits (N, 1): a projection discriminator (Miyato and Koyama 2018).

    With h = body.features(x) (N, body.n_features), the logit is body.logit(h) + e(y).h,
    that is w.h + b + e(y).h with e a learned label embedding. The label enters as an
    inner product with what D sees, so D must check that x matches y; with the
    embedding merely concatenated to x, D can ignore y when data is scarce.
    """

    def __init__(self, n_classes, body):
        super().__init__()
        self.n_classes, self.body = n_classes, body
        self.embed = nn.Embedding(n_classes, body.n_features)
        nn.init.normal_(self.embed.weight, 0.0, EMBED_STD)

    def forward(self, x, labels):
        h = self.body.features(x)
        return self.body.logit(h) + (self.embed(labels) * h).sum(1, keepdim=True)


class ConditionalDiscriminator(_ProjectionDiscriminator):
    """(x (N, in_dim), labels (N,)) -> logits (N, 1): a projection discriminator on the
    features h (N, hidden[-1]) of an MLPDiscriminator."""

    def __init__(self, in_dim=784, n_classes=10, hidden=(1024, 512, 256), dropout=0.3,
                 spectral_norm=False):
        super().__init__(n_classes, MLPDiscriminator(in_dim, hidden, dropout, spectral_norm))


class ConditionalDCGANGenerator(_LabelledGenerator):
    """(z (N, latent_dim), labels (N,)) -> images (N, channels, image_size, image_size) in [-1, 1].

    The label's learned embedding is concatenated to z, then a DCGANGenerator (of `widths`).
    """

    def __init__(self, latent_dim=100, n_classes=10, channels=1, image_size=28, embed_dim=50,
                 widths=(256, 128, 64)):
        super().__init__(latent_dim, n_classes, embed_dim,
                         lambda d: DCGANGenerator(d, channels, image_size, widths))


class ConditionalDCGANDiscriminator(_ProjectionDiscriminator):
    """(images (N, channels, image_size, image_size), labels (N,)) -> logits (N, 1): a
    projection discriminator on a DCGANDiscriminator's features. Keyword arguments
    other than n_classes are DCGANDiscriminator's."""

    def __init__(self, n_classes=10, **dcgan_kwargs):
        super().__init__(n_classes, DCGANDiscriminator(**dcgan_kwargs))


class MarginalGenerator(nn.Module):
    """An unconditional generator made of a conditional one, `G`: each sample's class
    is drawn with `frequencies` (k,), so samples follow the marginal sum_c p(c) p(x | c).

    z (N, 1 + G.latent_dim) -> G(z[:, 1:], c) (G's output, e.g. images (N, C, H, W)):
    the normal CDF of z[:, 0] is a uniform number, which picks class c through the
    frequencies' cumulative sum. It has no n_classes, so sample and evaluate treat it
    as unconditional; its latent_dim is G's plus one.
    """

    def __init__(self, G: nn.Module, frequencies):
        super().__init__()
        self.G, self.latent_dim = G, latent_dim_of(G) + 1
        self.register_buffer("cdf", torch.as_tensor(class_cdf(frequencies, n_classes_of(G)), dtype=torch.float32))

    def forward(self, z):
        u = torch.special.ndtr(z[:, 0]).contiguous()
        c = torch.searchsorted(self.cdf, u, right=True).clamp_(max=len(self.cdf) - 1)
        return self.G(z[:, 1:], c)


@torch.no_grad()
def dcgan_init(model: nn.Module) -> nn.Module:
    """DCGAN initialisation: conv and dense weights ~ N(0, 0.02), BN scale ~ N(1, 0.02), biases 0."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            weight = m.parametrizations.weight.original if hasattr(m, "parametrizations") else m.weight
            nn.init.normal_(weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return model


def count_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@torch.no_grad()
def layer_shapes(model: nn.Module, x) -> list[tuple[str, tuple]]:
    """(layer type, output shape) of each innermost layer as `model(x)` runs, in order.

    x: a batch in the model's layout (images channels-first, (N, C, H, W)).
    The model runs in eval mode (BatchNorm on running averages, no dropout) and is
    left in the mode it was in.
    """
    shapes, handles = [], []
    for layer in model.modules():
        if not list(layer.children()):
            handles.append(layer.register_forward_hook(
                lambda m, _, out: shapes.append((type(m).__name__, tuple(out.shape)))))
    try:
        with evaluating(model):
            model(torch.as_tensor(x))
    finally:
        for handle in handles:
            handle.remove()
    return shapes


def _settings(model: nn.Module) -> list[str]:
    """Each innermost module's repr (its type and settings: sizes, slope, eps, momentum)."""
    return [repr(m) for m in model.modules() if not list(m.children())]


@torch.no_grad()
def same_network(mine: nn.Module, theirs: nn.Module, x) -> bool:
    """True if `mine` is the network `theirs`: the same layers with the same settings,
    the same parameter count, and bit-equal outputs on batch `x` (a tuple of inputs for
    a network of several, e.g. (z, labels)) once theirs's weights are loaded into mine;
    False as well if they do not fit (other names or shapes).

    Keeps a network written out on a page and the package's builder from drifting
    apart. Overwrites mine's weights; both run in eval mode and are left as they were.
    """
    try:
        mine.load_state_dict(theirs.state_dict())
    except RuntimeError:  # missing, unexpected or differently shaped weights
        return False
    inputs = [torch.as_tensor(v) for v in (x if isinstance(x, tuple) else (x,))]
    with evaluating(mine), evaluating(theirs):
        same_output = torch.equal(mine(*inputs), theirs(*inputs))
    return _settings(mine) == _settings(theirs) and count_params(mine) == count_params(theirs) and same_output


class PackedDiscriminator(nn.Module):
    """PacGAN (Lin et al., 2018): D scores groups of `pack` samples.

    x (N, ...) -> logits (N // pack, 1): consecutive samples are concatenated
    along features (flat data) or channels (images) before the inner D, whose
    input is `pack` times wider. N must be a multiple of pack.
    """

    def __init__(self, inner, pack):
        super().__init__()
        self.inner, self.pack = inner, pack

    def forward(self, x):
        return self.inner(x.reshape(x.shape[0] // self.pack, -1, *x.shape[2:]))


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
