"""Differentiable augmentation of what D sees (framework-free part).

With TrainConfig(augment="translation") each backend's trainer moves every
image batch that D judges, real and generated, in D's step and in G's step, by
a random whole number of pixels in each direction (at most `max_shift`), the
uncovered border filled with the background value -1. D then cannot memorise
the exact position of each training digit, which is what it starts to do when
the data set is small (a few thousand digits); G's gradient passes through the
shift, so G is still pushed towards unshifted digits (Zhao et al. 2020,
"Differentiable Augmentation for Data-Efficient GAN Training").

The backends' `diffaug.translate(x, shifts, max_shift)` do the moving. The
gradient penalties (gp_weight, r1_weight) are computed on the unmoved images.
On MNIST, whose digits are centred, it made the DCGAN worse (the MNIST
chapter's probe table): a D that cannot tell where a digit sits lets G drift.
"""
from __future__ import annotations

FILL = -1.0  # the background of images scaled to [-1, 1]


def max_shift(image_size: int) -> int:
    """The largest shift in pixels: an eighth of the side, as in DiffAugment (3 for 28)."""
    return max(1, image_size // 8)
