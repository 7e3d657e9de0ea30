"""The MNIST feature classifier in PyTorch (mirrored in ganbook/tf/classifier.py).

Architecture and weights: see ganbook/eval/classifier.py. The weight file is in
Keras layout; `load_classifier` transposes conv kernels HWIO -> OIHW and dense
kernels (in, out) -> (out, in).
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ganbook.data.arrays import map_batches
from ganbook.eval import classifier as spec
from ganbook.torch.rng import RandomState
from ganbook.torch.sampling import device_of, evaluating, to_native


class MnistClassifier(nn.Module):
    """images (N, 1, 28, 28) in [-1, 1] -> logits (N, 10); features (N, 128) on request.

    Three 3x3 'same' convs (32, 64, 64 channels), each followed by ReLU and 2x2
    max-pooling; flatten channels-last; dense 128 (the features) + ReLU; dense 10.
    device: the device the weights are made on (default "cpu"); `.device` is where
    they are, where `classify` runs the model.
    """

    def __init__(self, device=None):
        super().__init__()
        convs = [(name, shape) for name, kind, shape in spec.LAYERS if kind == "conv"]
        self.convs = nn.ModuleDict(
            {name: nn.Conv2d(s[2], s[3], s[0], padding=s[0] // 2) for name, s in convs})
        dense = {name: shape for name, kind, shape in spec.LAYERS if kind == "dense"}
        self.features = nn.Linear(*dense["features"])
        self.logits = nn.Linear(*dense["logits"])
        self.to(device or "cpu")

    @property
    def device(self) -> torch.device:
        """The device the weights are on, where `classify` runs the model (default "cpu")."""
        return device_of(self)

    def embed(self, x):
        """images (N, 1, 28, 28) -> features (N, 128): the penultimate layer before its ReLU."""
        for conv in self.convs.values():
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = x.permute(0, 2, 3, 1).flatten(1)  # channels-last, as Keras flattens
        return self.features(x)

    def forward(self, x, return_features: bool = False):
        """logits (N, 10), or (logits, features) with return_features=True."""
        h = self.embed(x)
        logits = self.logits(F.relu(h))
        return (logits, h) if return_features else logits


def _layer(model: MnistClassifier, name: str) -> nn.Module:
    return model.convs[name] if name in model.convs else getattr(model, name)


@torch.no_grad()
def set_weights(model: MnistClassifier, weights: dict[str, np.ndarray]) -> MnistClassifier:
    """Copy Keras-layout weights {"conv1/kernel": ...} into model."""
    for name, kind, _ in spec.LAYERS:
        layer = _layer(model, name)
        kernel = weights[f"{name}/kernel"]
        kernel = kernel.transpose(3, 2, 0, 1) if kind == "conv" else kernel.T
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(kernel)))
        layer.bias.copy_(torch.from_numpy(weights[f"{name}/bias"]))
    return model


@torch.no_grad()
def get_weights(model: MnistClassifier) -> dict[str, np.ndarray]:
    """model's weights in Keras layout, the format of the weight file."""
    weights = {}
    for name, kind, _ in spec.LAYERS:
        layer = _layer(model, name)
        w = layer.weight.detach().cpu().numpy()
        weights[f"{name}/kernel"] = w.transpose(2, 3, 1, 0) if kind == "conv" else w.T
        weights[f"{name}/bias"] = layer.bias.detach().cpu().numpy()
    return weights


def load_classifier(device=None) -> MnistClassifier:
    """The trained classifier, weights from the packaged file (SHA-256 checked), in eval mode.

    device: e.g. "cuda"; default "cpu", where the logits match TensorFlow's within 1e-4
    (GPU TF32 convolutions may not). `classify` runs where the model is (`model.device`).
    """
    with RandomState(0, device).active():  # the initial weights, overwritten, use no one's random numbers
        model = MnistClassifier(device)
    return set_weights(model, spec.load_weights()).eval()


@torch.no_grad()
def classify(model: MnistClassifier, images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Run the classifier on shared-layout images, batch by batch, where the model is, in eval mode.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784), in [-1, 1].
    Returns float32 NumPy logits (N, 10) and features (N, 128).
    """
    x = spec.as_images(images)
    if len(x) == 0:
        return np.zeros((0, spec.N_CLASSES), np.float32), np.zeros((0, spec.N_FEATURES), np.float32)
    device = device_of(model)

    def run(xb):
        logits, features = model(torch.from_numpy(to_native(xb)).to(device), return_features=True)
        return logits.float().cpu().numpy(), features.float().cpu().numpy()

    with evaluating(model):
        return map_batches(run, x, batch_size=batch_size)


def fit_classifier(images, labels, steps: int = 1500, batch_size: int = 64, lr: float = 1e-3,
                   seed: int = 0, device=None) -> MnistClassifier:
    """A fresh MnistClassifier trained from scratch (cross-entropy, Adam) on labelled digits.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784) in [-1, 1]; labels: ints (N,).
    `steps` minibatches drawn with replacement. The seed fixes the initial weights and
    the batches, on a random state of its own (the caller's global state is left as it
    was). For experiments such as the augmentation study of the applications chapter;
    the evaluator itself is trained by scripts/train_classifier.py. Returns the model
    in eval mode, on `device` (default "cpu").
    """
    x = spec.as_images(images)
    y = np.asarray(labels, np.int64)
    if len(y) != len(x) or len(x) == 0:
        raise ValueError(f"need as many labels as images (> 0), got {len(x)} images and {len(y)} labels")
    device = torch.device(device or "cpu")
    data = torch.from_numpy(to_native(x)).to(device)
    targets = torch.from_numpy(y).to(device)
    with RandomState(seed, device).active():
        model = MnistClassifier(device).train()
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        gen = torch.Generator(device).manual_seed(seed)
        for _ in range(steps):
            idx = torch.randint(len(data), (batch_size,), generator=gen, device=device)
            loss = F.cross_entropy(model(data[idx]), targets[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return model.eval()
