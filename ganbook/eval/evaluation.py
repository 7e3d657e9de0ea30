"""`evaluate`: score a generator (or its samples) against real MNIST digits.

Features and class probabilities come from ganbook's MNIST classifier
(ganbook/eval/classifier.py), the MNIST analogue of Inception-v3; the metrics are
those of ganbook.eval.metrics. The protocol:

* the reference: a fixed set of 10,000 training digits, the distribution the
  generator learns. Every row is scored against its features;
* the model row: n samples from the generator;
* the real-data reference row: n test digits (never trained on, by the classifier
  or by a GAN), scored exactly like the samples, at the same n (at most the
  10,000 there are). It shows what real digits score on each measure, so the
  model row is read beside it.

FD and KID's spread depend on the number of samples (FD is biased upwards for
small n), which is why the real-data reference is scored at the model's n; the
report records both.

Importing this module imports neither PyTorch nor TensorFlow: `evaluate` loads
the backend the source needs when it is called.
"""
from __future__ import annotations

import copy
import importlib
import os
import sys

import numpy as np

from ganbook.backend import BACKENDS, backend, framework_of
from ganbook.eval import classifier as spec
from ganbook.latent import cycling_labels

_CACHE: dict = {}  # loaded classifiers and reference features, per backend and data folder


class Report(dict):
    """The result of `evaluate`: a dict, shown as a table of the model beside real digits.

    Keys: "model" and "real" (metric dicts with the same keys), "n" (samples
    evaluated), "n_reference" (reference digits), "n_real" (test digits in the
    real-data reference row), "seed", "k", "framework", "source".
    """

    ROWS = (  # (label, key, better, format)
        ("classifier score", "classifier_score", "higher", "{:.3f} +- {:.3f}"),
        ("Frechet distance", "fd", "lower", "{:.4g}"),
        ("KID", "kid", "lower", "{:.4g} +- {:.2g}"),
        ("precision", "precision", "higher", "{:.3f}"),
        ("recall", "recall", "higher", "{:.3f}"),
        ("classes covered", "classes", "higher", "{}/10"),
        ("reverse KL of classes", "reverse_kl", "lower", "{:.4f}"),
        ("accuracy", "accuracy", "higher", "{:.2%}"),
        ("samples", "n", "", "{}"),
    )
    HEAD = ("metric", "model", "real-data reference", "better")

    def rows(self) -> list[list[str]]:
        """The table's body: one list of four cells per metric."""
        return [[label, _cell(self["model"].get(key), fmt), _cell(self["real"].get(key), fmt), better]
                for label, key, better, fmt in self.ROWS]

    def note(self) -> str:
        """What the numbers are measured against, in one sentence."""
        return (f"Scored with ganbook's MNIST classifier ({self['framework']}) against "
                f"{self['n_reference']:,} training digits; the real-data reference is "
                f"{self['n_real']:,} test digits scored the same way. Seed {self['seed']}, k={self['k']}.")

    def table(self) -> str:
        """A Markdown table, aligned so it reads as plain text too, and the note."""
        rows = self.rows()
        widths = [max(len(r[i]) for r in [self.HEAD, *rows]) for i in range(4)]

        def line(cells):
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

        rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(self.HEAD), rule, *map(line, rows)]) + "\n\n" + self.note()

    def __str__(self) -> str:
        return self.table()

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's plain-text view
        p.text(self.table())

    def _repr_html_(self) -> str:
        """An HTML table, for notebooks and the built book."""
        from html import escape

        def row(cells, tag):
            return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>"

        body = "".join(row(r, "td") for r in self.rows())
        return (f"<table><thead>{row(self.HEAD, 'th')}</thead><tbody>{body}</tbody></table>"
                f"<p>{escape(self.note())}</p>")


def _cell(value, fmt: str) -> str:
    if value is None:
        return "-"
    return fmt.format(*value) if isinstance(value, tuple) else fmt.format(value)


def _framework_of_model(obj) -> str | None:
    """"torch" or "tf" for a generator of either framework, None for anything else."""
    fw = framework_of(obj)
    if fw and not hasattr(obj, "latent_dim"):
        raise TypeError(
            f"source is a {type(obj).__name__} from {type(obj).__module__} but not a generator "
            "(no latent_dim); pass a generator, or samples as a NumPy array "
            "(N, 28, 28, 1) in [-1, 1] (convert with gb.to_shared(x.cpu().numpy()))")
    return fw


def default_framework() -> str:
    """The backend that scores NumPy samples: "torch" or "tf", whichever is already
    imported, else the first that imports; an ImportError if neither is installed."""
    for fw, module in (("torch", "torch"), ("tf", "tensorflow")):
        if module in sys.modules:
            return fw
    for fw, module in (("torch", "torch"), ("tf", "tensorflow")):
        try:
            importlib.import_module(module)
            return fw
        except ImportError:
            continue
    raise ImportError("evaluate needs PyTorch or TensorFlow to run the classifier; "
                      "install ganbook[torch] or ganbook[tf]")


def _choose_framework(source, framework: str | None) -> str:
    if framework is not None and framework not in BACKENDS:
        raise ValueError(f"framework must be one of {BACKENDS} or None, got {framework!r}")
    if isinstance(source, np.ndarray):
        return framework or default_framework()
    fw = _framework_of_model(source)
    if fw is None:
        raise TypeError(
            f"source must be a NumPy array of samples (N, 28, 28, 1) in [-1, 1] or a generator "
            f"(torch nn.Module or Keras Model), got {type(source).__name__}")
    if framework is not None and framework != fw:
        raise ValueError(f"source is a {fw} model but framework={framework!r}; "
                         f"pass framework={fw!r} or None")
    return fw


def book_classifier(framework: str):
    """The book's MNIST classifier in a backend ("torch" or "tf"), loaded once and kept:
    the model that `evaluate` and the Stacked MNIST scores classify with."""
    if ("model", framework) not in _CACHE:
        _CACHE["model", framework] = backend(framework).load_classifier()
    return _CACHE["model", framework]


def _reference(gb, fw: str, root, batch_size: int) -> dict:
    """Classifier features of the reference digits, cached per backend and data folder;
    "rows" caches the real-data reference row per (n, k)."""
    from ganbook.data import scale

    key = ("reference", fw, str(root or os.environ.get("GANBOOK_DATA") or "cache"))
    if key not in _CACHE:
        images, _ = spec.reference_digits(root)
        _, feats = gb.classify(book_classifier(fw), scale(images), batch_size)
        _CACHE[key] = {"feats": feats, "rows": {}}
    return _CACHE[key]


def _draw(gb, G, n: int, seed: int, batch_size: int):
    """n samples from G (conditional G: labels 0..9 cycling) and the labels asked for."""
    labels = cycling_labels(G, n)
    return gb.sample(G, n, labels=labels, seed=seed, batch_size=batch_size), labels


def _check_samples(x: np.ndarray, k: int) -> np.ndarray:
    x = spec.as_images(x, "samples")
    lo, hi = float(x.min(initial=0.0)), float(x.max(initial=0.0))
    if lo < -1.0 - 1e-4 or hi > 1.0 + 1e-4:
        raise ValueError(f"samples lie in [{lo:.3g}, {hi:.3g}], outside [-1, 1]; scale uint8 "
                         "digits with ganbook.data.scale (the generators' tanh range)")
    minimum = max(10, k + 1)  # classifier score: 10 splits; precision/recall: k-th neighbour
    if len(x) < minimum:
        raise ValueError(f"evaluate needs at least {minimum} samples, got {len(x)}; pass a larger n")
    return x


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64) - logits.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def _row(logits, feats, reference, seed: int, k: int, labels=None) -> dict:
    """Every metric of one sample set against the reference features."""
    from ganbook.eval import metrics

    probs = _softmax(logits)
    coverage = metrics.class_coverage(probs)
    precision, recall = metrics.precision_recall(reference, feats, k=k)
    return {
        "classifier_score": metrics.classifier_score(probs),
        "fd": metrics.frechet_distance(reference, feats),
        "kid": metrics.kid(reference / spec.FEATURE_SCALE, feats / spec.FEATURE_SCALE, seed=seed),
        "precision": precision, "recall": recall,
        "classes": coverage["classes"], "reverse_kl": coverage["reverse_kl"],
        "histogram": coverage["histogram"].tolist(),
        "accuracy": None if labels is None else float((logits.argmax(1) == labels).mean()),
        "n": len(feats),
    }


def _real_row(gb, fw: str, reference: dict, n: int, k: int, root, batch_size: int) -> dict:
    """The real-data reference: min(n, 10,000) test digits scored like samples (KID subsets:
    seed 0), computed once per (n, k)."""
    from ganbook.data import scale

    n = min(n, spec.N_REAL)
    if (n, k) not in reference["rows"]:
        images, labels = spec.real_digits(n, root)
        logits, feats = gb.classify(book_classifier(fw), scale(images), batch_size)
        reference["rows"][n, k] = _row(logits, feats, reference["feats"], 0, k, labels)
    return copy.deepcopy(reference["rows"][n, k])


def evaluate(source, n: int = 5000, seed: int = 0, framework: str | None = None, root=None,
             batch_size: int = 500, k: int = 3) -> Report:
    """Score a generator, or samples, against real MNIST digits, beside the real-data reference.

    Args:
        source: a generator (a torch nn.Module runs on the torch backend, a Keras
            model on the TF backend), or samples as a NumPy array in the shared
            layout, (N, 28, 28, 1), (N, 28, 28) or (N, 784), values in [-1, 1].
        n: how many samples to draw from a generator (a conditional one gets labels
            0..9 cycling); an array is used whole and n is ignored.
        seed: seeds the latent codes (`sample(G, n, seed=seed)`) and KID's subsets of the
            model row; the real-data reference row is fixed (seed 0), the same for every call.
        framework: "torch" or "tf" for an array (default: an imported backend, else
            the first installed); for a model it must match the model or be None.
        root: the local MNIST folder (default: $GANBOOK_DATA, else the download cache).
        batch_size: images per classifier (and generator) batch; memory stays bounded.
        k: the neighbourhood size of precision and recall.

    Returns a Report (a dict; print it for the table, or show it in a notebook):
    "model" and "real" (the real-data reference: as many test digits as samples, at
    most 10,000) rows with
    classifier_score (mean, std), fd, kid (mean, std), precision, recall, classes,
    reverse_kl, histogram, accuracy (test digits: against their labels; conditional
    generators: against the labels asked for; else None) and n.
    """
    for name, value in (("n", n), ("batch_size", batch_size), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    fw = _choose_framework(source, framework)
    gb = backend(fw)
    if isinstance(source, np.ndarray):
        samples, labels, what = source, None, "array"
    else:
        samples, labels = _draw(gb, source, int(n), seed, batch_size)
        what = type(source).__name__
    samples = _check_samples(samples, k)
    reference = _reference(gb, fw, root, batch_size)
    logits, feats = gb.classify(book_classifier(fw), samples, batch_size)
    ref = reference["feats"]
    real = _real_row(gb, fw, reference, len(samples), k, root, batch_size)
    return Report(
        model=_row(logits, feats, ref, seed, k, labels), real=real,
        n=len(samples), n_reference=len(ref), n_real=real["n"],
        seed=seed, k=k, framework=fw, source=what,
    )
