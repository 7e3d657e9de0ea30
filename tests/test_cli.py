"""The `ganbook` command line: flags made from TrainConfig, --config/--recipe and their
precedence, train/sample, one run per folder, and surviving SIGKILL."""
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganbook.cli import build_parser, main, train_config
from ganbook.config import TrainConfig
from ganbook.nets.options import MODELS, DCGANOptions, ToyOptions
from ganbook.studies.recipes import TOY, recipe_config
from ganbook.train.runlock import HOLDER_NAME
from tests.helpers.backends import each_backend

ROOT = Path(__file__).resolve().parents[1]
# One thread: the toy networks gain nothing from more, and a shared machine's other jobs stay fast.
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "OMP_NUM_THREADS": "1"}
TRAIN = ["train", "--framework", "torch", "--out", "x"]


def _run(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "ganbook.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=ENV, timeout=timeout)


def _start(args, log: Path) -> subprocess.Popen:
    """`ganbook ...` in the background, its stdout and stderr into `log`."""
    with open(log, "w") as fh:
        return subprocess.Popen([sys.executable, "-m", "ganbook.cli", *args], cwd=ROOT, env=ENV,
                                stdout=fh, stderr=subprocess.STDOUT)


def _wait_for(path: Path, proc: subprocess.Popen, log: Path, cap: float = 1800) -> None:
    """Poll until `path` exists; fail with the process's output if it ends first.
    The cap is a safety net against a hung process, not a time the test expects."""
    start = time.time()
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (status {proc.returncode}) before {path.name} appeared:\n"
                        + log.read_text())
        if time.time() - start > cap:
            proc.kill()
            pytest.fail(f"no {path.name} after {cap:.0f} s; the run's output:\n" + log.read_text())
        time.sleep(0.05)


def _config(*args) -> TrainConfig:
    return train_config(build_parser().parse_args([*TRAIN, *args]))


@pytest.mark.parametrize("args, message", [
    (["evaluate", "--checkpoint", "x", "--n", "0"], "argument --n: must be a positive integer, got 0"),
    (["evaluate", "--checkpoint", "x", "--seed", "-1"], "argument --seed: must be a non-negative integer"),
    (["evaluate", "--n", "10"], "the following arguments are required: --checkpoint"),
    (["train", "--framework", "jax", "--steps", "5", "--out", "x"], "argument --framework: invalid choice: 'jax'"),
    (["train", "--framework", "torch", "--steps", "5"], "the following arguments are required: --out"),
    ([*TRAIN, "--steps", "0"], "TrainConfig: steps must be a positive integer, got 0"),
    ([*TRAIN, "--steps", "five"], "argument --steps: invalid int value: 'five'"),
    ([*TRAIN, "--lr-g", "0"], "TrainConfig: lr_g must be > 0, got 0.0"),
    ([*TRAIN, "--lr-d", "0", "--lr-g", "1e-3"], "TrainConfig: lr_d must be > 0, got 0.0"),
    ([*TRAIN, "--loss", "l1"], "argument --loss: invalid choice: 'l1'"),
    ([*TRAIN, "--betas", "0.5"], "argument --betas: expected 2 arguments"),
    ([*TRAIN, "--dataset", "ring", "--model", "dcgan"],
     "model 'dcgan' is for images; data set 'ring' holds points of shape (2,): use model 'toy'"),
    ([*TRAIN, "--model", "mlp", "--augment", "translation"],
     "augment='translation' moves images; model 'mlp' takes them flattened"),
    ([*TRAIN, "--model", "dcgan", "--g-hidden", "64", "64"],
     "--g-hidden: not an option of model 'dcgan'; its options: --dropout --spectral-norm --widths "
     "--dense --batchnorm --n-classes --g-widths"),
    ([*TRAIN, "--dataset", "ring", "--n-classes", "10"],
     "--n-classes: not an option of model 'toy'; its options: --g-hidden --d-hidden --spectral-norm"),
    ([*TRAIN, "--n-classes", "-1"], "n_classes must be an integer >= 0"),
    ([*TRAIN, "--model-kwargs", '{"n_classes": 10}'], "unrecognized arguments: --model-kwargs"),
    ([*TRAIN, "--recipe", "best"], "argument --recipe: invalid choice: 'best'"),
    ([*TRAIN, "--config", "no/such/file.toml"], "--config no/such/file.toml: No such file or directory"),
    (["sample", "--checkpoint", "x", "--out", "grid.jpg"], "--out must name a .png file, got grid.jpg"),
])
def test_bad_arguments_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_every_config_field_and_model_option_has_a_flag(capsys):
    """Fails when a TrainConfig field or a model option is added without a flag."""
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    usage = capsys.readouterr().out
    names = [f.name for f in dataclasses.fields(TrainConfig)]
    names += [f.name for cls in MODELS.values() for f in dataclasses.fields(cls)]
    missing = [n for n in names if f"--{n.replace('_', '-')} " not in usage]
    assert not missing, f"no ganbook train flag for {missing}"


def test_flags_reach_the_config():
    config = _config("--r1-weight", "1", "--clip-value", "0.01", "--betas", "0", "0.9", "--sample-every", "10",
                     "--n-samples", "16", "--keep-checkpoints", "0", "--log-every", "5", "--no-progress",
                     "--lr-decay", "linear", "--sync-batchnorm", "--seed", "0", "--latent-dim", "8")
    assert (config.r1_weight, config.clip_value, config.betas) == (1.0, 0.01, (0.0, 0.9))
    assert (config.sample_every, config.n_samples, config.keep_checkpoints) == (10, 16, 0)
    assert (config.log_every, config.progress, config.lr_decay) == (5, False, "linear")
    assert (config.sync_batchnorm, config.seed, config.latent_dim) == (True, 0, 8)
    assert config.model == DCGANOptions()  # TrainConfig's default model
    model = _config("--dense", "1024", "--batchnorm", "--n-classes", "10", "--dropout", "0",
                    "--widths", "32", "64", "--g-widths", "64", "32", "16").model
    assert model == DCGANOptions(dense=1024, batchnorm=True, n_classes=10, dropout=0.0, widths=(32, 64),
                                 g_widths=(64, 32, 16))
    toy = _config("--model", "toy", "--dataset", "grid", "--g-hidden", "400", "400", "400", "--spectral-norm").model
    assert toy == ToyOptions(g_hidden=(400, 400, 400), spectral_norm=True)


def test_no_flags_means_trainconfig_defaults_and_points_mean_the_toy_model():
    assert _config() == TrainConfig()
    assert _config("--dataset", "ring") == TrainConfig(**{**TOY, "dataset": "ring"})
    # A model named on the command line: no TOY, TrainConfig's defaults.
    assert _config("--dataset", "ring", "--model", "toy") == TrainConfig(model="toy", dataset="ring")


def test_none_unsets_a_recipe_value():
    assert recipe_config("recommended", "ring", 0).lr_decay == "linear"
    assert _config("--recipe", "recommended", "--dataset", "ring", "--lr-decay", "none").lr_decay is None


def test_recipe():
    config = _config("--recipe", "pacgan", "--dataset", "grid")
    assert config == recipe_config("pacgan", "grid", 0)
    assert (config.pack, config.batch_size, config.model.g_hidden) == (4, 400, (400,) * 4)


CONFIG_FILE = """
lr_g = 2e-4
lr_d = 2e-4
batch_size = 64
ema = 0.999
betas = [0.0, 0.9]

[model]
name = "dcgan"
dense = 1024
batchnorm = true
dropout = 0
n_classes = 10
"""


def test_config_file_with_a_model_table(tmp_path):
    (tmp_path / "run.toml").write_text(CONFIG_FILE)
    config = _config("--config", str(tmp_path / "run.toml"))
    assert config == TrainConfig(model=DCGANOptions(dense=1024, batchnorm=True, dropout=0.0, n_classes=10),
                                 lr_g=2e-4, lr_d=2e-4, batch_size=64, ema=0.999, betas=(0.0, 0.9))


def test_flag_beats_file_beats_recipe(tmp_path):
    (tmp_path / "run.toml").write_text("lr_g = 2e-4\nbatch_size = 128\n[model]\nspectral_norm = true\n")
    config = _config("--recipe", "vanilla", "--dataset", "ring", "--config", str(tmp_path / "run.toml"),
                     "--lr-g", "5e-4", "--d-hidden", "64")
    vanilla = recipe_config("vanilla", "ring", 0)
    assert config.lr_g == 5e-4  # flag over file
    assert config.batch_size == 128 and vanilla.batch_size == 100  # file over recipe
    assert config.lr_d == vanilla.lr_d and config.steps == vanilla.steps  # recipe over defaults
    # The model's options merge while each layer keeps the model below it ...
    assert config.model == ToyOptions(g_hidden=(400,) * 4, d_hidden=(64,), spectral_norm=True)
    # ... and another model starts from its own defaults.
    (tmp_path / "mlp.toml").write_text('[model]\nname = "mlp"\ndropout = 0.5\n')
    config = _config("--config", str(tmp_path / "mlp.toml"), "--model", "dcgan")
    assert config.model == DCGANOptions()


@pytest.mark.parametrize("text, message", [
    ("lr = 1e-3\n", "['lr'] are not TrainConfig fields"),
    ("lr_g = 'fast'\n", "lr_g = 'fast' is not of type <class 'float'>"),
    ("steps = 1.5\n", "steps = 1.5 is not of type <class 'int'>"),
    ("progress = 1\n", "progress = 1 is not of type <class 'bool'>"),
    ("[model]\nname = 'dcgan'\nwidths = [64]\n", "model.widths = [64] is not of type tuple[int, int]"),
    ("[model]\nname = 'dcgan'\nclasses = 10\n", "['classes'] are not options of model 'dcgan'"),
    ("[model]\nname = 'gan'\n", "model must be one of"),
    ("lr_g = \n", "not valid TOML"),
    ("model = 3\n", "model must be a name or a [model] table"),
])
def test_bad_config_file_exits_2(text, message, tmp_path, capsys):
    (tmp_path / "run.toml").write_text(text)
    with pytest.raises(SystemExit) as exit_info:
        main([*TRAIN, "--config", str(tmp_path / "run.toml")])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_refuses_to_overwrite_a_run(tmp_path, capsys):
    (tmp_path / "ckpt-00000005.pt").write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--framework", "torch", "--dataset", "ring", "--steps", "5", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "already holds checkpoints; pass --resume to continue" in capsys.readouterr().err


def test_missing_checkpoint_exits_1(tmp_path, capsys):
    assert main(["sample", "--checkpoint", str(tmp_path), "--out", str(tmp_path / "g.png")]) == 1
    assert "no ganbook checkpoint at" in capsys.readouterr().err


@pytest.mark.slow
@each_backend
def test_train_then_sample_mnist(fw, tmp_path, data_root):
    """A class-conditional DCGAN (the CLI passes the digits' labels) trained, saved and sampled."""
    out = tmp_path / "run"
    result = _run("train", "--framework", fw, "--n-classes", "10", "--dataset", "mnist", "--split", "test",
                  "--data-root", str(data_root), "--steps", "4", "--batch-size", "32", "--out", str(out),
                  "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "new run" in result.stdout and "done at step 4" in result.stdout
    history = json.loads((out / "history.json").read_text())
    assert history["step"] == [1, 2, 3, 4]
    result = _run("sample", "--checkpoint", str(out), "--n", "16", "--out", str(tmp_path / "g.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_train_sample_and_evaluate_a_toy_run(tmp_path):
    """The README's first example, shortened: a ring run, its scatter plot; evaluate refuses it."""
    out = tmp_path / "ring"
    result = _run("train", "--framework", "torch", "--dataset", "ring", "--steps", "20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "done at step 20" in result.stdout
    result = _run("sample", "--checkpoint", str(out), "--n", "200", "--out", str(tmp_path / "ring.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "ring.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = _run("evaluate", "--checkpoint", str(out))
    assert result.returncode == 2
    assert "data set 'ring', which has no evaluator; evaluate scores ['mnist']" in result.stderr


@pytest.mark.slow
def test_second_run_into_a_live_runs_folder_exits_at_once(tmp_path):
    out, log = tmp_path / "run", tmp_path / "first.log"
    args = ["train", "--framework", "torch", "--dataset", "ring", "--steps", "1000000", "--out", str(out),
            "--no-progress"]
    first = _start(args, log)
    try:
        _wait_for(out / HOLDER_NAME, first, log)
        for extra in ([], ["--resume"]):
            second = _run(*args, *extra, timeout=120)
            assert second.returncode == 1, second.stderr
            assert f"run folder {out} is in use by process {first.pid}" in second.stderr
        assert first.poll() is None, "the second run waited for the first to end"
    finally:
        first.kill()
        first.wait()


@pytest.mark.slow
@each_backend
def test_sigkill_then_resume(fw, tmp_path):
    """Killed mid-run, a --resume run loses at most one checkpoint interval and ends at --steps."""
    out, every, steps, log = tmp_path / "run", 100, 2500, tmp_path / "killed.log"
    args = ["train", "--framework", fw, "--dataset", "ring", "--steps", str(steps), "--out", str(out),
            "--checkpoint-every", str(every), "--no-progress", "--batch-size", "64"]
    proc = _start(args, log)
    suffix = ".pt" if fw == "torch" else ""
    _wait_for(out / f"ckpt-{2 * every:08d}{suffix}", proc, log)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    saved = sorted(p.name for p in out.iterdir() if p.name.startswith("ckpt-") and ".tmp" not in p.name)
    newest = int(saved[-1].split("-")[1].split(".")[0])
    assert newest >= 2 * every and newest < steps
    result = _run(*args, "--resume")
    assert result.returncode == 0, result.stderr
    assert f"resumed at step {newest}" in result.stdout and f"done at step {steps}" in result.stdout
    history = json.loads((out / "history.json").read_text())
    assert history["step"] == list(range(1, steps + 1))
