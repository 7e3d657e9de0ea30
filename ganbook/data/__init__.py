"""Framework-free data: MNIST (downloaded, verified, parsed), toy mixtures, and the
registry of data sets a TrainConfig can name."""
from ganbook.data.arrays import batches, check_images, map_batches, scale, shuffle, unscale
from ganbook.data.clusters import cluster
from ganbook.data.idx import IDXFormatError, read_idx, write_idx
from ganbook.data.mnist import (ChecksumError, MnistNotFoundError, cache_dir,
                                load_mnist)
from ganbook.data.toy import mixture, mixture_centers, mixture_pdf
from ganbook.data.registry import DATASETS, DatasetSpec, get_dataset, register_dataset  # after the loaders

__all__ = [
    "batches", "cache_dir", "cluster", "check_images", "ChecksumError", "DATASETS", "DatasetSpec", "get_dataset",
    "IDXFormatError", "map_batches", "register_dataset",
    "load_mnist", "mixture", "mixture_centers", "mixture_pdf", "MnistNotFoundError",
    "read_idx", "scale", "shuffle", "unscale", "write_idx",
]
