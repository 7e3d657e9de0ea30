"""A random state of one's own (PyTorch; mirrored in ganbook/tf/rng.py).

PyTorch draws dropout masks and initial weights from its global generators.
`RandomState(seed)` keeps a private copy of them, seeded like
`torch.manual_seed(seed)`, and `active()` swaps it in for a block and back out:
the block is reproducible from the seed, and the caller's random numbers are
neither reset nor consumed.
"""
from __future__ import annotations

import contextlib

import torch


class RandomState:
    """torch's global random state (CPU, and `device` if it is a CUDA GPU), kept apart."""

    def __init__(self, seed: int, device=None):
        device = torch.device(device or "cpu")
        self.devices = [device] if device.type == "cuda" else []
        with torch.random.fork_rng(devices=self.devices):
            torch.manual_seed(seed)
            self._keep()

    def _keep(self):
        self.cpu = torch.get_rng_state()
        self.cuda = [torch.cuda.get_rng_state(d) for d in self.devices]

    @contextlib.contextmanager
    def active(self):
        """Run the block on this state; afterwards the global state is the caller's again."""
        with torch.random.fork_rng(devices=self.devices):
            torch.set_rng_state(self.cpu)
            for d, state in zip(self.devices, self.cuda):
                torch.cuda.set_rng_state(state, d)
            try:
                yield self
            finally:
                self._keep()

    def state_dict(self) -> dict:
        return {"cpu": self.cpu, "cuda": list(self.cuda)}

    def load_state_dict(self, state: dict) -> None:
        self.cpu = state["cpu"]
        if self.devices and len(state.get("cuda", [])) == len(self.devices):
            self.cuda = list(state["cuda"])
