"""The MNIST feature classifier, framework-free: data split, architecture, weights.

A small CNN plays the part Inception-v3 plays for natural images: its softmax
gives the classifier score and the class histogram, and its penultimate layer
(128 numbers per image) gives the features of the Frechet distance, KID and
precision/recall. The network exists twice, as `ganbook.torch.MnistClassifier`
and `ganbook.tf.MnistClassifier`, built from `LAYERS` below and loaded from one
weight file, so the same images give the same logits in both backends.

The features are the penultimate layer's pre-activations, before its ReLU.
After the ReLU, blank, noisy or untrained-generator images all land near zero,
inside the wide k-NN balls of atypical real digits (precision near 1 for blank
images), and about a fifth of the units never fire on real digits (singular
covariances); before it, neither happens.

Data. The classifier is trained on MNIST's 60,000 training digits
(`scripts/train_classifier.py`, reproducibly) and judged on the 10,000 test
digits, which it never sees in training: `ACCURACY` is its measured test
accuracy. `ganbook.evaluate` compares samples with a fixed set of training
digits (`reference_digits`) and scores test digits the same way as the
real-data reference (`real_digits`).

Weights. `ganbook/eval/weights/mnist_classifier.npz` holds one array per name in
`LAYERS`, in Keras conventions: conv kernels (3, 3, in, out) (HWIO), dense
kernels (in, out), biases (out,). The PyTorch loader transposes them. The file's
SHA-256 is pinned in `WEIGHTS_SHA256`; `scripts/train_classifier.py` rebuilds
the file reproducibly and prints the new hash.
"""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import numpy as np

from ganbook.atomic import atomic_write

N_REFERENCE = 10_000  # training digits whose features samples are compared with
N_REAL = 10_000  # test digits: the most the real-data reference row can have
REFERENCE_SEED = 20_240_601  # fixes which training digits those are, and the test digits' order
# Test accuracy of the shipped weights (`scripts/train_classifier.py`, 8 epochs on the
# 60,000 training digits, torch 2.13 on x86-64, one thread).
ACCURACY = 0.9943  # 9,943 of the 10,000 test digits
N_CLASSES = 10
N_FEATURES = 128
# The RMS of the test digits' features with the shipped weights (measured:
# 8.06). KID divides features by it so that its cubic kernel (x.y/d + 1)^3 works
# at the scale it was designed for (Inception features), giving the usual small
# numbers; FD and precision/recall use the raw features.
FEATURE_SCALE = 8.06
IMAGE_SHAPE = (28, 28, 1)
FLAT = 3 * 3 * 64  # after three poolings: 3 x 3 x 64, flattened channels-last

# The network, in order. Every conv: 3x3, stride 1, 'same' padding (1 pixel each
# side), then ReLU, then 2x2 max-pooling with stride 2 ('valid': 28 -> 14 -> 7 -> 3).
# Then flatten channels-last (H, W, C) -> 576, dense -> 128 features, ReLU,
# dense -> 10 logits. (name, kind, kernel shape in Keras layout)
LAYERS = (
    ("conv1", "conv", (3, 3, 1, 32)),    # 28x28x1  -> 28x28x32 -> pool 14x14x32
    ("conv2", "conv", (3, 3, 32, 64)),   # 14x14x32 -> 14x14x64 -> pool 7x7x64
    ("conv3", "conv", (3, 3, 64, 64)),   # 7x7x64   -> 7x7x64   -> pool 3x3x64
    ("features", "dense", (FLAT, N_FEATURES)),  # the features, then ReLU
    ("logits", "dense", (N_FEATURES, N_CLASSES)),
)

WEIGHTS_PATH = Path(__file__).resolve().parent / "weights" / "mnist_classifier.npz"
WEIGHTS_SHA256 = "72d43ab516a8de08bf6dfde425532ebc8564a251f0365e7aa2b236e0446dad43"
RETRAIN = "python scripts/train_classifier.py"


class WeightsError(ValueError):
    """The classifier's weight file is missing, altered or malformed."""


def weight_shapes() -> dict[str, tuple[int, ...]]:
    """{"conv1/kernel": (3, 3, 1, 32), "conv1/bias": (32,), ...} in Keras layout."""
    shapes = {}
    for name, _, kernel in LAYERS:
        shapes[f"{name}/kernel"] = tuple(kernel)
        shapes[f"{name}/bias"] = (kernel[-1],)
    return shapes


def _order(n: int) -> np.ndarray:
    return np.random.default_rng(REFERENCE_SEED).permutation(n)


def reference_digits(root=None) -> tuple[np.ndarray, np.ndarray]:
    """The N_REFERENCE training digits samples are compared with, a fixed subset.

    Returns uint8 images (10000, 28, 28) and int64 labels (10000,).
    root: the local MNIST folder (default: $GANBOOK_DATA, else the download cache).
    """
    from ganbook.data.mnist import load_mnist

    images, labels = load_mnist("train", root=root)
    idx = np.sort(_order(len(labels))[:N_REFERENCE])
    return images[idx], labels[idx]


def real_digits(n: int, root=None) -> tuple[np.ndarray, np.ndarray]:
    """n test digits (at most 10,000) in a fixed random order: the real-data reference.

    The first n of one fixed permutation, so a larger n extends a smaller one.
    Returns uint8 images (n, 28, 28) and int64 labels (n,).
    """
    from ganbook.data.mnist import load_mnist

    images, labels = load_mnist("test", root=root)
    idx = _order(len(labels))[:n]
    return images[idx], labels[idx]


def sha256sum(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_weights(path=None, sha256: str | None = None) -> dict[str, np.ndarray]:
    """Read and verify the weight file: {name: float32 array} in Keras layout.

    path defaults to the packaged file, sha256 to `WEIGHTS_SHA256`. Raises
    WeightsError when the file is missing, its hash differs or its arrays do not
    match `LAYERS`.
    """
    path = Path(path or WEIGHTS_PATH)
    expected = sha256 or WEIGHTS_SHA256
    fix = f"reinstall ganbook, or rebuild the file with `{RETRAIN}` and paste its hash"
    if not path.is_file():
        raise WeightsError(f"classifier weights {path} not found; {fix}")
    found = sha256sum(path)
    if found != expected:
        raise WeightsError(
            f"classifier weights {path} have SHA-256 {found}, expected {expected}: the file "
            f"is corrupted or from another version; {fix} into ganbook/eval/classifier.py"
        )
    with np.load(path, allow_pickle=False) as npz:
        weights = {k: npz[k].astype(np.float32) for k in npz.files}
    _check_shapes(weights, path)
    return weights


def _check_shapes(weights: dict, where) -> None:
    shapes = weight_shapes()
    if set(weights) != set(shapes):
        raise WeightsError(f"{where}: arrays {sorted(weights)}, expected {sorted(shapes)}")
    for k, shape in shapes.items():
        if weights[k].shape != shape:
            raise WeightsError(f"{where}: {k} has shape {weights[k].shape}, expected {shape}")


def save_weights(weights: dict[str, np.ndarray], path=None) -> str:
    """Write weights (Keras layout) atomically and byte-reproducibly; returns the SHA-256.

    The .npz is written with fixed zip timestamps and a fixed order, so the same
    weights always give the same file and hash.
    """
    path = Path(path or WEIGHTS_PATH)
    weights = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
    _check_shapes(weights, "weights to save")

    def write(fh):
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for key in sorted(weights):
                info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w") as f:
                    np.lib.format.write_array(f, weights[key], allow_pickle=False)
    atomic_write(path, write)
    return sha256sum(path)


def as_images(images, name: str = "images") -> np.ndarray:
    """Shared-layout images for the classifier: float32 (N, 28, 28, 1) in [-1, 1].

    Accepts (N, 28, 28, 1), (N, 28, 28) or flat (N, 784) float arrays in [-1, 1];
    raises ValueError naming the problem otherwise.
    """
    x = np.asarray(images)
    if x.dtype == np.uint8:
        raise ValueError(f"{name} are uint8 pixels; scale them to [-1, 1] with ganbook.data.scale")
    if x.ndim == 2 and x.shape[1] == 784 or x.ndim == 3 and x.shape[1:] == (28, 28):
        x = x.reshape(len(x), *IMAGE_SHAPE)
    if x.ndim != 4 or x.shape[1:] != IMAGE_SHAPE:
        raise ValueError(
            f"{name} have shape {x.shape}; the MNIST classifier takes (N, 28, 28, 1), "
            "(N, 28, 28) or (N, 784) images in [-1, 1]"
        )
    x = x.astype(np.float32, copy=False)
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contain NaN or Inf values")
    return x
