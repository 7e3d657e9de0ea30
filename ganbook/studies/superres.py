"""Super-resolution on NumPy arrays (framework-free): making low-resolution inputs,
the bicubic baseline, and PSNR.

The applications chapter trains a generator to map 14x14 digits to 28x28
(ganbook.torch.superres / ganbook.tf.superres) and compares it with bicubic
upsampling here. Images follow the package's layout: (N, H, W, C) float in [-1, 1].
"""
from __future__ import annotations

import numpy as np

from ganbook.data import check_images

DATA_RANGE = 2.0  # images span [-1, 1]


def _images(x, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"{name} must be images (N, H, W, C), got shape {x.shape}; "
                         "add a channel axis with x[..., None]")
    return x


def downsample(images, factor: int = 2) -> np.ndarray:
    """Average-pool (N, H, W, C) by `factor` in each direction: (N, H/f, W/f, C).

    H and W must be multiples of factor. This is how the low-resolution inputs are made.
    """
    x = _images(images, "images")
    if not isinstance(factor, (int, np.integer)) or factor < 1:
        raise ValueError(f"factor must be a positive integer, got {factor!r}")
    n, h, w, c = x.shape
    if h % factor or w % factor:
        raise ValueError(f"image size {h}x{w} is not a multiple of factor {factor}")
    return x.reshape(n, h // factor, factor, w // factor, factor, c).mean(axis=(2, 4))


def bicubic(images, factor: int = 2) -> np.ndarray:
    """Upsample (N, h, w, C) by `factor` with bicubic interpolation (Pillow), clipped to [-1, 1]."""
    from PIL import Image

    x = _images(images, "images")
    n, h, w, c = x.shape
    size = (w * factor, h * factor)
    out = np.empty((n, h * factor, w * factor, c), np.float32)
    for i in range(n):
        for ch in range(c):
            out[i, :, :, ch] = np.asarray(Image.fromarray(x[i, :, :, ch], mode="F").resize(size, Image.BICUBIC))
    return np.clip(out, -1.0, 1.0)


def psnr(estimate, target) -> np.ndarray:
    """Peak signal-to-noise ratio per image, in dB: 10 log10(range^2 / MSE), range 2 for [-1, 1].

    estimate, target: images of one shape (N, H, W, C) in [-1, 1]. Identical images give inf.
    """
    a, b = _images(estimate, "estimate"), _images(target, "target")
    if a.shape != b.shape:
        raise ValueError(f"estimate {a.shape} and target {b.shape} must have the same shape")
    check_images(b, name="target")
    mse = ((a.astype(np.float64) - b) ** 2).reshape(len(a), -1).mean(1)
    with np.errstate(divide="ignore"):
        return 10 * np.log10(DATA_RANGE ** 2 / mse)
