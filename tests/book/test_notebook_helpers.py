"""ganbook.book.notebook (run settings), ganbook.data.registry.training_digits and ganbook.book.provenance."""
import json

import numpy as np
import pytest

from ganbook.book import provenance
from ganbook.data.mnist import load_mnist
from ganbook.data import MnistNotFoundError
from ganbook.data import mnist as mnist_mod
from ganbook.data.registry import training_digits
from ganbook.book.notebook import parameters, run_summary, save_results
from ganbook.eval.evaluation import Report

FULL = {"steps": 1000, "batch_size": 256}


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("GANBOOK_QUICK", "GANBOOK_PARAMS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_parameters_full_quick_and_overrides(clean_env):
    assert vars(parameters(FULL, {"steps": 10})) == {"QUICK": False, "steps": 1000, "batch_size": 256}
    clean_env.setenv("GANBOOK_QUICK", "1")
    assert vars(parameters(FULL, {"steps": 10})) == {"QUICK": True, "steps": 10, "batch_size": 256}
    clean_env.setenv("GANBOOK_PARAMS", '{"steps": 3000}')
    assert parameters(FULL, {"steps": 10}).steps == 3000  # the override wins in either mode
    clean_env.delenv("GANBOOK_QUICK")
    assert vars(parameters(FULL, {"steps": 10})) == {"QUICK": False, "steps": 3000, "batch_size": 256}


def test_run_summary_names_the_mode_and_the_overrides(clean_env):
    assert "full run, python" in run_summary("ring", 5, "cpu", 1.0)
    clean_env.setenv("GANBOOK_PARAMS", '{"steps": 3000}')
    line = run_summary("ring", 3000, "cpu", 12.34)
    assert line.startswith("ring, 3000 steps, cpu, 12.3 s, full run with GANBOOK_PARAMS={\"steps\": 3000}")


def _report():
    model = {"classifier_score": (9.1, 0.1), "fd": 20.0, "classes": 10, "n": 100}
    real = {"classifier_score": (9.8, 0.04), "fd": 6.0, "classes": 10, "accuracy": 0.99}
    return Report(model=model, real=real, n=100, n_reference=10000, n_real=100, seed=0, k=5,
                  framework="torch", source="test")


def test_save_results_writes_the_default_run_only(clean_env, tmp_path):
    path = tmp_path / "results" / "torch.json"
    assert save_results(path, _report(), "mnist, 5 steps", {"steps": 5}) == path
    saved = json.loads(path.read_text())
    assert saved["summary"] == "mnist, 5 steps" and saved["settings"] == {"steps": 5}
    assert ["classifier score", "9.100 +- 0.100", "9.800 +- 0.040", "higher"] in saved["report"]["rows"]
    assert "python" in saved["versions"] and "100 test digits" in saved["report"]["note"]
    path.unlink()
    clean_env.setenv("GANBOOK_PARAMS", '{"steps": 3000}')
    assert save_results(path, _report(), "x", {}) is None
    clean_env.delenv("GANBOOK_PARAMS")
    clean_env.setenv("GANBOOK_QUICK", "1")
    assert save_results(path, _report(), "x", {}) is None and not path.exists()


@pytest.mark.parametrize("quick, params, match", [
    ({"stpes": 10}, None, r"quick parameters \['stpes'\] are not parameters of this notebook"),
    ({}, '{"lr": 1}', r"GANBOOK_PARAMS \['lr'\] are not parameters .* \['batch_size', 'steps'\]"),
    ({}, "steps=3000", "GANBOOK_PARAMS is not valid JSON"),
    ({}, "[3000]", "GANBOOK_PARAMS must be a JSON object"),
])
def test_parameters_bad_input(clean_env, quick, params, match):
    if params is not None:
        clean_env.setenv("GANBOOK_PARAMS", params)
    with pytest.raises(ValueError, match=match):
        parameters(FULL, quick)


def test_training_digits_are_the_training_split(data_root):
    images, labels, name = training_digits(data_root)
    assert images.shape == (60_000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert name == "MNIST training split (60,000 digits)"
    test = {x.tobytes() for x in load_mnist("test", root=data_root)[0][:2000]}
    assert sum(x.tobytes() in test for x in images[:20_000]) < 5  # MNIST has a few duplicates across splits


def test_training_digits_never_fall_back_to_test_digits(tmp_path, monkeypatch):
    monkeypatch.delenv("GANBOOK_DATA", raising=False)
    monkeypatch.setenv("GANBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist_mod, "MIRRORS", ["http://127.0.0.1:9/"])
    with pytest.raises(MnistNotFoundError, match="'train' split"):
        training_digits()


def test_training_digits_empty_folder_names_what_is_missing(tmp_path):
    with pytest.raises(MnistNotFoundError, match="train-images-idx3-ubyte.gz"):
        training_digits(tmp_path)


def test_provenance_record_and_atomic_json(tmp_path):
    record = provenance.record()
    assert set(record) == {"command", "date", "versions", "hardware"}
    assert record["versions"]["ganbook"] and record["versions"]["python"]
    path = provenance.write_json_atomic(tmp_path / "sub" / "r.json", {**record, "x": np.float32(0.5)})
    assert json.loads(path.read_text())["x"] == 0.5
    with pytest.raises(TypeError):
        provenance.write_json_atomic(path, {"bad": object()})
    assert json.loads(path.read_text())["x"] == 0.5  # the old file is intact
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]  # no temporary file left
