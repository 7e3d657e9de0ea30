"""Read IDX files, the format MNIST ships in, gzipped or uncompressed.

An IDX file is a big-endian header followed by raw bytes:

    magic (4 bytes): 0x00 0x00 <dtype code> <number of dimensions>
    one uint32 per dimension (the sizes)
    the data, row-major

MNIST uses dtype code 0x08 (unsigned byte): images have magic 2051 (3 dims:
count, rows, columns) and labels magic 2049 (1 dim: count).
"""
from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

IMAGES_MAGIC = 2051  # 0x00000803: ubyte, 3 dimensions
LABELS_MAGIC = 2049  # 0x00000801: ubyte, 1 dimension


class IDXFormatError(ValueError):
    """An IDX file is malformed: wrong magic number, sizes or length."""


GZIP_MAGIC = b"\x1f\x8b"


def _read(path: str | os.PathLike) -> bytes:
    """The file's bytes, decompressed when it is gzipped (told by its first two bytes)."""
    with open(path, "rb") as f:
        gzipped = f.read(2) == GZIP_MAGIC
    if not gzipped:
        with open(path, "rb") as f:
            return f.read()
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise IDXFormatError(
            f"{os.fspath(path)} is not a complete gzip file ({e}); it is corrupted or "
            "truncated: delete it and download it again"
        ) from e


def read_idx(path: str | os.PathLike, magic: int) -> np.ndarray:
    """Parse the IDX file at `path` (gzipped or not), checking its magic number.

    Returns a uint8 array whose shape is the one the header states,
    e.g. (N, 28, 28) for images or (N,) for labels.
    Raises IDXFormatError naming the file when the magic number, the
    dimensions or the data length do not match the header.
    """
    raw = _read(path)
    name = os.fspath(path)
    if len(raw) < 4:
        raise IDXFormatError(f"{name}: only {len(raw)} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise IDXFormatError(
            f"{name}: magic number {found} (0x{found:08x}), expected {magic} "
            f"(0x{magic:08x}); is this the right file?"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXFormatError(f"{name}: header truncated ({len(raw)} of {header} bytes)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(shape, dtype=np.int64))
    if len(raw) != expected:
        raise IDXFormatError(
            f"{name}: {len(raw)} bytes, but the header {shape} implies {expected}; "
            "the file is truncated or padded: delete it and download it again"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape).copy()


def write_idx(path: str | os.PathLike, array: np.ndarray, magic: int | None = None) -> None:
    """Write a uint8 array as gzipped IDX (used by the tests and for exports)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 | array.ndim
    header = magic.to_bytes(4, "big") + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())
