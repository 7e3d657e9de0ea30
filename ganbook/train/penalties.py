"""The penalties a TrainConfig adds to D's loss, stated once for both backends."""
from __future__ import annotations

from typing import Callable


def with_penalties(loss, config, gradient_penalty: Callable, r1_penalty: Callable):
    """D's loss plus config's penalties: gp_weight * GP (WGAN-GP, Gulrajani et al. 2017)
    and r1_weight / 2 * R1 (Mescheder et al. 2018, whose gamma is r1_weight).

    The penalties are callables of no arguments, each called only when weighted:
    each costs a second backward pass.
    """
    if config.gp_weight:
        loss = loss + config.gp_weight * gradient_penalty()
    if config.r1_weight:
        loss = loss + 0.5 * config.r1_weight * r1_penalty()
    return loss
