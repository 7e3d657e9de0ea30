"""A super-resolution GAN (PyTorch; mirrored in ganbook/tf/superres.py).

SRGenerator maps a low-resolution image to one `factor` times larger: it
upsamples bilinearly and adds a residual computed by a few convolutions, so an
untrained generator (last layer zero) is exactly the bilinear upsampling.
train_superres fits it with a pixel loss (L1) plus `adv_weight` times the
non-saturating adversarial loss against the MNIST DCGAN discriminator, the
recipe of SRGAN (Ledig et al. 2017) with a pixel loss in place of its VGG loss.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ganbook.data.arrays import map_batches
from ganbook.studies.superres import downsample
from ganbook.torch.device import pick_device
from ganbook.torch.losses import d_loss_bce, g_loss_nonsaturating
from ganbook.torch.models import SLOPE, DCGANDiscriminator, dcgan_init
from ganbook.torch.rng import RandomState
from ganbook.torch.sampling import device_of, evaluating, to_native, to_shared


class SRGenerator(nn.Module):
    """(N, C, h, w) in [-1, 1] -> (N, C, factor*h, factor*w) in [-1, 1].

    bilinear upsampling + residual: `blocks` 3x3 convolutions of `features`
    channels with LeakyReLU, a last 3x3 convolution back to C channels
    (initialised to zero), and the sum clipped to [-1, 1].
    """

    def __init__(self, channels=1, features=32, blocks=3, factor=2):
        super().__init__()
        self.factor = factor
        layers, c_in = [], channels
        for _ in range(blocks):
            layers += [nn.Conv2d(c_in, features, 3, padding=1), nn.LeakyReLU(SLOPE)]
            c_in = features
        self.net = nn.Sequential(*layers, nn.Conv2d(c_in, channels, 3, padding=1))
        dcgan_init(self)
        nn.init.zeros_(self.net[-1].weight)

    def forward(self, x):
        up = F.interpolate(x, scale_factor=self.factor, mode="bilinear", align_corners=False)
        return torch.clamp(up + self.net(up), -1.0, 1.0)


@torch.no_grad()
def superresolve(G: SRGenerator, images, batch_size: int = 500) -> np.ndarray:
    """G applied to low-resolution images (N, h, w, C) in [-1, 1] (shared layout), in batches,
    in eval mode -> float32 (N, factor*h, factor*w, C) in [-1, 1]."""
    device = device_of(G)
    run = lambda xb: G(torch.from_numpy(xb).to(device)).cpu().numpy()  # noqa: E731
    with evaluating(G):
        return to_shared(map_batches(run, to_native(np.asarray(images, np.float32)), batch_size=batch_size))


def train_superres(images, steps: int, factor: int = 2, batch_size: int = 64, lr: float = 2e-4,
                   adv_weight: float = 1e-2, seed: int = 0, device=None):
    """Train an SRGenerator on high-resolution images (N, H, W, C) in [-1, 1].

    The inputs are the images average-pooled by `factor`. Each step: one D update
    on real high-resolution images against G's outputs (skipped when adv_weight
    is 0: a pure pixel-loss generator), then one G update on
    L1(G(x_low), x_high) + adv_weight * non-saturating loss. Adam (0.5, 0.999).
    The seed fixes the initial weights and the batches, on a random state of its
    own (the caller's global state is left as it was).
    Returns (G in eval mode, history dict of lists: step, pixel, adversarial, d_loss).
    """
    device = pick_device(device)
    hr = np.asarray(images, np.float32)
    size, channels = hr.shape[1], hr.shape[3]
    x_hr = torch.from_numpy(to_native(hr)).to(device)
    x_lr = torch.from_numpy(to_native(downsample(hr, factor))).to(device)
    with RandomState(seed, device).active():
        G = SRGenerator(channels, factor=factor).to(device)
        D = DCGANDiscriminator(channels, size).to(device)
        values = _train(G, D, x_lr, x_hr, steps, batch_size, lr, adv_weight, seed)
    history = {"step": list(range(1, steps + 1)), **dict(zip(("pixel", "adversarial", "d_loss"), values))}
    return G.eval(), history


def _train(G, D, x_lr, x_hr, steps, batch_size, lr, adv_weight, seed) -> list[list[float]]:
    """train_superres's loop: G and D trained in place; returns [pixel, adversarial, d_loss],
    each a list of one value per step."""
    device = x_hr.device
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    gen = torch.Generator(device).manual_seed(seed)
    rows = []  # per step [pixel, adversarial, d_loss], synchronised once at the end
    for _ in range(steps):
        idx = torch.randint(len(x_hr), (batch_size,), generator=gen, device=device)
        low, high = x_lr[idx], x_hr[idx]
        fake = G(low)
        d_loss = adv = torch.zeros((), device=device)
        if adv_weight:
            d_loss = d_loss_bce(D(high), D(fake.detach()))
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
            D.requires_grad_(False)
            adv = g_loss_nonsaturating(D(fake))
            D.requires_grad_(True)
        pixel = (fake - high).abs().mean()
        opt_g.zero_grad(set_to_none=True)
        (pixel + adv_weight * adv).backward()
        opt_g.step()
        rows.append(torch.stack([pixel, adv, d_loss]).detach())
    return torch.stack(rows).cpu().numpy().T.tolist() if rows else [[], [], []]
