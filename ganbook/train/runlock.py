"""One run per folder: a lock that a second process on the same folder cannot take.

The lock is an OS file lock (the `filelock` package), so it is released when its
process ends, even by SIGKILL: a killed run's folder is taken over at once. Who
holds it is written beside it, for the message the second run gets.
"""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from filelock import FileLock, Timeout

from ganbook.atomic import atomic_write

LOCK_NAME = ".ganbook.lock"
HOLDER_NAME = ".ganbook.holder.json"


class RunFolderBusy(RuntimeError):
    """Another live process trains into this run folder."""


def _holder(folder: Path) -> str:
    try:
        info = json.loads((folder / HOLDER_NAME).read_text())
        return f"process {info['pid']} on {info['host']}, since {info['since']}"
    except (OSError, ValueError, KeyError):
        return "another process"


def hold(folder) -> FileLock:
    """Take the run folder's lock (creating the folder) or raise RunFolderBusy at once.

    Within one process the lock is shared and re-entrant, so a notebook may build
    a new Trainer on the folder while the old one still exists."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # One lock object per folder in a process (the resolved path is the key), shared by its threads.
    lock = FileLock(folder.resolve() / LOCK_NAME, timeout=0, is_singleton=True, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise RunFolderBusy(
            f"run folder {folder} is in use by {_holder(folder)}; wait for that run to end, "
            "stop it, or train into another folder") from None
    if lock.lock_counter == 1:
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        atomic_write(folder / HOLDER_NAME, lambda fh: fh.write(json.dumps(info).encode()))
    return lock
