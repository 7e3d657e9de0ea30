"""ganbook.studies.augmentation: the labelled subset and one (tiny) repetition of the study."""
import numpy as np
import pytest

from ganbook.studies import augmentation
from ganbook.data.mnist import load_mnist
from ganbook.data import scale
from tests.helpers.backends import backend


def test_labelled_subset_draws_per_class_without_replacement():
    labels = np.repeat(np.arange(10), 5)
    images = np.arange(50, dtype=np.uint8)[:, None, None] * np.ones((1, 28, 28), np.uint8)
    x, y = augmentation.labelled_subset(images, labels, 3, seed=0)
    assert x.shape == (30, 784) and y.tolist() == np.repeat(np.arange(10), 3).tolist()
    picked = np.rint((x[:, 0] + 1) * 127.5).astype(int)  # which image each row came from
    assert len(set(picked)) == 30 and all(labels[p] == c for p, c in zip(picked, y))
    with pytest.raises(ValueError, match="class 0 has only 5 digits"):
        augmentation.labelled_subset(images, labels, 6, seed=0)


@pytest.mark.slow
def test_one_seed_reports_paired_accuracies(data_root):
    images, labels = load_mnist("train", root=data_root)
    test_images, test_y = load_mnist("test", root=data_root)
    run = augmentation.one_seed(backend("torch"), images, labels, scale(test_images[:300])[..., None],
                                test_y[:300], seed=0, per_class=5, fake_per_class=3, gan_steps=5, clf_steps=5)
    assert {"real_only", "augmented", "label_fidelity", "generated"} <= set(run)
    assert run["generated"].shape == (30, 784)
    assert all(0 <= run[k] <= 1 for k in ("real_only", "augmented", "label_fidelity"))
    s = augmentation.summary([run, {**run, "augmented": run["augmented"] + 0.1}])
    d = run["augmented"] - run["real_only"]
    assert s["difference"]["mean"] == pytest.approx(d + 0.05) and s["difference"]["se"] == pytest.approx(0.05)
