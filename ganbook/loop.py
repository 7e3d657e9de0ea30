"""The part of the trainer that is the same in both backends: the loop.

A backend's Trainer subclasses TrainingLoop and provides
    _prepare(x, y) -> data      put the data set on the device, once
    _step(data) -> tensor       one G step (with n_critic D steps): [d_loss, g_loss, d_real, d_fake]
    _rows(buffer) -> lists      synchronise a list of step tensors to Python floats
    _sample(z, labels) -> array samples of the current G in the shared layout
    _set_lr(factor)             scale both optimisers' learning rates to factor * lr_g / lr_d
    _ema_update(decay)          G_ema <- decay * G_ema + (1 - decay) * G (with config.ema)
    _recalibrate(G)             re-estimate G's BatchNorm statistics (recalibrate_batchnorm)
and may override _is_main() / _barrier() for data-parallel training (one process
writes checkpoints and shows progress; the others wait for it).
and the module `checkpoint` (save, restore, step_of).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
# Plain text bars: they work in terminals, notebooks and CI logs alike and need no
# ipywidgets (tqdm.auto warns without it and stores widget state in notebooks).
from tqdm import tqdm

from ganbook import checkpoints as ckpt_files
from ganbook.history import append_rows, new_history
from ganbook.latent import noise


def ema_decay(ema: float, updates: int) -> float:
    """The weight average's decay after `updates` G steps: min(ema, (1 + updates) / (10 + updates)).

    The warm-up (TensorFlow's ExponentialMovingAverage rule) lets G_ema follow G
    closely at first, so that early samples are not dominated by the random
    initial weights: 0.1 at the first step, 0.5 after 8, 0.999 only after ~9,000.
    """
    return min(ema, (1.0 + updates) / (10.0 + updates))


class TrainingLoop:
    checkpoint = None  # the backend's checkpoint module

    def _init_loop(self, config, out_dir, hooks):
        self.config = config
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.hooks = list(hooks)
        self.step = 0
        self.history = new_history()
        self.samples: list[tuple[int, np.ndarray]] = []
        self.last_checkpoint = None
        self._standing_step = None  # the step at which G_ema's BatchNorm statistics were re-estimated
        self.fixed_z = noise(config.n_samples, config.latent_dim, config.seed + 1)
        self.fixed_labels = np.arange(config.n_samples) % 10

    def fit(self, x, y=None, steps: int | None = None) -> dict:
        """Train until `steps` (default config.steps) generator steps in total; returns the history.

        x: float32 NumPy in the shared layout (images (N, H, W, C) in [-1, 1]);
        y: int labels (N,) for the conditional model. Calling fit again continues.
        """
        cfg = self.config
        steps = cfg.steps if steps is None else steps
        data = self._prepare(x, y)
        buffer, first = [], self.step + 1
        horizon = max(steps, cfg.steps)  # lr_decay's end: the planned run, not this call's stop
        # At most ~200 redraws: a notebook stores every one of them in its output.
        bar = tqdm(total=steps, initial=self.step, disable=not (cfg.progress and self._is_main()), desc="train",
                   mininterval=1.0, miniters=max(1, (steps - self.step) // 200))
        try:
            while self.step < steps:
                if cfg.lr_decay == "linear":
                    self._set_lr(1.0 - self.step / horizon)
                buffer.append(self._step(data))
                if cfg.ema:
                    self._ema_update(ema_decay(cfg.ema, self.step))
                self.step += 1
                bar.update(1)
                due_sample = cfg.sample_every and self.step % cfg.sample_every == 0
                due_ckpt = cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0
                if self.step % cfg.log_every == 0 or due_sample or due_ckpt or self.step == steps:
                    append_rows(self.history, first, self._rows(buffer), self.last_checkpoint)
                    buffer, first = [], self.step + 1
                    bar.set_postfix({k: f"{self.history[k][-1]:.3f}" for k in ("d_loss", "g_loss")},
                                    refresh=False)
                if due_sample:
                    self._snapshot()
                if due_ckpt and self.out_dir is not None:
                    self.save()
        finally:
            bar.close()
        if cfg.sample_every and (not self.samples or self.samples[-1][0] != self.step):
            self._snapshot()
        if self.out_dir is not None and self.last_checkpoint_step() != self.step:
            self.save()
        return self.history

    def _snapshot(self):
        labels = self.fixed_labels if self.conditional else None
        self.samples.append((self.step, self._sample(self.fixed_z, labels)))
        for hook in self.hooks:
            hook(self)

    def generate(self, n: int = 64, labels=None, seed: int | None = 0) -> np.ndarray:
        """n samples from the current G (inference mode), float32 NumPy in the shared layout."""
        return self._sample(noise(n, self.config.latent_dim, seed), labels)

    def last_checkpoint_step(self) -> int | None:
        return self.checkpoint.step_of(self.last_checkpoint) if self.last_checkpoint else None

    def save(self) -> Path:
        """Write the full state to out_dir/ckpt-<step> atomically; prune old ones.

        Data-parallel: the main process writes, the others wait until it has.
        """
        if self.out_dir is None:
            raise ValueError("Trainer has no out_dir; pass out_dir= to save checkpoints")
        if self._is_main():
            if self.config.ema:
                self._standing_ema()  # the checkpoint keeps G_ema with its own statistics
            self.last_checkpoint = self.checkpoint.save(self, self.out_dir)
            ckpt_files.prune(self.out_dir, self.config.keep_checkpoints)
        else:
            self.last_checkpoint = self.out_dir / ckpt_files.checkpoint_name(self.step, self.checkpoint.SUFFIX)
        self._barrier()
        return self.last_checkpoint

    @property
    def generator(self):
        """The generator to sample from: the weight average G_ema with config.ema, else G.

        G_ema's BatchNorm statistics are re-estimated for its own weights the first
        time it is asked for at each step ("standing statistics"): those it carries
        during training are G's (copied by _ema_update), which belong to other weights.
        """
        return self._standing_ema() if self.config.ema else self.G

    def _standing_ema(self):
        """G_ema, its BatchNorm statistics re-estimated if the step moved on since the last time."""
        if self._standing_step != self.step:
            self._recalibrate(self.G_ema)
            self._standing_step = self.step
        return self.G_ema

    @property
    def is_main(self) -> bool:
        """True in the process that writes checkpoints and files (always, unless data parallel)."""
        return self._is_main()

    def _is_main(self) -> bool:
        return True

    def _barrier(self) -> None:
        pass

    def resume(self, path=None) -> bool:
        """Load the newest checkpoint of out_dir (or `path`); False if there is none."""
        path = path or (ckpt_files.newest_checkpoint(self.out_dir, self.checkpoint.SUFFIX)
                       if self.out_dir else None)
        if path is None:
            return False
        self.checkpoint.restore(self, path)
        self.last_checkpoint, self._standing_step = Path(path), None
        return True
