"""Training history and the divergence guard, shared by both backends."""
from __future__ import annotations

import math

COLUMNS = ("d_loss", "g_loss", "d_real", "d_fake")


class TrainingDivergedError(FloatingPointError):
    """A loss became NaN or Inf; training stopped before saving the bad state."""


def new_history() -> dict:
    """{'step': [...], 'd_loss': [...], 'g_loss': [...], 'd_real': [...], 'd_fake': [...]}.

    d_real and d_fake are D's mean output on the real and the generated batch:
    probabilities sigma(logit) for the cross-entropy losses, raw scores otherwise.
    """
    return {"step": [], **{c: [] for c in COLUMNS}}


def append_rows(history: dict, first_step: int, rows: list[list[float]], checkpoint=None) -> None:
    """Append rows (d_loss, g_loss, d_real, d_fake) for steps first_step, first_step+1, ...

    Raises TrainingDivergedError naming the first step whose loss is NaN or Inf.
    """
    for i, row in enumerate(rows):
        if not all(math.isfinite(v) for v in row[:2]):
            step = first_step + i
            kept = f"the last good checkpoint is {checkpoint}" if checkpoint else "no checkpoint was written"
            raise TrainingDivergedError(
                f"training diverged at step {step}: d_loss={row[0]}, g_loss={row[1]}; "
                f"{kept}. Lower the learning rates, add a gradient penalty, or check the data."
            )
        history["step"].append(first_step + i)
        for c, v in zip(COLUMNS, row):
            history[c].append(float(v))
