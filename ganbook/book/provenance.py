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
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ganbook.atomic import atomic_write_text

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
    """Write `payload` as indented JSON to `path` atomically (ganbook.atomic)."""
    return atomic_write_text(path, json.dumps(payload, indent=1, default=float) + "\n")
