"""The augmentation study of the applications chapter, for either backend.

Few labelled digits per class; a conditional GAN trained on them alone; two
classifiers trained from scratch for the same number of steps, on the real
digits and on the real plus generated ones; both scored on test digits.
`experiments/augmentation.py` repeats `one_seed` over seeds.
"""
from __future__ import annotations

import time

import numpy as np

from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.eval.metrics import mean_se


def labelled_subset(images, labels, per_class: int, seed: int):
    """per_class digits of each class, drawn without replacement.

    images: uint8 (N, 28, 28); labels: int (N,). Returns x float32 (10 * per_class, 784)
    in [-1, 1] and y (10 * per_class,), ordered by class.
    """
    rng = np.random.default_rng(seed)
    counts = np.bincount(labels, minlength=10)
    if counts.min() < per_class:
        raise ValueError(f"per_class={per_class} but class {int(counts.argmin())} has only "
                         f"{int(counts.min())} digits")
    idx = np.concatenate([rng.choice(np.flatnonzero(labels == c), per_class, replace=False)
                          for c in range(10)])
    return scale(images[idx]).reshape(len(idx), 784), labels[idx]


def accuracy(gb, model, x, y) -> float:
    """Fraction of x that the classifier `model` (backend gb) assigns to labels y."""
    logits, _ = gb.classify(model, x)
    return float((logits.argmax(1) == y).mean())


def one_seed(gb, images, labels, test_x, test_y, seed: int, per_class: int = 20,
             fake_per_class: int = 100, gan_steps: int = 4000, clf_steps: int = 1500) -> dict:
    """One repetition of the study with backend gb (ganbook.torch or ganbook.tf).

    images, labels: the pool the labelled digits are drawn from (uint8, int);
    test_x (N, 28, 28, 1) in [-1, 1], test_y: test digits. Returns the test
    accuracies ("real_only", "augmented"), the generated digits' label fidelity (the
    book's evaluator's accuracy on them), the generated digits, and timings.
    """
    x, y = labelled_subset(images, labels, per_class, seed)
    start = time.perf_counter()
    config = TrainConfig(model="conditional", dataset="mnist", steps=gan_steps, seed=seed,
                         batch_size=min(64, len(x)), lr_g=2e-4, lr_d=2e-4, progress=False, log_every=500)
    trainer = gb.Trainer(config)
    trainer.fit(x, y)
    fake_y = np.repeat(np.arange(10), fake_per_class)
    fake_x = gb.sample(trainer.averaged_generator(), len(fake_y), labels=fake_y, seed=seed + 1000)
    gan_s = time.perf_counter() - start
    real_only = gb.fit_classifier(x, y, steps=clf_steps, seed=seed)
    augmented = gb.fit_classifier(np.concatenate([x, fake_x]), np.concatenate([y, fake_y]),
                                  steps=clf_steps, seed=seed)
    return {"seed": seed, "real_only": accuracy(gb, real_only, test_x, test_y),
            "augmented": accuracy(gb, augmented, test_x, test_y),
            "label_fidelity": accuracy(gb, gb.load_classifier(), fake_x, fake_y),
            "gan_s": round(gan_s, 1), "total_s": round(time.perf_counter() - start, 1),
            "generated": fake_x}


def summary(runs: list[dict]) -> dict:
    """Mean and standard error over seeds of each accuracy and of the paired difference."""
    columns = {"real_only": [r["real_only"] for r in runs], "augmented": [r["augmented"] for r in runs],
               "difference": [r["augmented"] - r["real_only"] for r in runs],
               "label_fidelity": [r["label_fidelity"] for r in runs]}
    return {key: dict(zip(("mean", "se"), mean_se(values))) for key, values in columns.items()}
