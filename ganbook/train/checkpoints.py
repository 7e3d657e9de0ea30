"""Checkpoint files on disk, framework-free: naming, atomic replace, newest, pruning.

A run folder holds `ckpt-<step>` entries (a `.pt` file for PyTorch, a folder
for TensorFlow). Each is written under a temporary name and renamed into place,
so a crash mid-write never leaves a half checkpoint under a real name.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np

_PATTERN = re.compile(r"^ckpt-(\d{8})(\.pt)?$")


class UnreadableCheckpoint(ValueError):
    """A checkpoint whose files cannot be read back (cut short, corrupted, not ganbook's)."""


def checkpoint_name(step: int, suffix: str = "") -> str:
    return f"ckpt-{step:08d}{suffix}"


def step_of(path) -> int:
    """The step of checkpoint `path` (ckpt-<step> or ckpt-<step>.pt)."""
    m = _PATTERN.match(Path(path).name)
    if not m:
        raise ValueError(f"{path} is not named like a checkpoint (ckpt-<8 digits>[.pt])")
    return int(m.group(1))


def list_checkpoints(folder: str | os.PathLike, suffix: str | None = None) -> list[tuple[int, Path]]:
    """Complete checkpoints in `folder`, oldest first, as (step, path).

    suffix ".pt" keeps PyTorch files, "" TensorFlow folders, None both."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _PATTERN.match(p.name)
        if m and (suffix is None or (m.group(2) or "") == suffix):
            found.append((int(m.group(1)), p))
    return sorted(found)


def newest_checkpoint(folder: str | os.PathLike, suffix: str | None = None) -> Path | None:
    found = list_checkpoints(folder, suffix)
    return found[-1][1] if found else None


def temporary_path(final: Path) -> Path:
    """Where to write before the atomic rename; stale ones are removed first."""
    tmp = final.with_name(final.name + f".tmp-{os.getpid()}")
    _remove(tmp)
    return tmp


def commit(tmp: Path, final: Path) -> None:
    """Move a finished temporary file or folder into place atomically."""
    if final.is_dir():
        old = final.with_name(final.name + ".old")
        _remove(old)
        os.replace(final, old)
        os.replace(tmp, final)
        _remove(old)
    else:
        os.replace(tmp, final)
    _fsync_dir(final.parent)


def set_aside(path: Path) -> Path:
    """Rename an unreadable checkpoint to <name>.unreadable, out of the way of
    newest_checkpoint and prune, and return the new path. Nothing is deleted."""
    path = Path(path)
    aside = path.with_name(path.name + ".unreadable")
    os.replace(path, aside)
    return aside


def prune(folder: str | os.PathLike, keep: int) -> None:
    """Delete all but the newest `keep` checkpoints (keep=0 keeps all) and stale temporaries."""
    folder = Path(folder)
    for p in folder.glob("ckpt-*.tmp-*"):
        _remove(p)
    found = list_checkpoints(folder)
    if keep > 0:
        for _, path in found[:-keep]:
            _remove(path)


def pack_samples(samples: list[tuple[int, np.ndarray]]) -> dict:
    """Fixed-noise snapshots [(step, (n, ...) float32), ...] -> {"steps": (k,) int64,
    "images": (k, n, ...) float32}, the form both backends store in a checkpoint."""
    if not samples:
        return {"steps": np.zeros(0, np.int64), "images": np.zeros(0, np.float32)}
    return {"steps": np.array([s for s, _ in samples], np.int64),
            "images": np.stack([np.asarray(x, np.float32) for _, x in samples])}


def unpack_samples(packed: dict) -> list[tuple[int, np.ndarray]]:
    """The inverse of pack_samples."""
    steps, images = np.asarray(packed["steps"]), np.asarray(packed["images"])
    return [(int(s), images[i]) for i, s in enumerate(steps)]


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
