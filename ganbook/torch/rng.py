"""A random state of one's own (PyTorch; mirrored in ganbook/tf/rng.py).

PyTorch draws dropout masks and initial weights from its global generators.
`RandomState(seed, device)` keeps a private copy of them, seeded as
`torch.manual_seed(seed)` would seed them, and `active()` swaps it in for a block
and back out: the block is reproducible from the seed, and the caller's random
numbers are neither reset nor consumed. (Apple's MPS generator is not covered:
on MPS, dropout draws from the global one.)
"""
from __future__ import annotations

import contextlib

import torch


class RandomState:
    """torch's global random state (CPU, and `device` if it is a CUDA GPU), kept apart."""

    def __init__(self, seed: int, device=None):
        device = torch.device(device or "cpu")
        self.devices = [device] if device.type == "cuda" else []
        # The states torch.manual_seed(seed) would give, made without touching the globals.
        self.cpu = torch.Generator().manual_seed(seed).get_state()
        self.cuda = [torch.Generator(d).manual_seed(seed).get_state() for d in self.devices]
        self._active = 0

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
            self._active += 1
            try:
                yield self
            finally:
                self._active -= 1
                self._keep()

    def state_dict(self) -> dict:
        """The state as it is now: inside active(), the live global state."""
        if self._active:
            self._keep()
        return {"cpu": self.cpu.clone(), "cuda": [s.clone() for s in self.cuda]}

    def load_state_dict(self, state: dict) -> None:
        """Take a state_dict; its CUDA states only if they are for as many devices as this one's."""
        self.cpu = state["cpu"]
        if len(state.get("cuda", [])) == len(self.devices):
            self.cuda = list(state["cuda"])
        if self._active:
            torch.set_rng_state(self.cpu)
            for d, s in zip(self.devices, self.cuda):
                torch.cuda.set_rng_state(s, d)
