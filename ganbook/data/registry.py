"""The data sets a TrainConfig can name, each described once: shape, range, classes,
loader and evaluator.

Shared layout (both backends, plots and metrics): images channels-last
(N, H, W, C) float32 in [-1, 1]; points (N, D). Each backend converts to its
own layout once (PyTorch: channels-first) when the data goes to the device.

Adding a data set (Fashion-MNIST, CIFAR-10, ...) is one `register_dataset(DatasetSpec(...))`
with a loader that returns arrays in the shared layout.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ganbook.data.arrays import scale
from ganbook.data.mnist import load_mnist, local_folder
from ganbook.data.stacked import N_EVAL, N_MODES, N_TRAIN, stack_digits
from ganbook.data.toy import mixture

TOY_SAMPLES = 100_000

# loader(split, root, seed) -> (x float32 in the shared layout, y int64 labels (N,) or None)
Loader = Callable[[str, object, int], tuple[np.ndarray, "np.ndarray | None"]]


@dataclass(frozen=True)
class DatasetSpec:
    """One data set: what a sample looks like and how to load it.

    shape: one sample in the shared layout, e.g. (28, 28, 1), (32, 32, 3) or (2,).
    bounded: samples lie in [-1, 1] (images scaled from uint8); the trainer refuses
        data outside that range, the usual sign of unscaled pixels.
    n_classes: number of class labels the loader returns (0: none).
    load: loader(split, root, seed) -> (x, y), see Loader.
    evaluator: the name `ganbook.evaluate` scores samples of this data set with
        ("mnist"), or None when there is none.
    """
    name: str
    shape: tuple[int, ...]
    bounded: bool
    n_classes: int
    load: Loader
    evaluator: str | None = None

    @property
    def images(self) -> bool:
        return len(self.shape) == 3


def _load_mnist(split, root, seed):
    images, labels = load_mnist(split, root=root)
    return scale(images)[..., None], labels


def _load_stacked_mnist(split, root, seed):
    """Stacked MNIST (ganbook.data.stacked) from the split's digits, drawn with `seed`:
    N_TRAIN (128,000) stacked images for "train" and "all", N_EVAL (26,000) of the
    test digits for "test"; x (n, 28, 28, 3) in [-1, 1], y the modes (n,) in [0, 1000)."""
    images, labels = load_mnist(split, root=root)
    stacked, modes = stack_digits(images, labels, N_EVAL if split == "test" else N_TRAIN, seed)
    return scale(stacked), modes


def _mixture_loader(name: str) -> Loader:
    def load(split, root, seed):
        x, _, _ = mixture(name, TOY_SAMPLES, seed=seed)
        return x, None
    return load


DATASETS: dict[str, DatasetSpec] = {}


def register_dataset(spec: DatasetSpec) -> DatasetSpec:
    """Add (or replace) a data set that TrainConfig(dataset=spec.name) can name."""
    DATASETS[spec.name] = spec
    return spec


register_dataset(DatasetSpec("mnist", (28, 28, 1), bounded=True, n_classes=10, load=_load_mnist,
                             evaluator="mnist"))
# No evaluator: ganbook.evaluate scores one-channel digits; ganbook.eval.stacked scores these.
register_dataset(DatasetSpec("stacked_mnist", (28, 28, 3), bounded=True, n_classes=N_MODES,
                             load=_load_stacked_mnist))
register_dataset(DatasetSpec("ring", (2,), bounded=False, n_classes=0, load=_mixture_loader("ring")))
register_dataset(DatasetSpec("grid", (2,), bounded=False, n_classes=0, load=_mixture_loader("grid")))
register_dataset(DatasetSpec("bimodal", (1,), bounded=False, n_classes=0, load=_mixture_loader("bimodal")))


def get_dataset(name: str) -> DatasetSpec:
    """The registered data set `name`; a ValueError lists the names there are."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; registered: {sorted(DATASETS)} "
                         "(add one with ganbook.data.register_dataset)")
    return DATASETS[name]


def sample_shape(config) -> tuple[int, ...]:
    """Shape of one sample as config's model sees it: the data set's own shape for
    image models, flattened ((784,) for MNIST) for the fully connected ones."""
    shape = get_dataset(config.dataset).shape
    return (math.prod(shape),) if config.model.flat else shape


def training_data(config, split: str = "train", root=None):
    """(x, y) for `config.dataset`: x float32 in the shape config's model takes
    (`sample_shape`), y int64 labels or None. The toy mixtures draw TOY_SAMPLES
    points with `config.seed`."""
    config.model.check_data(get_dataset(config.dataset).shape, config.dataset)
    x, y = get_dataset(config.dataset).load(split, root, config.seed)
    return x.reshape((len(x),) + sample_shape(config)), y


def training_digits(root=None):
    """The 60,000 MNIST training digits, the ones a GAN trains on, and a line saying so.

    root: the local MNIST folder (default: $GANBOOK_DATA, else the download cache,
    filled and verified on first use). The 10,000 test digits are never trained on:
    they are the real-data reference of `ganbook.evaluate`.

    Returns (images uint8 (60000, 28, 28), labels int64 (60000,), description).
    """
    images, labels = load_mnist("train", root=local_folder(root))
    return images, labels, f"MNIST training split ({len(labels):,} digits)"
