"""ganbook: the companion package of the GAN book.

`import ganbook` loads only NumPy-based code. The two backends mirror each
other name for name:

    import ganbook.torch as gb   # PyTorch
    import ganbook.tf as gb      # TensorFlow
    gb = ganbook.backend("tf")   # the same, by name (quiets TensorFlow's C++ log)

The package is grouped by concern:

    data/     arrays, MNIST, toy mixtures, and the registry of data sets
    nets/     the book's models: typed options, constructor arguments
    train/    the training loop both backends share, checkpoints, history
    eval/     metrics on arrays, the MNIST evaluator, evaluate()
    plot/     figures on arrays
    studies/  the book's studies (classifier data, super-resolution, critic, recipes, theory)
    book/     helpers for the notebooks and result files
    torch/ tf/  the two backends, mirrored file for file

The modules the notebooks use most are also reachable by short names:
`from ganbook import evaluate, latent, metrics, plot, recipes`.
"""
from __future__ import annotations

import importlib

from ganbook import data
from ganbook.backend import backend
from ganbook.eval.evaluation import evaluate
from ganbook.seed import seed_everything

__version__ = "0.1.0"

# Short names for modules that live in a subpackage, imported on first use so that
# `import ganbook` stays light (metrics needs SciPy, plot matplotlib).
_SHORT_NAMES = {
    "metrics": "ganbook.eval.metrics",
    "classifier": "ganbook.eval.classifier",
    "recipes": "ganbook.studies.recipes",
    "augmentation": "ganbook.studies.augmentation",
    "superres": "ganbook.studies.superres",
    "theory": "ganbook.studies.theory",
    "notebook": "ganbook.book.notebook",
    "provenance": "ganbook.book.provenance",
}


def __getattr__(name: str):
    if name in _SHORT_NAMES:
        module = importlib.import_module(_SHORT_NAMES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'ganbook' has no attribute {name!r}")


__all__ = ["backend", "data", "evaluate", "seed_everything", "__version__", *_SHORT_NAMES]
