"""Helpers for tests that run against both backends."""
import pytest

from ganbook import backend  # noqa: F401  (re-exported for the tests)

FRAMEWORKS = ["torch", "tf"]

each_backend = pytest.mark.parametrize("fw", FRAMEWORKS)
