"""Layout conversion and sampling from a generator (PyTorch)."""
from __future__ import annotations

import contextlib

import numpy as np
import torch
from torch import nn

from ganbook.data.arrays import map_batches
from ganbook.latent import cycling_labels, noise, standing_codes
from ganbook.nets.protocol import latent_dim_of, n_classes_of


def to_native(x: np.ndarray) -> np.ndarray:
    """Shared layout -> PyTorch layout: images (N, H, W, C) -> (N, C, H, W); flat data unchanged."""
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)) if x.ndim == 4 else x


def to_shared(x: np.ndarray) -> np.ndarray:
    """PyTorch layout -> shared layout: images (N, C, H, W) -> (N, H, W, C)."""
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1)) if x.ndim == 4 else x


def device_of(model: nn.Module) -> torch.device:
    """The device of a model's (first) parameters: where its inputs must go."""
    return next(model.parameters()).device


@contextlib.contextmanager
def evaluating(model: nn.Module):
    """model in eval mode for the block (BatchNorm on its running averages, no dropout),
    and back in the mode it was in afterwards."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


@torch.no_grad()
def sample(G, n: int = 64, labels=None, seed: int | None = 0, z=None, batch_size: int = 1000) -> np.ndarray:
    """Draw n samples from generator G, returned as float32 NumPy in the shared layout.

    labels: int array (n,) for a conditional G (default: 0, 1, 2, ... cycling).
    z: latent codes (n, latent_dim) to use instead of drawing them with `seed`.
    G runs in eval mode (BatchNorm uses its running averages), in batches of batch_size.
    """
    device = device_of(G)
    if z is None:
        z = noise(n, latent_dim_of(G), seed)
    inputs = (z if torch.is_tensor(z) else np.asarray(z, dtype=np.float32),)
    if n_classes_of(G):
        inputs += (np.asarray(cycling_labels(G, len(z)) if labels is None else labels),)

    def run(zb, *lb):
        lb = [torch.as_tensor(b, dtype=torch.long).to(device) for b in lb]
        return G(torch.as_tensor(zb).to(device, torch.float32), *lb).float().cpu().numpy()

    with evaluating(G):
        return to_shared(map_batches(run, *inputs, batch_size=batch_size))


@torch.no_grad()
def recalibrate_batchnorm(G, n: int = 2000, batch_size: int = 500, seed: int = 0,
                          latent_dim: int | None = None):
    """Set G's BatchNorm running statistics to their averages over the batches of
    `standing_codes(G, n, seed, latent_dim)` in training mode; returns G (unchanged without
    BatchNorm). Why: `TrainingLoop.averaged_generator`; the name: Brock et al. 2019."""
    norms = [m for m in G.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return G
    device, (z, labels) = device_of(G), standing_codes(G, n, seed, latent_dim)
    momenta = [m.momentum for m in norms]
    was_training = G.training
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches below
    G.train()
    try:
        for start in range(0, n, batch_size):
            zb = torch.as_tensor(z[start:start + batch_size], device=device)
            extra = () if labels is None else (torch.as_tensor(labels[start:start + batch_size], device=device),)
            G(zb, *extra)
    finally:
        for m, momentum in zip(norms, momenta):
            m.momentum = momentum
        G.train(was_training)
    return G
