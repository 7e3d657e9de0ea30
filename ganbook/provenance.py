"""What produced a result: command, date, versions and hardware, and atomic JSON files.

Benchmarks and experiments store their results with this record, so that every
number the book quotes says how to reproduce it.
"""
from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("ganbook", "numpy", "torch", "tensorflow")


def versions(packages=PACKAGES) -> dict:
    """Python's version and those of the installed `packages` (missing ones are left out)."""
    out = {"python": platform.python_version()}
    for package in packages:
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            pass
    return out


def hardware() -> dict:
    """The machine: platform, CPU counts and, when torch sees one, the CUDA GPU."""
    out = {"platform": platform.platform(), "machine": platform.machine(),
           "cpu_count": os.cpu_count(),
           "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        out["gpu"] = torch.cuda.get_device_name(0)
    return out


def command() -> str:
    """The command line that is running, e.g. 'python experiments/x.py --seeds 0,1'."""
    return "python " + shlex.join(sys.argv)


def record() -> dict:
    """command, date, versions and hardware, to put at the top of a results file."""
    return {"command": command(), "date": time.strftime("%Y-%m-%d"), "versions": versions(),
            "hardware": hardware()}


def write_json_atomic(path, payload: dict) -> Path:
    """Write JSON to a temporary file beside `path`, then rename it over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(payload, f, indent=1, default=float)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
