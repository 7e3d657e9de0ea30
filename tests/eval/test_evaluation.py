"""ganbook.evaluate: test digits score like the reference, noise does not; generators of both backends."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ganbook.eval import classifier as spec
from ganbook import evaluate
from ganbook.cli import main
from ganbook.data import scale
from ganbook.data.mnist import load_mnist
from ganbook.eval.evaluation import Report
from tests.helpers.backends import backend, each_backend
from tests.conftest import offline_data
from tests.test_packaging import BLOCK_FRAMEWORKS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def root():
    return offline_data()


@pytest.fixture(scope="module")
def real_report(root):
    """1,000 training digits outside the reference, scored as if they were samples
    (about 10 s: the tests that use it are marked slow)."""
    images, _ = load_mnist("train", root=root)
    reference = {x.tobytes() for x in spec.reference_digits(root)[0]}
    others = [i for i in np.random.default_rng(0).permutation(len(images))[:3000]
              if images[i].tobytes() not in reference][:1000]
    return evaluate(scale(images[others]), seed=0, framework="torch", root=root)


@pytest.mark.slow
def test_real_digits_score_like_the_real_data_reference(real_report):
    model, real = real_report["model"], real_report["real"]
    assert real["classifier_score"][0] > 9.1 and real["accuracy"] > 0.985  # 9.26 and 99.2% measured
    assert abs(model["classifier_score"][0] - real["classifier_score"][0]) < 0.4
    assert model["classes"] == real["classes"] == 10
    assert model["precision"] > 0.75 and model["recall"] > 0.75
    assert model["fd"] < 2 * real["fd"]
    assert real_report["n"] == model["n"] == 1000 and real_report["n_reference"] == spec.N_REFERENCE
    assert real_report["n_real"] == real["n"] == 1000  # at the model's n


@pytest.mark.slow
def test_the_real_data_reference_is_scored_at_the_models_n(root):
    noise = np.random.default_rng(2).uniform(-1, 1, (40, 784)).astype(np.float32)
    small = evaluate(noise[:20], framework="torch", root=root)
    large = evaluate(noise, framework="torch", root=root)
    assert small["n_real"] == 20 and large["n_real"] == 40
    assert small["real"]["fd"] > large["real"]["fd"]  # FD's small-sample bias, now on both rows


@pytest.mark.slow
def test_noise_scores_low(real_report, root):
    noise = np.random.default_rng(1).uniform(-1, 1, (300, 784)).astype(np.float32)
    report = evaluate(noise, framework="torch", root=root)
    model = report["model"]
    assert model["classifier_score"][0] < 2 and model["classes"] <= 3
    assert model["fd"] > 50 * real_report["model"]["fd"]
    # 0.20 measured: a few faint reference digits have wide k-NN balls that take in
    # featureless images (the outlier weakness of precision, Naeem et al. 2020)
    assert model["precision"] < 0.3 and model["recall"] < 0.05
    assert model["kid"][0] > 100 * abs(real_report["real"]["kid"][0])


@pytest.mark.slow
def test_report_table(real_report):
    table = real_report.table()
    assert isinstance(real_report, dict) and str(real_report) == table
    lines = table.splitlines()
    assert lines[0].startswith("| metric") and "| model" in lines[0] and "real-data reference" in lines[0]
    assert "ceiling" not in table
    assert len({len(line) for line in lines[:11]}) == 1  # aligned
    for label, *_ in Report.ROWS:
        assert any(line.startswith(f"| {label} ") for line in lines)
    assert "against 10,000 training digits" in table and "1,000 test digits" in table
    assert "Seed 0" in table


@pytest.mark.slow
def test_report_shows_as_an_html_table(real_report):
    html = real_report._repr_html_()
    assert html.startswith("<table><thead><tr><th>metric</th>") and "| metric" not in html
    assert html.count("<tr>") == len(Report.ROWS) + 1
    assert "<td>classes covered</td><td>10/10</td>" in html
    assert not hasattr(real_report, "_repr_markdown_")  # text/markdown tables show as raw text in the book


@pytest.mark.slow  # the first evaluate() in a process embeds the reference digits (~10 s)
@each_backend
def test_generators_of_both_backends(fw, root):
    gb = backend(fw)
    report = evaluate(gb.DCGANGenerator(), n=40, seed=3, root=root, batch_size=16)
    assert report["framework"] == fw and report["source"] == "DCGANGenerator"
    assert report["n"] == report["model"]["n"] == 40 and report["seed"] == 3
    assert report["model"]["accuracy"] is None
    assert "| samples " in report.table()


@pytest.mark.slow
def test_conditional_generator_gets_cycling_labels(root):
    gb = backend("torch")
    G = gb.ConditionalGenerator()
    report = evaluate(G, n=30, root=root)
    logits, _ = gb.classify(gb.load_classifier(), gb.sample(G, 30, labels=np.arange(30) % 10))
    assert report["model"]["accuracy"] == pytest.approx((logits.argmax(1) == np.arange(30) % 10).mean())


@pytest.mark.parametrize("source, kwargs, error, message", [
    (np.zeros((20, 28, 28), np.uint8), {}, ValueError, "uint8 pixels; scale them"),
    (np.full((20, 784), 2.0, np.float32), {}, ValueError, r"outside \[-1, 1\]; scale uint8"),
    (np.zeros((20, 32, 32, 1), np.float32), {}, ValueError, r"shape \(20, 32, 32, 1\)"),
    (np.zeros((5, 784), np.float32), {}, ValueError, "at least 10 samples, got 5"),
    (np.zeros((20, 784), np.float32), {"framework": "jax"}, ValueError, "framework must be one of"),
    (np.zeros((20, 784), np.float32), {"n": 0}, ValueError, "n must be a positive integer, got 0"),
    ([[0.0] * 784] * 20, {}, TypeError, "source must be a NumPy array of samples"),
])
def test_bad_input(source, kwargs, error, message, root):
    with pytest.raises(error, match=message):
        evaluate(source, root=root, **kwargs)


def test_model_of_the_wrong_kind(root):
    gt = backend("torch")
    with pytest.raises(ValueError, match="source is a torch model but framework='tf'"):
        evaluate(gt.DCGANGenerator(), framework="tf", root=root)
    with pytest.raises(TypeError, match="not a generator"):
        evaluate(gt.DCGANDiscriminator(), root=root)


def test_cli_missing_checkpoint_exits_1(tmp_path, capsys):
    assert main(["evaluate", "--checkpoint", str(tmp_path)]) == 1
    assert "no ganbook checkpoint at" in capsys.readouterr().err


def test_cli_refuses_a_toy_checkpoint(tmp_path, capsys):
    from ganbook.config import TrainConfig
    config = TrainConfig(model="toy", dataset="ring", latent_dim=2, steps=1)
    backend("torch").Trainer(config, out_dir=tmp_path).save()
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "--checkpoint", str(tmp_path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "holds a generator for the data set 'ring', which has no evaluator; evaluate scores ['mnist']" in err


@pytest.mark.slow
def test_cli_evaluates_a_torch_checkpoint_without_tensorflow(tmp_path, root):
    """A torch checkpoint is scored end to end, and TensorFlow is never imported."""
    from ganbook.config import TrainConfig
    backend("torch").Trainer(TrainConfig(model="mlp", dataset="mnist", steps=1), out_dir=tmp_path).save()
    code = BLOCK_FRAMEWORKS.replace("('torch', 'tensorflow', 'keras')", "('tensorflow', 'keras')") + f"""
from ganbook.cli import main
code = main(["evaluate", "--checkpoint", {str(tmp_path)!r}, "--n", "20", "--seed", "4",
             "--data-root", {str(root)!r}])
assert not [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]
sys.exit(code)
"""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=False, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ganbook evaluate: 20 samples from" in out.stdout
    assert "| classifier score " in out.stdout and "20 test digits scored the same way" in out.stdout
    assert "Seed 4" in out.stdout
