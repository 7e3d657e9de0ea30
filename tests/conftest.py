"""Shared fixtures. The offline MNIST copy is ../shared/data (see README)."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def offline_data() -> Path:
    """The offline data folder: $GANBOOK_DATA, else ../shared/data beside the checkout."""
    return Path(os.environ.get("GANBOOK_DATA") or ROOT.parent / "shared" / "data")


@pytest.fixture
def data_root() -> Path:
    root = offline_data()
    if not (root / "mnist" / "t10k-images-idx3-ubyte.gz").exists():
        pytest.fail(f"offline MNIST test split not found under {root}; set GANBOOK_DATA")
    return root
