"""Retrain the MNIST feature classifier (ganbook/eval/classifier.py) reproducibly, in PyTorch on CPU.

    GANBOOK_DATA=/path/to/mnist python scripts/train_classifier.py

Trains on MNIST's 60,000 training digits, with random shifts of up to 2 pixels
and dropout on the features, then prints the accuracy on the 10,000 test digits
(never used in training), writes
ganbook/eval/weights/mnist_classifier.npz atomically and prints its SHA-256: paste it
into WEIGHTS_SHA256 in ganbook/eval/classifier.py.

Everything is seeded and PyTorch runs deterministic kernels on a fixed number of
threads (default 1), so the same seed, thread count and library versions on the
same kind of CPU give the same file, byte for byte. The defaults: see ACCURACY
in ganbook/eval/classifier.py for the test accuracy they give.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganbook.eval import classifier as spec
from ganbook.data import scale
from ganbook.data.mnist import load_mnist

SHIFT = 2  # pixels, each direction


def shift_batch(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shift each image (N, 28, 28) by its own random offset in [-SHIFT, SHIFT]^2, filled with background (-1)."""
    n, h, w = images.shape
    padded = np.pad(images, ((0, 0), (SHIFT, SHIFT), (SHIFT, SHIFT)), constant_values=-1.0)
    dy, dx = rng.integers(0, 2 * SHIFT + 1, size=(2, n))
    rows = dy[:, None] + np.arange(h)
    cols = dx[:, None] + np.arange(w)
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


def he_init(model):
    """He-normal weights, zero biases. PyTorch's default init leaves about a fifth of
    the 128 feature units dead (never positive) from the start; these start alive."""
    import torch
    from torch import nn

    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
    return model


def train(x, y, epochs: int, batch_size: int, lr: float, dropout: float, seed: int):
    """Train a fresh MnistClassifier on x (N, 28, 28) in [-1, 1], labels y (N,)."""
    import torch
    from torch.nn import functional as F

    from ganbook.torch.classifier import MnistClassifier

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = he_init(MnistClassifier())
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * (len(x) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    model.train()
    for epoch in range(epochs):
        order, start, total = rng.permutation(len(x)), time.time(), 0.0
        for i in range(len(x) // batch_size):
            idx = order[i * batch_size:(i + 1) * batch_size]
            xb = torch.from_numpy(shift_batch(x[idx], rng)[:, None])
            h = F.dropout(F.relu(model.embed(xb)), dropout, training=True)
            loss = F.cross_entropy(model.logits(h), torch.from_numpy(y[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f"epoch {epoch + 1}/{epochs}: loss {total / (i + 1):.4f} ({time.time() - start:.1f} s)",
              flush=True)
    return model.eval()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--root", default=None, help="local MNIST folder (default: $GANBOOK_DATA or the cache)")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="CPU threads (part of what fixes the result)")
    p.add_argument("--out", default=str(spec.WEIGHTS_PATH))
    args = p.parse_args(argv)

    import torch

    from ganbook.torch.classifier import classify, get_weights

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    x, y = load_mnist("train", root=args.root)
    model = train(scale(x), y, args.epochs, args.batch_size, args.lr, args.dropout, args.seed)
    tx, ty = load_mnist("test", root=args.root)
    logits, _ = classify(model, scale(tx))
    right = int((logits.argmax(1) == ty).sum())
    print(f"test accuracy: {right / len(ty):.4%} ({right}/{len(ty)})")
    digest = spec.save_weights(get_weights(model), args.out)
    print(f"wrote {args.out}\nSHA-256: {digest}")
    if Path(args.out).resolve() == spec.WEIGHTS_PATH and digest != spec.WEIGHTS_SHA256:
        print(f'paste into ganbook/eval/classifier.py: WEIGHTS_SHA256 = "{digest}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
