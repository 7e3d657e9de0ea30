"""Framework-free data: MNIST (downloaded, verified, parsed) and toy mixtures."""
from ganbook.data.arrays import batches, check_images, scale, shuffle, unscale
from ganbook.data.idx import IDXFormatError, read_idx, write_idx
from ganbook.data.mnist import (ChecksumError, MnistNotFoundError, cache_dir,
                                load_mnist)
from ganbook.data.toy import mixture, mixture_centers, mixture_pdf

__all__ = [
    "batches", "cache_dir", "check_images", "ChecksumError", "IDXFormatError",
    "load_mnist", "mixture", "mixture_centers", "mixture_pdf", "MnistNotFoundError",
    "read_idx", "scale", "shuffle", "unscale", "write_idx",
]
