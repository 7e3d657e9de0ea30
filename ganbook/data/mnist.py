"""MNIST: find, download, verify and parse the four canonical files.

Each of the four files circulates in two forms: gzipped (the canonical
download, `train-images-idx3-ubyte.gz`) and uncompressed (`train-images-idx3-ubyte`,
as many mirrors, packages and framework caches keep it). Either form is
accepted, and each is verified against the MD5 of its own form: re-compressing
an uncompressed file does not reproduce the canonical bytes, so the two forms
need their own checksums (`MnistFile.gz_md5`, `MnistFile.raw_md5`).

Where the files come from, in this order:

1. `root=` passed to `load_mnist`, or else the environment variable
   `GANBOOK_DATA`: a local folder holding the files directly or in a
   `mnist/` sub-folder. Nothing is downloaded in this mode.
2. Otherwise the per-user cache (`GANBOOK_CACHE`, default
   `~/.cache/ganbook/mnist` on Linux): a verified file already there, in either
   form, is used; a missing one is downloaded (gzipped) from the public mirrors
   in `MIRRORS`, tried in turn.

Every file, local or downloaded, is checked against its MD5 before it is
parsed; a corrupted or truncated file is never used.
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
    """One MNIST file and the checksums of its two forms.

    stem: the uncompressed name, e.g. "train-images-idx3-ubyte"; the gzipped
        form is stem + ".gz".
    gz_md5, gz_size: MD5 and bytes of the canonical gzipped file.
    raw_md5, raw_size: MD5 and bytes of the same file uncompressed.
    """
    stem: str
    gz_md5: str
    gz_size: int
    raw_md5: str
    raw_size: int

    @property
    def name(self) -> str:
        """The canonical (gzipped) file name, the one the mirrors serve."""
        return self.stem + ".gz"

    def forms(self) -> tuple[tuple[str, str, int], ...]:
        """((file name, md5, bytes), ...) for the gzipped and the uncompressed form."""
        return ((self.name, self.gz_md5, self.gz_size), (self.stem, self.raw_md5, self.raw_size))


FILES = {
    "train": (
        MnistFile("train-images-idx3-ubyte", "f68b3c2dcbeaaa9fbdd348bbdeb94873", 9912422,
                  "6bbc9ace898e44ae57da46a324031adb", 47040016),
        MnistFile("train-labels-idx1-ubyte", "d53e105ee54ea40749a09fcbcd1e9432", 28881,
                  "a25bea736e30d166cdddb491f175f624", 60008),
    ),
    "test": (
        MnistFile("t10k-images-idx3-ubyte", "9fb629c4189551a2d022fa330f9573f3", 1648877,
                  "2646ac647ad5339dbf082846283269ea", 7840016),
        MnistFile("t10k-labels-idx1-ubyte", "ec29112dd5afa0611ce80d1b7f02629c", 4542,
                  "27ae3e4e09519cfbb04c329615203637", 10008),
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
        f"To fix: download {names} (gzipped, or the same files uncompressed) from one of "
        f"{', '.join(MIRRORS)} into a folder DIR and "
        "pass root=DIR (or set GANBOOK_DATA=DIR); or unset GANBOOK_DATA and run once with "
        "internet access so they are downloaded into the cache."
    )


def _check_md5(path: Path, md5: str, size: int) -> None:
    found = md5sum(path)
    if found != md5:
        form = "gzipped" if path.name.endswith(".gz") else "uncompressed"
        raise ChecksumError(
            f"{path} is corrupted or truncated: MD5 {found}, expected {md5} for the {form} "
            f"form ({path.stat().st_size} bytes, expected {size}). Delete it and provide a "
            "fresh copy; it was not used."
        )


def _find(f: MnistFile, places: list[Path]) -> list[tuple[Path, str, int]]:
    """Every copy of f in `places`, either form: [(path, its form's md5, bytes), ...]."""
    return [(p / name, md5, size) for p in places for name, md5, size in f.forms()
            if (p / name).is_file()]


def _verified(copies: list[tuple[Path, str, int]]) -> Path:
    """The first copy whose MD5 matches its form; if none does, the first copy's error."""
    errors = []
    for path, md5, size in copies:
        try:
            _check_md5(path, md5, size)
            return path
        except ChecksumError as e:
            errors.append(e)
    raise errors[0]


def _local_paths(split: str, root: Path) -> list[Path]:
    """Find the split's files in `root` or `root/mnist`, either form, verified."""
    places = [root / "mnist", root]
    found, missing = [], []
    for f in FILES[split]:
        copies = _find(f, places)
        if copies:
            found.append(copies)
        else:
            missing.append(f)
    if missing:
        looked = ", ".join(str(p) for p in places)
        raise MnistNotFoundError(
            f"MNIST {split!r} split: missing {', '.join(f.name for f in missing)} "
            "(gzipped or uncompressed). "
            f"Looked in: {looked} (the local folder set by root= or GANBOOK_DATA; nothing is "
            f"downloaded in that mode). {_how_to_provide(missing)}"
        )
    return [_verified(copies) for copies in found]


def _download(f: MnistFile, folder: Path) -> tuple[Path | None, str]:
    """Fetch one file into `folder` from the first mirror that works.

    Returns (path, "") or (None, reasons). pooch writes to a temporary file
    and moves it into place only once the MD5 matches.
    """
    import pooch

    reasons = []
    target = folder / f.name
    if target.exists() and md5sum(target) != f.gz_md5:
        reasons.append(f"cached copy {target} is corrupted (wrong MD5) and was not used")
    for mirror in MIRRORS:
        try:
            path = pooch.retrieve(
                mirror + f.name, known_hash=f"md5:{f.gz_md5}", fname=f.name, path=folder,
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


def _cached(f: MnistFile, folder: Path) -> Path | None:
    """A verified copy of f already in the cache, in either form, else None."""
    for path, md5, size in _find(f, [folder]):
        if md5sum(path) == md5:
            return path
    return None


def _cached_paths(split: str) -> list[Path]:
    folder = cache_dir()
    paths, failures = [], []
    for f in FILES[split]:
        path, why = _cached(f, folder), ""
        if path is None:
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
        root: a local folder with the files, gzipped or uncompressed (directly or
            in `mnist/`); defaults to $GANBOOK_DATA, and when that is unset to the
            download cache.

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
