"""ganbook: the companion package of the GAN book.

`import ganbook` loads only NumPy-based code. The two backends mirror each
other name for name and are imported explicitly:

    import ganbook.torch as gb   # PyTorch
    import ganbook.tf as gb      # TensorFlow
"""
from ganbook import data
from ganbook.evaluation import evaluate
from ganbook.project import REPO_URL
from ganbook.seed import seed_everything

__version__ = "0.1.0"
__all__ = ["data", "evaluate", "REPO_URL", "seed_everything", "__version__"]
