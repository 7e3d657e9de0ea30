"""Training data for a TrainConfig, as NumPy arrays in the shared layout.

Shared layout (both backends, plots and metrics): images channels-last
(N, H, W, C) float32 in [-1, 1]; flat data (N, D). Each backend converts to
its own layout once (PyTorch: channels-first) when the data goes to the device.
"""
from __future__ import annotations

from ganbook.config import TrainConfig
from ganbook.data import MnistNotFoundError, load_mnist, mixture, scale
from ganbook.data.mnist import local_folder

TOY_SAMPLES = 100_000
IMAGE_MODELS = ("dcgan",)
FLAT_IMAGE_MODELS = ("mlp", "conditional")


def sample_shape(config: TrainConfig) -> tuple[int, ...]:
    """Shape of one sample in the shared layout, e.g. (28, 28, 1) or (784,) or (2,)."""
    if config.dataset == "mnist":
        if config.model in IMAGE_MODELS:
            size = config.model_kwargs.get("image_size", 28)
            return (size, size, config.model_kwargs.get("channels", 1))
        return (784,)
    return (1,) if config.dataset == "bimodal" else (2,)


def check_pairing(config: TrainConfig) -> None:
    image = config.dataset == "mnist"
    if image and config.model == "toy":
        raise ValueError("model 'toy' is for the 1-D/2-D mixtures; use mlp, dcgan or conditional for mnist")
    if not image and config.model != "toy":
        raise ValueError(f"dataset {config.dataset!r} is a toy mixture; use model 'toy'")
    if config.dataset == "mnist" and config.model == "dcgan" and sample_shape(config)[:2] != (28, 28):
        raise ValueError("MNIST digits are 28x28; set model_kwargs image_size=28 for dcgan")


def training_data(config: TrainConfig, split: str = "train", root=None):
    """(x, y) for `config.dataset`: x float32 in the shared layout, y int64 labels or None.

    MNIST comes from `ganbook.data.load_mnist(split, root)`; the toy mixtures
    draw TOY_SAMPLES points with `config.seed`.
    """
    check_pairing(config)
    if config.dataset == "mnist":
        images, labels = load_mnist(split, root=root)
        x = scale(images).reshape((len(images),) + sample_shape(config))
        return x, labels
    x, _, _ = mixture(config.dataset, TOY_SAMPLES, seed=config.seed)
    return x, None


def training_digits(root=None):
    """The MNIST digits a GAN should train on, and a line saying which they are.

    The 60,000-digit train split, downloaded (and verified) on first use. When a
    local folder (`root`, else $GANBOOK_DATA) holds only the 10k test split, as
    on an offline machine, the 7,000 test digits the evaluator was fitted on:
    the 3,000 it holds out for `ganbook.evaluate` stay unseen by the GAN.

    Returns (images uint8 (N, 28, 28), labels int64 (N,), description).
    """
    folder = local_folder(root)
    try:
        images, labels = load_mnist("train", root=folder)
        return images, labels, f"MNIST train split ({len(labels):,} digits)"
    except MnistNotFoundError:
        if folder is None:
            raise
    from ganbook.classifier import fit_digits
    images, labels = fit_digits(folder)  # raises MnistNotFoundError if the test split is missing too
    return images, labels, (f"MNIST test split minus the 3,000 held out for evaluation "
                            f"({len(labels):,} digits, offline copy)")
