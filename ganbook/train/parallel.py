"""Where a process stands in data-parallel training; shared by both backends.

The backends join their process groups themselves (ganbook.torch.distributed,
tf.distribute); this module only describes the result and reads the launcher's
environment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class World:
    """This process's place among the training processes."""
    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        """True on rank 0, the process that writes checkpoints, logs and files."""
        return self.rank == 0


def require_divisible(batch_size: int, parts: int, what: str) -> None:
    """Refuse a global batch that does not split evenly into `parts` shards
    (`what`: "processes" or "replicas", for the message)."""
    if batch_size % parts:
        raise ValueError(f"batch_size {batch_size} (the global batch) is not a multiple of "
                         f"the {parts} {what}")


def launched() -> bool:
    """True when a launcher (torchrun) started more than one process: WORLD_SIZE > 1."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1
