"""Random translation of image batches for D (PyTorch; mirrored in ganbook/tf/diffaug.py).

See ganbook.train.diffaug for why and when the trainer uses it.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ganbook.train.diffaug import FILL


def random_shifts(n: int, max_shift: int, generator: torch.Generator) -> torch.Tensor:
    """(n, 2) int64 (rows, columns) shifts, uniform in [-max_shift, max_shift]."""
    return torch.randint(-max_shift, max_shift + 1, (n, 2), generator=generator,
                         device=generator.device)


def translate(x: torch.Tensor, shifts: torch.Tensor, max_shift: int, fill: float = FILL) -> torch.Tensor:
    """x (N, C, H, W) with sample i moved down by shifts[i, 0] and right by
    shifts[i, 1] pixels (|shift| <= max_shift); the uncovered border is `fill`.
    Differentiable in x. Returns (N, C, H, W), channels-last in memory."""
    n, _, h, w = x.shape
    padded = F.pad(x, (max_shift,) * 4, value=fill)
    rows = torch.arange(h, device=x.device) + max_shift - shifts[:, :1]  # (N, H)
    cols = torch.arange(w, device=x.device) + max_shift - shifts[:, 1:]  # (N, W)
    batch = torch.arange(n, device=x.device)[:, None, None]
    moved = padded[batch, :, rows[:, :, None], cols[:, None, :]]  # (N, H, W, C)
    return moved.permute(0, 3, 1, 2)
