"""MNIST: find, download, verify and parse the four canonical files.

Where the files come from, in this order:

1. `root=` passed to `load_mnist`, or else the environment variable
   `GANBOOK_DATA`: a local folder holding the `.gz` files directly or in a
   `mnist/` sub-folder. Nothing is downloaded in this mode.
2. Otherwise the per-user cache (`GANBOOK_CACHE`, default
   `~/.cache/ganbook/mnist` on Linux), filled on first use from the public
   mirrors in `MIRRORS`, tried in turn.

Every file, local or downloaded, is checked against its canonical MD5 before
it is parsed; a corrupted or truncated file is never used.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganbook.data.idx import IMAGES_MAGIC, LABELS_MAGIC, IDXFormatError, read_idx

# Public mirrors of the original files, tried in order.
MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]


@dataclass(frozen=True)
class MnistFile:
    name: str
    md5: str
    size: int  # bytes


FILES = {
    "train": (
        MnistFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9912422),
        MnistFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", 28881),
    ),
    "test": (
        MnistFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", 1648877),
        MnistFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", 4542),
    ),
}
COUNTS = {"train": 60_000, "test": 10_000}
SPLITS = ("train", "test", "all")


class MnistNotFoundError(FileNotFoundError):
    """Some MNIST files are neither in the local folder nor downloadable."""


class ChecksumError(ValueError):
    """A file's MD5 differs from the canonical one: it is corrupted or truncated."""


def md5sum(path: str | os.PathLike) -> str:
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_dir() -> Path:
    """The per-user folder downloads are cached in (`GANBOOK_CACHE` overrides it)."""
    if os.environ.get("GANBOOK_CACHE"):
        return Path(os.environ["GANBOOK_CACHE"]).expanduser() / "mnist"
    import pooch

    return Path(pooch.os_cache("ganbook")) / "mnist"


def _how_to_provide(missing: list[MnistFile]) -> str:
    names = ", ".join(f.name for f in missing)
    return (
        f"To fix: download {names} from one of {', '.join(MIRRORS)} into a folder DIR and "
        "pass root=DIR (or set GANBOOK_DATA=DIR); or unset GANBOOK_DATA and run once with "
        "internet access so they are downloaded into the cache."
    )


def _check_md5(path: Path, f: MnistFile) -> None:
    found = md5sum(path)
    if found != f.md5:
        raise ChecksumError(
            f"{path} is corrupted or truncated: MD5 {found}, expected {f.md5} "
            f"({path.stat().st_size} bytes, expected {f.size}). Delete it and provide a "
            "fresh copy; it was not used."
        )


def _local_paths(split: str, root: Path) -> list[Path]:
    """Find the split's files in `root` or `root/mnist`, verified."""
    places = [root / "mnist", root]
    found, missing = [], []
    for f in FILES[split]:
        path = next((p / f.name for p in places if (p / f.name).is_file()), None)
        if path is None:
            missing.append(f)
        else:
            found.append((path, f))
    if missing:
        looked = ", ".join(str(p) for p in places)
        raise MnistNotFoundError(
            f"MNIST {split!r} split: missing {', '.join(f.name for f in missing)}. "
            f"Looked in: {looked} (the local folder set by root= or GANBOOK_DATA; nothing is "
            f"downloaded in that mode). {_how_to_provide(missing)}"
        )
    for path, f in found:
        _check_md5(path, f)
    return [path for path, _ in found]


def _download(f: MnistFile, folder: Path) -> tuple[Path | None, str]:
    """Fetch one file into `folder` from the first mirror that works.

    Returns (path, "") or (None, reasons). pooch writes to a temporary file
    and moves it into place only once the MD5 matches.
    """
    import pooch

    reasons = []
    target = folder / f.name
    if target.exists() and md5sum(target) != f.md5:
        reasons.append(f"cached copy {target} is corrupted (wrong MD5) and was not used")
    for mirror in MIRRORS:
        try:
            path = pooch.retrieve(
                mirror + f.name, known_hash=f"md5:{f.md5}", fname=f.name, path=folder,
                progressbar=_progressbar(),
            )
            return Path(path), ""
        except Exception as e:  # network errors, HTTP errors, hash mismatches
            reasons.append(f"{mirror}{f.name}: {type(e).__name__}: {str(e)[:200]}")
    return None, "; ".join(reasons)


def _progressbar() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


def _cached_paths(split: str) -> list[Path]:
    folder = cache_dir()
    paths, failures = [], []
    for f in FILES[split]:
        path, why = _download(f, folder)
        if path is None:
            failures.append((f, why))
        else:
            paths.append(path)
    if failures:
        details = " | ".join(f"{f.name}: {why}" for f, why in failures)
        raise MnistNotFoundError(
            f"MNIST {split!r} split: could not get {', '.join(f.name for f, _ in failures)}. "
            f"Looked in the cache {folder} and tried every mirror: {details}. "
            f"{_how_to_provide([f for f, _ in failures])}"
        )
    return paths


def local_folder(root=None) -> Path | None:
    """The local MNIST folder in use: `root`, else $GANBOOK_DATA, else None (the download cache)."""
    if root is not None:
        return Path(root).expanduser()
    env = os.environ.get("GANBOOK_DATA")
    return Path(env).expanduser() if env else None


def _load_split(split: str, root: Path | None) -> tuple[np.ndarray, np.ndarray]:
    images_path, labels_path = _local_paths(split, root) if root else _cached_paths(split)
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    n = COUNTS[split]
    if images.shape != (n, 28, 28) or labels.shape != (n,):
        raise IDXFormatError(
            f"MNIST {split!r}: expected {n} images of 28x28 and {n} labels, found images "
            f"{images.shape} in {images_path} and labels {labels.shape} in {labels_path}"
        )
    if labels.max() > 9:
        raise IDXFormatError(f"{labels_path}: label {labels.max()} is not a digit 0-9")
    return images, labels.astype(np.int64)


def load_mnist(split: str = "train", root: str | os.PathLike | None = None):
    """Load MNIST digits.

    Args:
        split: "train" (60,000), "test" (10,000) or "all" (70,000: train then test).
        root: a local folder with the `.gz` files (directly or in `mnist/`);
            defaults to $GANBOOK_DATA, and when that is unset to the download cache.

    Returns:
        images: uint8 array (N, 28, 28), values 0-255, white digit on black.
        labels: int64 array (N,), values 0-9.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    folder = local_folder(root)
    if split == "all":
        parts = [_load_split(s, folder) for s in ("train", "test")]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    return _load_split(split, folder)
