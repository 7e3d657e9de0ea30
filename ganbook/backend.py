"""Import a backend by name, and tell which framework a model belongs to."""
from __future__ import annotations

import importlib
import os
from types import ModuleType

BACKENDS = ("torch", "tf")
_FRAMEWORK_MODULES = {"torch": "torch", "tf": "tensorflow"}
# The top-level module of a model's class -> our backend name.
_ROOT_MODULES = {"torch": "torch", "keras": "tf", "tensorflow": "tf", "tf_keras": "tf"}


def backend(name: str) -> ModuleType:
    """ganbook.torch or ganbook.tf by name ("torch" or "tf").

    TensorFlow's C++ info and warning lines are quieted (TF_CPP_MIN_LOG_LEVEL=2)
    unless the environment already sets a level.
    """
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {name!r}")
    if name == "tf":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return importlib.import_module(f"ganbook.{name}")
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] == _FRAMEWORK_MODULES[name]:
            raise ImportError(f"the {name} backend needs {_FRAMEWORK_MODULES[name]}; "
                              f"install it with pip install 'ganbook[{name}]'") from e
        raise


def framework_of(obj) -> str | None:
    """"torch" for a torch nn.Module, "tf" for a Keras model, None for anything else.

    Decided by the modules of the object's classes, so neither framework is imported.
    """
    for cls in type(obj).__mro__:
        fw = _ROOT_MODULES.get(cls.__module__.split(".")[0])
        if fw:
            return fw
    return None
