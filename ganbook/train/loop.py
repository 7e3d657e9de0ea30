"""The part of the trainer that is the same in both backends: the loop.

`TrainingLoop` owns the run: the networks it was given (or the book's, built
from the config), the losses, the data checks, the epoch cursor, the schedule,
logging, snapshots, checkpoints and resumption. A backend's Trainer subclasses
it and implements the abstract methods: one training step, the device, the
random state, and the weight average.
"""
from __future__ import annotations

import abc
import contextlib
import warnings
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
# Plain text bars: they work in terminals, notebooks and CI logs alike and need no
# ipywidgets (tqdm.auto warns without it and stores widget state in notebooks).
from tqdm import tqdm

from ganbook.config import PROBABILITY_LOSSES
from ganbook.data.arrays import check_images
from ganbook.data.registry import get_dataset
from ganbook.latent import cycling_labels, noise
from ganbook.nets.options import pack_discriminator
from ganbook.nets.protocol import n_classes_of
from ganbook.train import checkpoints as ckpt_files
from ganbook.train import runlock
from ganbook.train.cursor import EpochCursor
from ganbook.train.history import append_rows, new_history

if TYPE_CHECKING:
    from ganbook.torch.rng import RandomState  # or ganbook.tf.rng's, its mirror


def ema_decay(ema: float, updates: int) -> float:
    """The weight average's decay after `updates` G steps: min(ema, (1 + updates) / (10 + updates)).

    The warm-up (TensorFlow's ExponentialMovingAverage rule) lets G_ema follow G
    closely at first, so that early samples are not dominated by the random
    initial weights: 0.1 at the first step, 0.5 after 8, 0.999 only after ~9,000.
    """
    return min(ema, (1.0 + updates) / (10.0 + updates))


def resolve_network(net, base: type, name: str):
    """A network of type `base` from `net`: the network itself, or what the factory
    `net()` returns. TypeError naming `name` otherwise."""
    if not isinstance(net, base) and callable(net):
        net = net()
    if not isinstance(net, base):
        raise TypeError(f"{name} must be a {base.__module__}.{base.__qualname__} or a function "
                        f"that returns one, got {type(net).__name__}")
    return net


def check_networks(G, D) -> None:
    """Both networks or neither: half a pair is a mistake."""
    if (G is None) != (D is None):
        raise ValueError("pass both G and D (your own networks), or neither (the config's model)")


def resolve_networks(G, D, base: type, packed, pack: int):
    """Your (G, D) as networks of type `base` (objects, or built by the functions given),
    D wrapped as packed(D, pack) when pack > 1, as the config's models are."""
    D = resolve_network(D, base, "D")  # D first, as build_networks: the same initial weights
    G = resolve_network(G, base, "G")
    return G, pack_discriminator(D, packed, pack)


class TrainingLoop(abc.ABC):
    """Train G against D on NumPy data; the backends subclass it as `Trainer`.

    Networks: without G and D, the config's model is built for the config's data
    set (`build_models`). With G and D (any torch.nn.Module / keras.Model pair):
    G maps noise (N, config.latent_dim) (and integer labels (N,) if it has
    n_classes > 0) to samples in the data's shape; D maps samples (and labels)
    to logits or scores (N, 1) (with config.pack > 1, D is wrapped in a
    PackedDiscriminator and sees pack samples at once: (N / pack, 1)); an
    attribute G.latent_dim is optional. config.model and config.dataset are then
    unused, and so is the data's range check.

    Losses: config.loss names a pair of each backend's `losses.LOSSES`; d_loss and
    g_loss replace either with a callable of the same signature,
    d_loss(real_out (N, 1), fake_out (N, 1)) and g_loss(fake_out (N, 1)) -> scalar.

    hooks: callables hook(trainer) run after every fixed-noise snapshot
    (every config.sample_every steps), e.g. to redraw a live plot.
    """
    checkpoint: ModuleType  # the backend's checkpoint module: save, restore, SUFFIX
    sampling: ModuleType  # the backend's sampling module: sample, recalibrate_batchnorm
    losses: ModuleType  # the backend's losses module: LOSSES
    # The trainer's own random state (the backend's rng.RandomState): fit runs inside
    # rng.active(), so dropout draws from it and the caller's global state is left alone.
    rng: RandomState

    def __init__(self, config, out_dir=None, hooks=(), *, user_networks=False, d_loss=None, g_loss=None):
        self.config = config
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.hooks = list(hooks)
        self.user_networks = user_networks
        named_d, named_g = self.losses.LOSSES[config.loss]
        self.d_loss_fn, self.g_loss_fn = d_loss or named_d, g_loss or named_g
        # The history reports D's outputs as probabilities sigma(logit) for the losses on logits.
        self.probabilities = config.loss in PROBABILITY_LOSSES and d_loss is None and g_loss is None
        self.step = 0
        self.history = new_history()
        self.samples: list[tuple[int, np.ndarray]] = []
        self.last_checkpoint = None
        self.cursor = EpochCursor()
        self.fixed_z = noise(config.n_samples, config.latent_dim, config.seed + 1)
        self._standing_step = None  # the step at which G_ema's BatchNorm statistics were re-estimated
        self._lock = None
        self._sample_shape = None

    # ---- what each backend implements ---------------------------------------
    @abc.abstractmethod
    def _prepare(self, x: np.ndarray, y: np.ndarray | None):
        """Put the (checked) data set on the device, once per fit."""

    @abc.abstractmethod
    def _step(self, data):
        """One G step (after n_critic D steps) on `data`; a tensor [d_loss, g_loss, d_real, d_fake]."""

    @abc.abstractmethod
    def _rows(self, buffer: list) -> list[list[float]]:
        """The buffered step tensors as Python floats (one device synchronisation)."""

    @abc.abstractmethod
    def _set_learning_rates(self, lr_g: float, lr_d: float) -> None:
        """Set both optimisers' learning rates."""

    @abc.abstractmethod
    def _ema_update(self, decay: float) -> None:
        """G_ema <- decay * G_ema + (1 - decay) * G (with config.ema)."""

    @property
    def is_main(self) -> bool:
        """True in the process that writes checkpoints and files (always, unless data parallel)."""
        return True

    def _barrier(self) -> None:
        """Wait for every data-parallel process (nothing to wait for in one process)."""

    # ---- the data ----------------------------------------------------------
    @property
    def n_classes(self) -> int:
        """The classes G is conditioned on (0: unconditional)."""
        return n_classes_of(self.G)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        """One sample's shape in the shared layout, as G makes it (G is run on two codes once)."""
        if self._sample_shape is None:
            probe = self.sampling.sample(self.G, z=self.fixed_z[:2], labels=cycling_labels(self.G, 2))
            self._sample_shape = tuple(probe.shape[1:])
        return self._sample_shape

    def _check_data(self, x, y) -> None:
        """Refuse data that does not fit G's samples, or labels that do not fit G."""
        bounded = not self.user_networks and get_dataset(self.config.dataset).bounded
        check_images(x, self.sample_shape, "training data", bounded=bounded)
        if self.config.augment and len(self.sample_shape) != 3:
            raise ValueError(f"augment={self.config.augment!r} moves images; these samples have shape "
                             f"{self.sample_shape}")
        if not self.n_classes:
            return
        if self.config.pack > 1:
            raise ValueError("pack > 1 is not supported for a conditional G (its labels are per sample)")
        if y is None:
            raise ValueError("a conditional model needs labels: fit(x, y)")
        y = np.asarray(y)
        if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"labels must be integers of shape ({len(x)},), got {y.dtype} {y.shape}")
        if len(y) and (y.min() < 0 or y.max() >= self.n_classes):
            raise ValueError(f"labels must lie in [0, {self.n_classes}) for G's n_classes "
                             f"{self.n_classes}, got {y.min()}..{y.max()}")

    def _next_position(self, n_data: int) -> int:
        """Where this step's n_critic batches start in the epoch's permutation (self.cursor.perm)."""
        cfg = self.config
        if n_data < cfg.batch_size * cfg.n_critic:
            raise ValueError(f"{n_data} training samples, fewer than one step's batches "
                             f"({cfg.n_critic} x {cfg.batch_size}); lower batch_size")
        return self.cursor.next(n_data, cfg.batch_size * cfg.n_critic, self._permutation)

    @abc.abstractmethod
    def _permutation(self, n: int):
        """A random permutation of range(n) on the device, from the trainer's generator."""

    # ---- the loop ----------------------------------------------------------
    def fit(self, x, y=None, steps: int | None = None) -> dict:
        """Train until `steps` (default config.steps) generator steps in total; returns the history.

        x: float32 NumPy in the shared layout (images (N, H, W, C), in [-1, 1] for
        a registered image data set); y: int labels (N,) for a conditional G.
        Calling fit again continues. Hooks run inside the trainer's random state.
        """
        cfg = self.config
        steps = cfg.steps if steps is None else steps
        self._hold_out_dir()
        self._check_data(x, y)
        data = self._prepare(x, y if self.n_classes else None)
        buffer, first = [], self.step + 1
        horizon = max(steps, cfg.steps)  # lr_decay's end: the planned run, not this call's stop
        # At most ~200 redraws: a notebook stores every one of them in its output.
        bar = tqdm(total=steps, initial=self.step, disable=not (cfg.progress and self.is_main), desc="train",
                   mininterval=1.0, miniters=max(1, (steps - self.step) // 200))
        with self.rng.active(), contextlib.closing(bar):
            while self.step < steps:
                if cfg.lr_decay == "linear":
                    factor = 1.0 - self.step / horizon
                    self._set_learning_rates(cfg.lr_g * factor, cfg.lr_d * factor)
                buffer.append(self._step(data))
                if cfg.ema:
                    self._ema_update(ema_decay(cfg.ema, self.step))
                self.step += 1
                bar.update(1)
                if self._after_step(buffer, first, bar, last=self.step == steps):
                    buffer, first = [], self.step + 1
            self._finish()
        return self.history

    def _after_step(self, buffer, first, bar, last) -> bool:
        """Log, snapshot and checkpoint when due; True when the buffer was logged."""
        cfg = self.config
        due_sample = cfg.sample_every and self.step % cfg.sample_every == 0
        due_ckpt = cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0
        logged = self.step % cfg.log_every == 0 or due_sample or due_ckpt or last
        if logged:
            append_rows(self.history, first, self._rows(buffer), self.last_checkpoint)
            bar.set_postfix({k: f"{self.history[k][-1]:.3f}" for k in ("d_loss", "g_loss")}, refresh=False)
        if due_sample:
            self._snapshot()
        if due_ckpt and self.out_dir is not None:
            self.save()
        return logged

    def _finish(self) -> None:
        """The last snapshot and checkpoint of a fit, unless its last step made them."""
        if self.config.sample_every and (not self.samples or self.samples[-1][0] != self.step):
            self._snapshot()
        if self.out_dir is not None and self._last_checkpoint_step() != self.step:
            self.save()

    def _snapshot(self):
        self.samples.append((self.step, self._sample(self.fixed_z, cycling_labels(self.G, len(self.fixed_z)))))
        for hook in self.hooks:
            hook(self)

    def _sample(self, z, labels):
        return self.sampling.sample(self.averaged_generator(), z=z, labels=labels)

    def generate(self, n: int = 64, labels=None, seed: int | None = 0) -> np.ndarray:
        """n samples from averaged_generator() (inference mode), float32 NumPy in the shared layout.
        labels: int (n,) for a conditional G (default 0, 1, 2, ... cycling)."""
        return self._sample(noise(n, self.config.latent_dim, seed), labels)

    # ---- the weight average --------------------------------------------------
    def averaged_generator(self):
        """The generator to sample from: with config.ema, the weight average G_ema with its
        BatchNorm statistics measured again for its own weights; else G itself.

        G_ema carries G's statistics during training (copied by the average), which
        belong to other weights; they are re-estimated here ("standing statistics")
        once per step, which costs 2,000 samples of forward passes.
        """
        if not self.config.ema:
            return self.G
        if self._standing_step != self.step:
            self._recalibrate(self.G_ema)
            self._standing_step = self.step
        return self.G_ema

    def _recalibrate(self, G) -> None:
        self.sampling.recalibrate_batchnorm(G, seed=self.config.seed, latent_dim=self.config.latent_dim)

    # ---- checkpoints ---------------------------------------------------------
    def _hold_out_dir(self) -> None:
        """Lock out_dir for this run (main process only); RunFolderBusy if another holds it."""
        if self.out_dir is not None and self._lock is None and self.is_main:
            self._lock = runlock.hold(self.out_dir)

    def close(self) -> None:
        """Let go of out_dir, so that another process may train into it."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _last_checkpoint_step(self) -> int | None:
        return ckpt_files.step_of(self.last_checkpoint) if self.last_checkpoint else None

    def save(self) -> Path:
        """Write the full state to out_dir/ckpt-<step> atomically; prune old ones.

        Data-parallel: the main process writes, the others wait until it has.
        """
        if self.out_dir is None:
            raise ValueError("Trainer has no out_dir; pass out_dir= to save checkpoints")
        self._hold_out_dir()
        if self.is_main:
            self.averaged_generator()  # the checkpoint keeps G_ema with its own statistics
            self.last_checkpoint = self.checkpoint.save(self, self.out_dir)
            ckpt_files.prune(self.out_dir, self.config.keep_checkpoints)
        else:
            self.last_checkpoint = self.out_dir / ckpt_files.checkpoint_name(self.step, self.checkpoint.SUFFIX)
        self._barrier()
        return self.last_checkpoint

    def resume(self, path=None) -> bool:
        """Load checkpoint `path`, or else the newest readable one of out_dir; False if there is none.

        A checkpoint of out_dir that cannot be read (cut short, corrupted, another
        format) is set aside as <name>.unreadable, with a warning that names it, and
        the one before it is loaded; if none can be read, UnreadableCheckpoint. One
        written with another config is refused (ValueError), never skipped.
        """
        if path is not None:
            return self._restore(path)
        if self.out_dir is None:
            return False
        self._hold_out_dir()
        found = ckpt_files.list_checkpoints(self.out_dir, self.checkpoint.SUFFIX)
        for _, candidate in reversed(found):
            try:
                return self._restore(candidate)
            except ckpt_files.UnreadableCheckpoint as e:
                kept = ckpt_files.set_aside(candidate) if self.is_main else candidate
                warnings.warn(f"{e}; kept as {kept.name}; resuming from the checkpoint before it",
                              stacklevel=2)
        if found:
            raise ckpt_files.UnreadableCheckpoint(
                f"none of the {len(found)} checkpoints in {self.out_dir} can be read (set aside as "
                "*.unreadable); move them away to start a new run there")
        return False

    def _restore(self, path) -> bool:
        self.checkpoint.restore(self, path)
        self.last_checkpoint, self._standing_step = Path(path), None
        return True
