"""Layout conversion and sampling from a generator (PyTorch)."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ganbook.latent import cycling_labels, noise, standing_codes
from ganbook.nets.protocol import latent_dim_of, n_classes_of


def to_native(x: np.ndarray) -> np.ndarray:
    """Shared layout -> PyTorch layout: images (N, H, W, C) -> (N, C, H, W); flat data unchanged."""
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2)) if x.ndim == 4 else x


def to_shared(x: np.ndarray) -> np.ndarray:
    """PyTorch layout -> shared layout: images (N, C, H, W) -> (N, H, W, C)."""
    return np.ascontiguousarray(x.transpose(0, 2, 3, 1)) if x.ndim == 4 else x


def _device_of(model) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def sample(G, n: int = 64, labels=None, seed: int | None = 0, z=None, batch_size: int = 1000) -> np.ndarray:
    """Draw n samples from generator G, returned as float32 NumPy in the shared layout.

    labels: int array (n,) for a conditional G (default: 0, 1, 2, ... cycling).
    z: latent codes (n, latent_dim) to use instead of drawing them with `seed`.
    G runs in eval mode (BatchNorm uses its running averages), in batches of batch_size.
    """
    device = _device_of(G)
    if z is None:
        z = noise(n, latent_dim_of(G), seed)
    z = torch.as_tensor(np.asarray(z, dtype=np.float32) if not torch.is_tensor(z) else z)
    n = len(z)
    conditional = n_classes_of(G) > 0
    if conditional:
        labels = cycling_labels(G, n) if labels is None else np.asarray(labels)
        labels = torch.as_tensor(labels, dtype=torch.long)
    was_training = G.training
    G.eval()
    out = []
    for start in range(0, n, batch_size):
        zb = z[start:start + batch_size].to(device, torch.float32)
        args = (zb, labels[start:start + batch_size].to(device)) if conditional else (zb,)
        out.append(G(*args).float().cpu().numpy())
    G.train(was_training)
    return to_shared(np.concatenate(out))


@torch.no_grad()
def recalibrate_batchnorm(G, n: int = 2000, batch_size: int = 500, seed: int = 0):
    """Set G's BatchNorm running statistics to their averages over the batches of
    `standing_codes(G, n, seed)` in training mode; returns G (unchanged without
    BatchNorm). Why: `TrainingLoop.averaged_generator`; the name: Brock et al. 2019."""
    norms = [m for m in G.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return G
    device, (z, labels) = _device_of(G), standing_codes(G, n, seed)
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
