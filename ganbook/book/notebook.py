"""What every notebook of the book shares: run settings and quiet framework imports.

Two environment variables steer a notebook; they are documented here and on
the book's "Running the notebooks" page:

    GANBOOK_QUICK=1         a quick CPU run (CI, `pytest --nbval book/`): few steps
    GANBOOK_DATA=<folder>   read MNIST from a local folder instead of downloading it
    GANBOOK_PARAMS=<json>   change parameters of either run, e.g. '{"steps": 3000}'
                            (a CPU run of a chapter whose full run is sized for a GPU)

Without them a notebook does the full run its parameters cell describes (meant
for a Colab GPU).
"""
from __future__ import annotations

import contextlib
import json
import os
import platform
import time
from pathlib import Path
from types import SimpleNamespace

from ganbook.book import provenance

QUICK_ENV = "GANBOOK_QUICK"
DATA_ENV = "GANBOOK_DATA"
PARAMS_ENV = "GANBOOK_PARAMS"


def quick_mode() -> bool:
    """True when GANBOOK_QUICK is set to 1/true/yes."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in ("1", "true", "yes")


def overrides() -> dict:
    """The parameters set by GANBOOK_PARAMS (a JSON object), {} when it is unset."""
    text = os.environ.get(PARAMS_ENV, "").strip()
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{PARAMS_ENV} is not valid JSON ({err}); write e.g. "
                         f"{PARAMS_ENV}='{{\"steps\": 3000}}'") from None
    if not isinstance(value, dict):
        raise ValueError(f"{PARAMS_ENV} must be a JSON object such as {{\"steps\": 3000}}, got {text!r}")
    return value


def parameters(full: dict, quick: dict) -> SimpleNamespace:
    """The run's parameters: `full` (the default run) updated by `quick` in quick mode,
    then by GANBOOK_PARAMS.

    Every key of `quick` and of GANBOOK_PARAMS must be a key of `full`, so every
    run sets the same names.
    """
    for source, keys in (("quick parameters", quick), (PARAMS_ENV, overrides())):
        unknown = sorted(set(keys) - set(full))
        if unknown:
            raise ValueError(f"{source} {unknown} are not parameters of this notebook; "
                             f"its parameters are {sorted(full)}")
    chosen = {**full, **quick} if quick_mode() else dict(full)
    return SimpleNamespace(QUICK=quick_mode(), **{**chosen, **overrides()})


@contextlib.contextmanager
def _stderr_to_devnull():
    """Redirect the process's file descriptor 2 (C++ logging) to /dev/null."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def import_tensorflow():
    """Import TensorFlow without its start-up log lines and return the module.

    TF's C++ side logs (oneDNN notice, CUDA probing) before its log level is
    read, straight to file descriptor 2; this silences exactly the import and
    the device probe. Python errors still propagate. oneDNN stays on: turning
    it off to quiet the notice halves TF's CPU speed.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_to_devnull():
        import tensorflow as tf
        tf.config.list_physical_devices()
    return tf


class Stopwatch:
    """Wall time of a block: `with Stopwatch() as t: ...; t.seconds`."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False


def run_summary(data: str, steps: int, device: str, seconds: float) -> str:
    """One line for stored outputs: what produced them, e.g.
    'ring, 2000 steps, cpu (2 threads), 41.2 s, full run, python 3.11'."""
    mode = "quick run (GANBOOK_QUICK=1)" if quick_mode() else "full run"
    if overrides():
        mode += f" with {PARAMS_ENV}={json.dumps(overrides())}"
    return (f"{data}, {steps} steps, {device}, {seconds:.1f} s, {mode}, "
            f"python {platform.python_version()}")


def check(claim: str, ok: bool) -> None:
    """Print one verdict line: '✓ claim' or '✗ FAILED: claim'."""
    print(("✓ " if ok else "✗ FAILED: ") + claim)


def save_results(path, report, summary: str, settings: dict) -> Path | None:
    """Write a default run's results to `path` as JSON, atomically, and return the path.

    The file holds the run's summary line (data, steps, device, time), `report`
    (a `ganbook.evaluate` Report) as its table's cells and note, the training
    `settings` (e.g. `TrainConfig.to_dict()`), the date, and the versions and
    machine that produced it. Quick runs and runs changed by GANBOOK_PARAMS write
    nothing and return None, so a stored results file always holds the default run.
    """
    if quick_mode() or overrides():
        return None
    payload = {"summary": summary,
               "report": {"head": list(report.HEAD), "rows": report.rows(), "note": report.note()},
               "settings": settings, "date": time.strftime("%Y-%m-%d"),
               "versions": provenance.versions(), "hardware": provenance.hardware()}
    return provenance.write_json_atomic(path, payload)
