"""The post-hoc critic for flat data and rejection sampling with it (PyTorch; mirrored in ganbook/tf/critic.py).

ganbook/studies/critic.py says what they do and why.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ganbook.data.arrays import map_batches
from ganbook.nets.protocol import latent_dim_of
from ganbook.studies import critic as study
from ganbook.studies.critic import check_fit, check_flat, fourier_frequencies
from ganbook.torch.losses import d_loss_bce
from ganbook.torch.models import MLPDiscriminator
from ganbook.torch.rng import RandomState
from ganbook.torch.sampling import device_of, evaluating, sample


class FourierCritic(nn.Module):
    """x (N, in_dim) -> logits (N, 1).

    Features sin(2 pi x B) and cos(2 pi x B) of a fixed random B (in_dim, features)
    with entries N(0, scale^2) (`fourier_frequencies(in_dim, features, scale, seed)`),
    then an MLP `hidden` with LeakyReLU(0.2) (an MLPDiscriminator on the 2 * features
    numbers). `scale` is in cycles per unit of x; 3 serves both the ring (modes of
    std 0.01) and the grid (0.05).
    """

    def __init__(self, in_dim=2, features=128, scale=3.0, hidden=(256, 256), seed=0):
        super().__init__()
        freqs = fourier_frequencies(in_dim, features, scale, seed)
        self.register_buffer("freqs", torch.from_numpy(freqs))
        self.net = MLPDiscriminator(in_dim=2 * features, hidden=hidden)

    def forward(self, x):
        phase = 2 * np.pi * (x @ self.freqs)
        return self.net(torch.cat([torch.sin(phase), torch.cos(phase)], dim=1))


def fit_critic(G, x, steps: int = 1500, batch_size: int = 1024, lr: float = 1e-3,
               seed: int = 0, **critic_kwargs):
    """Train a FourierCritic on real flat data x (N, d) against samples of the frozen G.

    Each step: batch_size real rows drawn with replacement, batch_size fresh
    samples of G (inference mode), the logistic loss (d_loss_bce); Adam(lr, (0.9,
    0.999)) with the rate decayed linearly to 0. critic_kwargs go to FourierCritic.
    The seed fixes the critic's initial weights and the draws, on a random state of
    its own (the caller's global state is left as it was).
    Returns (critic in eval mode on G's device, history {"step", "loss"}).
    """
    real = check_fit(G, x, steps)
    device = device_of(G)
    with RandomState(seed, device).active():
        critic = FourierCritic(real.shape[1], seed=seed, **critic_kwargs).to(device)
        losses = _train_critic(critic, G, torch.from_numpy(real).to(device), steps, batch_size, lr, seed)
    return critic.eval(), {"step": list(range(1, steps + 1)), "loss": losses}


def _train_critic(critic, G, real, steps, batch_size, lr, seed) -> list[float]:
    """fit_critic's loop: the critic trained in place; returns the loss per step."""
    device = real.device
    opt = torch.optim.Adam(critic.parameters(), lr=lr)
    decay = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: 1.0 - i / steps)
    gen = torch.Generator(device).manual_seed(seed)
    losses = []
    with evaluating(G):
        for _ in range(steps):
            idx = torch.randint(len(real), (batch_size,), generator=gen, device=device)
            with torch.no_grad():
                fake = G(torch.randn(batch_size, latent_dim_of(G), generator=gen, device=device))
            loss = d_loss_bce(critic(real[idx]), critic(fake))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            decay.step()
            losses.append(loss.detach())
    return torch.stack(losses).cpu().tolist()


@torch.no_grad()
def critic_logits(critic, x, batch_size: int = 10_000) -> np.ndarray:
    """The critic's logits, log p_data / p_G, for flat x (N, d) -> float32 (N,)."""
    device = device_of(critic)
    run = lambda xb: critic(torch.from_numpy(xb).to(device)).reshape(-1).cpu().numpy()  # noqa: E731
    return map_batches(run, check_flat(x), batch_size=batch_size)


def rejection_sample(G, critic, n: int, seed: int = 0, quantile: float = 0.99):
    """n samples of G kept by the critic's density ratio (ganbook.studies.critic.accept_reject).

    Returns (samples float32 (n, d), acceptance rate).
    """
    return study.rejection_sample(G, critic, n, seed, quantile, sample=sample, critic_logits=critic_logits)
