"""Helpers for tests that run against both backends."""
import importlib
import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

FRAMEWORKS = ["torch", "tf"]


def backend(name):
    return importlib.import_module(f"ganbook.{name}")


each_backend = pytest.mark.parametrize("fw", FRAMEWORKS)
