"""Device choice: CUDA, then Apple MPS, then CPU."""
from __future__ import annotations

import torch


def pick_device(name: str | None = None) -> torch.device:
    """The device to train on: `name` if given ("cpu", "cuda", "cuda:1", "mps"), else the best available."""
    if name is not None:
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def describe_device(device: torch.device | str | None = None) -> str:
    """A one-line description, e.g. 'cuda:0 (NVIDIA H200)' or 'cpu (2 threads)'."""
    device = pick_device(None if device is None else str(device))
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} ({torch.cuda.get_device_name(index)})"
    if device.type == "cpu":
        threads = torch.get_num_threads()
        return f"cpu ({threads} thread{'s' if threads != 1 else ''})"
    return str(device)
