"""The `ganbook` command line: arguments, train/sample, and surviving SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganbook.cli import main
from tests.helpers.backends import each_backend

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, timeout=300):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "ganbook.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=timeout)


@pytest.mark.parametrize("args, message", [
    (["evaluate", "--checkpoint", "x", "--n", "0"], "argument --n: must be a positive integer, got 0"),
    (["evaluate", "--checkpoint", "x", "--seed", "-1"], "argument --seed: must be a non-negative integer"),
    (["evaluate", "--n", "10"], "the following arguments are required: --checkpoint"),
    (["train", "--framework", "jax", "--steps", "5", "--out", "x"], "argument --framework: invalid choice: 'jax'"),
    (["train", "--framework", "torch", "--steps", "0", "--out", "x"], "argument --steps: must be a positive integer, got 0"),
    (["train", "--framework", "torch", "--out", "x"], "the following arguments are required: --steps"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--dataset", "ring", "--model", "dcgan"],
     "dataset 'ring' is a toy mixture; use model 'toy'"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--model", "mlp", "--augment", "translation"],
     "augment='translation' moves images; it needs model='dcgan', not 'mlp'"),
    (["sample", "--checkpoint", "x", "--out", "grid.jpg"], "--out must name a .png file, got grid.jpg"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--model-kwargs", "n_classes=10"],
     "argument --model-kwargs: must be a JSON object"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--model-kwargs", "[10]"],
     "argument --model-kwargs: must be a JSON object"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--model-kwargs", '{"classes": 10}'],
     "model_kwargs ['classes'] are not options of model 'dcgan'"),
    (["train", "--framework", "torch", "--steps", "5", "--out", "x", "--model-kwargs", '{"n_classes": -1}'],
     "n_classes must be an integer >= 0"),
])
def test_bad_arguments_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
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


@each_backend
def test_train_then_sample_mnist(fw, tmp_path, data_root):
    """A class-conditional DCGAN (the CLI passes the digits' labels) trained, saved and sampled."""
    out = tmp_path / "run"
    result = _run("train", "--framework", fw, "--model-kwargs", '{"n_classes": 10}', "--dataset", "mnist", "--split", "test",
                  "--data-root", str(data_root), "--steps", "4", "--batch-size", "32", "--out", str(out),
                  "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "new run" in result.stdout and "done at step 4" in result.stdout
    history = json.loads((out / "history.json").read_text())
    assert history["step"] == [1, 2, 3, 4]
    result = _run("sample", "--checkpoint", str(out), "--n", "16", "--out", str(tmp_path / "g.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@each_backend
def test_sigkill_then_resume(fw, tmp_path):
    """Killed mid-run, a --resume run loses at most one checkpoint interval and ends at --steps."""
    out, every, steps = tmp_path / "run", 100, 2500
    args = ["train", "--framework", fw, "--dataset", "ring", "--steps", str(steps), "--out", str(out),
            "--checkpoint-every", str(every), "--no-progress", "--batch-size", "64"]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "ganbook.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    suffix = ".pt" if fw == "torch" else ""
    deadline = time.time() + 240
    while not (out / f"ckpt-{2 * every:08d}{suffix}").exists():
        assert proc.poll() is None and time.time() < deadline, "training ended before the kill"
        time.sleep(0.05)
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
