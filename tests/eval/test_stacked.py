"""Stacked MNIST: the stacked data, the mode histogram and its numbers, the channel
classifier, the registry entry and the report's table."""
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from ganbook.config import TrainConfig
from ganbook.data import registry
from ganbook.data.stacked import N_EVAL, N_MODES, N_TRAIN, digits_to_modes, stack_digits
from ganbook.eval.metrics import kl_from_uniform
from ganbook.eval.stacked import (classify_channels, histogram_scores, mode_histogram, modes_covered, score_modes,
                                  stacked_modes)
from ganbook.nets.options import model_arguments

ROOT = Path(__file__).resolve().parents[2]


def numbered_digits(n=200):
    """n uint8 'digits', digit k filled with the value k, labelled k % 10."""
    images = np.repeat(np.arange(n, dtype=np.uint8), 28 * 28).reshape(n, 28, 28)
    return images, np.arange(n) % 10


# ---- the data ----------------------------------------------------------------------------
def test_stacking_puts_digit_i_in_channel_i_and_its_label_in_the_mode():
    images, labels = numbered_digits()
    stacked, modes = stack_digits(images, labels, 500, seed=3)
    assert stacked.shape == (500, 28, 28, 3) and stacked.dtype == np.uint8
    assert modes.shape == (500,) and modes.dtype == np.int64
    idx = stacked[:, 0, 0, :].astype(int)  # which digit went into each channel
    assert (stacked == stacked[:, :1, :1, :]).all()  # each channel is one whole digit
    np.testing.assert_array_equal(modes, 100 * labels[idx[:, 0]] + 10 * labels[idx[:, 1]] + labels[idx[:, 2]])
    assert len(np.unique(idx)) > 190  # drawn from the whole set, with replacement


def test_stacking_is_deterministic_and_leaves_the_global_random_state_alone():
    images, labels = numbered_digits()
    state = np.random.get_state()
    a, modes_a = stack_digits(images, labels, 100, seed=7)
    assert all(np.array_equal(x, y) for x, y in zip(state, np.random.get_state()))
    b, modes_b = stack_digits(images, labels, 100, seed=7)
    c, _ = stack_digits(images, labels, 100, seed=8)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(modes_a, modes_b)
    assert not np.array_equal(a, c)


def test_the_mode_of_a_triple():
    np.testing.assert_array_equal(digits_to_modes([[1, 2, 3], [9, 9, 9], [0, 0, 7], [5, 0, 0]]), [123, 999, 7, 500])


@pytest.mark.parametrize("call, match", [
    (lambda im, lb: stack_digits(im, lb, 0, seed=0), "n must be a positive integer"),
    (lambda im, lb: stack_digits(im, lb, 2.5, seed=0), "n must be a positive integer"),
    (lambda im, lb: stack_digits(im[..., None], lb, 5, seed=0), r"uint8 digits \(N, 28, 28\)"),
    (lambda im, lb: stack_digits(im.astype(np.float32), lb, 5, seed=0), r"uint8 digits \(N, 28, 28\)"),
    (lambda im, lb: stack_digits(im, lb[:-1], 5, seed=0), "labels must be integers of shape"),
    (lambda im, lb: stack_digits(im, lb + 1, 5, seed=0), "labels must be digits 0..9"),
    (lambda im, lb: stack_digits(im[:0], lb[:0], 5, seed=0), "no digits to stack"),
    (lambda im, lb: digits_to_modes([[1, 2]]), r"shape \(n, 3\)"),
    (lambda im, lb: digits_to_modes([[1, 2, 10]]), "digits must lie in 0..9"),
    (lambda im, lb: mode_histogram([3, 1000]), r"modes must lie in \[0, 1000\)"),
    (lambda im, lb: mode_histogram([1.5]), "modes must be integers"),
    (lambda im, lb: modes_covered(np.ones(10)), r"histogram must have shape \(1000,\)"),
    (lambda im, lb: histogram_scores(np.zeros(1000)), "at least one sample"),
    (lambda im, lb: histogram_scores(-np.ones(1000)), "counts >= 0"),
    (lambda im, lb: histogram_scores(np.full(1000, 0.5)), "whole-number counts"),
])
def test_bad_input_is_refused_with_a_clear_error(call, match):
    images, labels = numbered_digits(20)
    with pytest.raises(ValueError, match=match):
        call(images, labels)


# ---- the histogram and its numbers -------------------------------------------------------
def test_histogram_modes_and_kl_against_hand_computed_values():
    every_mode_once = mode_histogram(np.arange(N_MODES))
    assert every_mode_once.shape == (1000,) and every_mode_once.sum() == 1000
    assert modes_covered(every_mode_once) == 1000 and kl_from_uniform(every_mode_once) == pytest.approx(0, abs=1e-12)
    one_mode = mode_histogram(np.full(26, 417))
    assert one_mode[417] == 26 and modes_covered(one_mode) == 1
    assert kl_from_uniform(one_mode) == pytest.approx(math.log(1000))
    half = mode_histogram(np.repeat(np.arange(0, 1000, 2), 3))  # 500 modes, 3 samples each
    assert modes_covered(half) == 500 and kl_from_uniform(half) == pytest.approx(math.log(2))
    # q = (3/4, 1/4) on two modes: 3/4 log(750) + 1/4 log(250)
    two = mode_histogram(np.array([5, 5, 5, 900]))
    assert kl_from_uniform(two) == pytest.approx(0.75 * math.log(750) + 0.25 * math.log(250))
    assert histogram_scores(two) == {"modes": 2, "kl": kl_from_uniform(two)}
    assert score_modes(np.array([5, 5, 5, 900])) == {"modes": 2, "kl": kl_from_uniform(two),
                                                     "histogram": two.tolist(), "n": 4}


# ---- the channel classifier --------------------------------------------------------------
def encoded(digits):
    """Samples (n, 28, 28, 3) whose channel c is filled with digits[:, c] / 10 (in [-1, 1])."""
    return np.broadcast_to((digits / 10.0)[:, None, None, :], (len(digits), 28, 28, 3)).astype(np.float32)


def test_classify_channels_reads_each_channel_in_batches():
    digits = np.random.default_rng(0).integers(0, 10, (53, 3))
    shapes = []

    def predict(images):  # the digit a channel encodes
        shapes.append(images.shape)
        return np.rint(images[:, 0, 0, 0] * 10).astype(int)

    modes = classify_channels(encoded(digits), predict, batch_size=10)
    np.testing.assert_array_equal(modes, digits_to_modes(digits))
    assert shapes[0] == (30, 28, 28, 1) and len(shapes) == 6 and shapes[-1] == (9, 28, 28, 1)


@pytest.mark.parametrize("samples, match", [
    (np.zeros((4, 28, 28, 1), np.float32), r"\(N, 28, 28, 3\)"),
    (np.zeros((0, 28, 28, 3), np.float32), r"\(N, 28, 28, 3\)"),
    (np.full((4, 28, 28, 3), 2.0, np.float32), r"outside \[-1, 1\]"),
    (np.zeros((4, 28, 28, 3), np.uint8), "uint8 pixels"),
    (np.full((4, 28, 28, 3), np.nan, np.float32), "NaN"),
])
def test_classify_channels_refuses_what_is_not_stacked_samples(samples, match):
    with pytest.raises(ValueError, match=match):
        classify_channels(samples, lambda images: np.zeros(len(images), int))


def test_the_real_classifier_reads_stacked_test_digits(data_root):
    """The book's classifier, in the first backend installed, on 2,000 stacked test digits."""
    from ganbook.data import load_mnist, scale

    images, labels = load_mnist("test", root=data_root)
    stacked, true_modes = stack_digits(images, labels, 2000, seed=0)
    modes = stacked_modes(scale(stacked), batch_size=500)
    assert (modes == true_modes).mean() >= 0.97


# ---- the registry ------------------------------------------------------------------------
def test_the_registry_entry(data_root, monkeypatch):
    spec = registry.get_dataset("stacked_mnist")
    assert (spec.shape, spec.bounded, spec.n_classes, spec.evaluator) == ((28, 28, 3), True, 1000, None)
    assert N_TRAIN == 128_000 and N_EVAL == 26_000
    x, y = spec.load("test", data_root, 0)
    assert x.shape == (N_EVAL, 28, 28, 3) and x.dtype == np.float32 and y.shape == (N_EVAL,)
    assert x.min() == -1.0 and x.max() == 1.0 and 0 <= y.min() and y.max() < 1000
    x2, y2 = spec.load("test", data_root, 0)
    np.testing.assert_array_equal(y, y2)
    monkeypatch.setattr(registry, "N_TRAIN", 300)  # the train split, made small
    x, y = registry.training_data(TrainConfig(dataset="stacked_mnist", seed=1), root=data_root)
    assert x.shape == (300, 28, 28, 3) and len(np.unique(y)) > 200


def test_the_dcgan_takes_three_channels():
    args = model_arguments(TrainConfig(dataset="stacked_mnist", pack=2))
    assert args.g_kwargs["channels"] == 3 and args.d_kwargs["channels"] == 6


# ---- the report's table ------------------------------------------------------------------
def _report():
    spec = importlib.util.spec_from_file_location("report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_record() -> dict:
    """Two recipes: ns with one even and one collapsed run, pack2 with one run; the stored
    summaries ('modes', 'kl') are wrong on purpose: the table must recompute them."""
    def run(recipe, seed, modes):
        return {"recipe": recipe, "seed": seed, "steps": 3, "train_s": 10.0 + seed * 10, "modes": 7, "kl": 9.9,
                "histogram": mode_histogram(np.asarray(modes)).tolist(), "n": len(modes)}

    base = {**TrainConfig(dataset="stacked_mnist", steps=3).to_dict(), "seed": None}
    return {
        "command": "python experiments/stacked_mnist.py --framework torch", "date": "2026-01-02",
        "versions": {"python": "3.11"}, "hardware": {"machine": "x86_64"}, "complete": True,
        "framework": "torch", "threads": 1, "n_samples": 1000, "eval_seed": 12345, "data": "stacked digits",
        "configs": {"ns": base, "pack2": {**base, "pack": 2}},
        "real_floor": {"n": 1000, "modes": 1, "kl": 5.0, "mode_accuracy": 0.98, "data": "1,000 stacked test digits",
                       "histogram": mode_histogram(np.arange(1000)).tolist()},
        "runs": [run("ns", 0, np.arange(1000)), run("ns", 1, np.full(5, 3)), run("pack2", 0, np.arange(0, 1000, 2))],
    }


def test_the_table_recomputes_from_the_histograms():
    report = _report()
    text = report.stacked_mnist_table(synthetic_record())
    lines = text.splitlines()
    assert "| ganbook: ns | 3 | 2 | 500.5 ± 499.5 | 3.454 ± 3.454 | 15 |" in lines
    assert "| ganbook: pack2 | 3 | 1 | 500.0 ± 0.0 | 0.693 ± 0.000 | 10 |" in lines
    assert "| published: DCGAN (Lin et al. 2018, Table 3) | - | - | 99 | 3.40 | - |" in lines
    assert "| published: PacDCGAN2 (Lin et al. 2018, Table 3) | - | - | 1000 | 0.06 | - |" in lines
    assert "| real-data floor: 1,000 stacked test digits | - | - | 1000 | 0.000 | - |" in lines
    assert "pack2: pack=2" in text and "Command: `python " in text and "measured 2026-01-02" in text
    assert "nan" not in text and "7.0 ± 0.0" not in text
    assert "Incomplete: ns, pack2 have fewer than the protocol's 3 seeds so far." in text
    full = synthetic_record()
    full["runs"] = [{**r, "seed": seed} for r in full["runs"][:1] + full["runs"][2:] for seed in range(3)]
    assert "Incomplete" not in report.stacked_mnist_table(full)
    assert "stopped before" in report.stacked_mnist_table({**full, "complete": False})


def test_the_shared_results_file_refuses_another_recipe(tmp_path):
    spec = importlib.util.spec_from_file_location("results_file", ROOT / "experiments" / "results_file.py")
    results_file = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(results_file)
    path = tmp_path / "r.json"
    path.write_text('{"framework": "tf", "n_eval": 10, "config": {"a": 1}, "runs": [{"seed": 0}]}')
    assert results_file.read_results(str(path), {"framework": "tf", "n_eval": 10, "config": {"a": 1}})["runs"]
    assert results_file.read_results(str(tmp_path / "none.json"), {"framework": "tf"}) is None
    with pytest.raises(SystemExit, match=r"another recipe \(framework, n_eval or config differ\)"):
        results_file.read_results(str(path), {"framework": "torch", "n_eval": 10, "config": {"a": 1}})
