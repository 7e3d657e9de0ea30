"""Atomic file writes: write beside the target, then rename over it.

A reader (or a crash) sees either the old file or the new one, never half of
one. Used for results, plots, the classifier's weights and the CLI's metadata;
checkpoint folders have their own two-step commit in `ganbook.train.checkpoints`.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Callable, IO


def atomic_write(path, write: Callable[[IO[bytes]], None]) -> Path:
    """Call write(binary file object) on a fresh temporary file beside `path`,
    then rename it to `path` (created with the usual permissions, parent folders
    too). On any error the temporary file is removed and `path` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "xb") as fh:
            write(fh)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def atomic_write_text(path, text: str) -> Path:
    """atomic_write of a UTF-8 string."""
    return atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))
