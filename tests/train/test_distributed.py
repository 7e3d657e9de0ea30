"""Data-parallel training on CPU: torchrun with 2 processes (gloo) against one process."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

# Every test here starts torchrun or TensorFlow worker processes: 10 s to a minute each.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TORCHRUN = Path(sys.executable).with_name("torchrun")
TRAIN = ["train", "--framework", "torch", "--dataset", "ring", "--batch-size", "64", "--seed", "3",
         "--no-progress"]


def _run(args, processes=1, **env):
    """`ganbook ...` in one process, or under torchrun with `processes` (gloo on CPU)."""
    if processes == 1:
        cmd = [sys.executable, "-m", "ganbook.cli", *args]
    else:
        cmd = [str(TORCHRUN), "--standalone", f"--nproc_per_node={processes}", "-m", "ganbook.cli", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1", **env}
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _history(out):
    return json.loads((out / "history.json").read_text())


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """One process, global batch 64, 12 steps."""
    out = tmp_path_factory.mktemp("single") / "run"
    _run([*TRAIN, "--steps", "12", "--out", str(out)])
    return _history(out)


def test_two_processes_match_one_with_the_same_global_batch(single, tmp_path):
    out = tmp_path / "ddp"
    result = _run([*TRAIN, "--steps", "12", "--out", str(out)], processes=2)
    assert result.stdout.count("ganbook train: torch on cpu") == 1, "only rank 0 prints"
    assert ", 2 processes; new run" in result.stdout
    ddp = _history(out)
    assert ddp["step"] == single["step"] == list(range(1, 13))
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        np.testing.assert_allclose(ddp[key], single[key], rtol=1e-4, atol=1e-6, err_msg=key)
    assert sorted(p.name for p in out.glob("ckpt-*")) == ["ckpt-00000012.pt"]  # written once, by rank 0


def test_distributed_run_resumes_from_rank_0s_checkpoint(single, tmp_path):
    out = tmp_path / "ddp"
    _run([*TRAIN, "--steps", "6", "--checkpoint-every", "3", "--out", str(out)], processes=2)
    result = _run([*TRAIN, "--steps", "12", "--checkpoint-every", "3", "--out", str(out), "--resume"],
                  processes=2)
    assert "resumed at step 6" in result.stdout and "done at step 12" in result.stdout
    resumed = _history(out)
    assert resumed["step"] == list(range(1, 13))
    np.testing.assert_allclose(resumed["d_loss"], single["d_loss"], rtol=1e-4, atol=1e-6)


def test_global_batch_must_divide_among_processes(tmp_path):
    cmd = [str(TORCHRUN), "--standalone", "--nproc_per_node=2", "-m", "ganbook.cli",
           "train", "--framework", "torch", "--dataset", "ring", "--batch-size", "63", "--steps", "2",
           "--out", str(tmp_path / "r"), "--no-progress"]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "batch_size 63 (the global batch) is not a multiple of the 2 processes" in result.stderr


def test_tf_mirrored_strategy_matches_one_device_and_resumes(tmp_path):
    """Two logical CPUs under tf.distribute.MirroredStrategy against one device, same global batch."""
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "helpers" / "tf_mirrored.py"), str(tmp_path / "run")],
                            cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["replicas"] == 2
    assert out["max_diff"] < 1e-5, out
    assert out["resumed_at"] == 4 and out["steps"] == list(range(1, 9))
    assert out["resume_diff"] < 1e-5, out
    assert "batch_size 63 (the global batch) is not a multiple of the 2 replicas" in out["odd_batch"]


def _free_ports(n):
    import socket
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _workers(out_dir, steps, ports):
    """Both workers of a 2-worker cluster on localhost, to `steps`; their JSON outputs."""
    cluster = {"worker": [f"localhost:{p}" for p in ports]}
    procs = []
    for i in range(2):
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
               "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}})}
        procs.append(subprocess.Popen([sys.executable, str(ROOT / "tests" / "helpers" / "tf_multi_worker.py"), str(out_dir),
                                       str(steps)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    outs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stdout + stderr
        outs.append(json.loads(stdout.strip().splitlines()[-1]))
    return outs


def test_tf_multi_worker_chief_checkpoints_and_all_resume(tmp_path):
    """Two workers (processes) under MultiWorkerMirroredStrategy share one run folder:
    the chief writes, both resume from it, and the losses are one device's."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    alone = subprocess.run([sys.executable, str(ROOT / "tests" / "helpers" / "tf_multi_worker.py"), str(tmp_path / "one"), "8"],
                           cwd=ROOT, env={**env, "TF_CPP_MIN_LOG_LEVEL": "3"}, capture_output=True, text=True,
                           timeout=600)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    reference = json.loads(alone.stdout.strip().splitlines()[-1])["d_loss"]
    ports = _free_ports(2)
    first = _workers(tmp_path / "run", 4, ports)
    assert [w["main"] for w in first] == [True, False]
    assert first[0]["files"] == ["ckpt-00000004"] and first[0]["lock"]
    second = _workers(tmp_path / "run", 8, ports)
    for worker in second:
        assert worker["resumed_at"] == 4 and worker["files"] == ["ckpt-00000004", "ckpt-00000008"]
        np.testing.assert_allclose(worker["d_loss"], reference, rtol=1e-5, atol=1e-6)


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc (Linux)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        out += children
        todo += children
    return out


def test_torchrun_killed_then_resumed_continues_from_rank_0s_checkpoint(tmp_path):
    """SIGKILL the whole torchrun group mid-run; --resume loses at most one interval and finishes."""
    import signal
    import time

    out, every, steps = tmp_path / "run", 50, 2000
    args = [*TRAIN, "--steps", str(steps), "--checkpoint-every", str(every), "--out", str(out)]
    cmd = [str(TORCHRUN), "--standalone", "--nproc_per_node=2", "-m", "ganbook.cli", *args]
    log = tmp_path / "killed.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"},
                                stdout=subprocess.DEVNULL, stderr=fh)
    deadline = time.time() + 240
    while not (out / f"ckpt-{2 * every:08d}.pt").exists():
        assert proc.poll() is None and time.time() < deadline, \
            "training ended before the kill:\n" + log.read_text()[-3000:]
        time.sleep(0.05)
    for pid in [proc.pid, *_descendants(proc.pid)]:  # torchrun and its workers (own sessions)
        os.kill(pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.5)
    saved = sorted(p.name for p in out.glob("ckpt-*.pt"))
    newest = int(saved[-1].split("-")[1].split(".")[0])
    assert 2 * every <= newest < steps
    result = _run([*args, "--resume"], processes=2)
    assert f"resumed at step {newest}" in result.stdout and f"done at step {steps}" in result.stdout
    assert _history(out)["step"] == list(range(1, steps + 1))
