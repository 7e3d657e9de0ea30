"""The data cursor: which rows of the data set each step's batches are."""
from __future__ import annotations

from typing import Callable


class EpochCursor:
    """Walks a fresh random permutation of the data set each epoch.

    `perm` is the backend's permutation tensor (torch or TensorFlow), `pos` where
    the next step's rows start in it; both are saved in checkpoints, so a resumed
    run draws the same batches as an uninterrupted one.
    """

    def __init__(self):
        self.perm = None
        self.pos = 0

    def next(self, n_data: int, need: int, permutation: Callable[[int], object]) -> int:
        """Where the next `need` rows (need <= n_data) start in `perm`; a new
        `permutation(n_data)` when the epoch has fewer than `need` rows left or the
        data set changed size."""
        if self.perm is None or int(self.perm.shape[0]) != n_data or self.pos + need > n_data:
            self.perm, self.pos = permutation(n_data), 0
        pos = self.pos
        self.pos += need
        return pos
