"""TrainConfig: everything that defines a training run, shared by both backends.

A checkpoint stores its config; resuming or loading with a config that builds
different networks or optimises differently is refused (see `incompatible`).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal, get_args

from ganbook.data.registry import DATASETS
from ganbook.nets.options import ModelOptions, from_legacy, model_options

# The choices of the string fields, as types (for editors, type checkers and the CLI) ...
Loss = Literal["nonsaturating", "minimax", "lsgan", "wgan", "hinge"]  # each backend's losses.LOSSES
Update = Literal["alternating", "simultaneous"]
LrDecay = Literal["linear"]
Augment = Literal["translation"]  # see ganbook.train.diffaug
Precision = Literal["bf16", "fp16"]
# ... and as tuples, for validation (None: the option is off).
LOSSES = get_args(Loss)
UPDATES = get_args(Update)
LR_DECAYS = (None, *get_args(LrDecay))
AUGMENTS = (None, *get_args(Augment))
PRECISIONS = (None, *get_args(Precision))
# Losses on logits, whose D outputs the history reports as probabilities sigma(logit).
PROBABILITY_LOSSES = ("nonsaturating", "minimax")

# Fields that may change between a run and its resumption.
RUNTIME_FIELDS = frozenset({"steps", "sample_every", "checkpoint_every", "keep_checkpoints",
                            "progress", "log_every", "compile"})


@dataclass
class TrainConfig:
    """Hyper-parameters of a GAN run. Defaults: the MNIST DCGAN of the TF tutorial.

    model: the book's model to build, as its options (ganbook.nets.options):
        MLPOptions (fully connected), DCGANOptions, ToyOptions (small MLPs for
        1-D/2-D data) or ConditionalOptions (label-conditioned MLPs); or a name,
        "mlp", "dcgan", "toy" or "conditional", for its defaults.
        DCGANOptions(n_classes=10) makes the DCGAN class-conditional (fit(x, y)).
        Ignored, with `dataset`, when the Trainer is given its own networks.
    dataset: a registered data set (ganbook.data.registry): "mnist", "ring",
        "grid", "bimodal", "stacked_mnist" (chapter 7), or one added with
        register_dataset. Its shape sizes
        the networks; its range is checked when fit gets the data.
    loss: "nonsaturating", "minimax" (saturating G loss), "lsgan", "wgan" or "hinge".
    gp_weight: WGAN-GP gradient penalty weight (10 in the paper); 0 disables.
    r1_weight: gamma of the R1 penalty on real data; 0 disables.
    clip_value: clip D's weights to [-c, c] after each step (original WGAN); None disables.
    n_critic: D steps per G step; a "step" is one G step.
    pack: PacGAN packing: D judges `pack` samples at once, concatenated (features
        of flat data, channels of images); 1 is the ordinary GAN. batch_size must
        be a multiple of it.
    update: "alternating" (Goodfellow et al.'s algorithm, as in pytorch/examples:
        G is scored by the D just updated) or "simultaneous" (as in the TensorFlow
        DCGAN tutorial: both gradients from one forward pass, then both updates;
        one D forward fewer per step, but a different game; see the challenges chapter).
    lr_decay: None (constant learning rates) or "linear": both rates fall linearly
        from lr_g / lr_d at step 0 to 0 at `steps`, the planned end of the run, so
        fitting in stages (fit(x, steps=2000), then 4000, ...) follows one schedule;
        a fit beyond `steps` stretches the schedule to its own end.
    ema: keep an exponential moving average of G's weights with this decay (e.g.
        0.999; 0 disables): after G step t (from 0), G_ema = d * G_ema + (1 - d) * G with
        d = min(ema, (1 + t) / (10 + t)), a warm-up that keeps early averages off the
        random initial weights (`ganbook.train.loop.ema_decay`; BatchNorm statistics
        copied). Samples, snapshots and `load_generator` then use the averaged
        generator (`trainer.averaged_generator()`), which is usually smoother and
        better than the last iterate (Yazici et al. 2019).
    augment: None, or "translation": D sees every image batch, real and generated,
        moved by a random few pixels (at most an eighth of the side), in both
        players' steps; meant for small data sets (ganbook.train.diffaug says where it hurt).
    sync_batchnorm: in data-parallel training (torchrun, tf.distribute), BatchNorm
        statistics over the global batch instead of each process's shard; no effect
        in one process.
    """
    model: ModelOptions | str = "dcgan"
    dataset: str = "mnist"
    latent_dim: int = 100
    loss: Loss = "nonsaturating"
    gp_weight: float = 0.0
    r1_weight: float = 0.0
    clip_value: float | None = None
    batch_size: int = 256
    lr_g: float = 1e-4
    lr_d: float = 1e-4
    betas: tuple = (0.5, 0.999)
    n_critic: int = 1
    pack: int = 1
    update: Update = "alternating"
    lr_decay: LrDecay | None = None
    ema: float = 0.0
    augment: Augment | None = None
    sync_batchnorm: bool = False
    steps: int = 1000
    seed: int = 0
    mixed_precision: Precision | None = None
    compile: bool = False
    sample_every: int = 0
    n_samples: int = 64
    checkpoint_every: int = 0
    keep_checkpoints: int = 2
    log_every: int = 50
    progress: bool = True

    def __post_init__(self):
        self.betas = tuple(float(b) for b in self.betas)
        self.model = model_options(self.model)
        self.validate()

    def validate(self) -> None:
        def need(ok, what):
            if not ok:
                raise ValueError(f"TrainConfig: {what}")
        need(self.loss in LOSSES, f"loss must be one of {LOSSES}, got {self.loss!r}")
        need(self.dataset in DATASETS, f"dataset must be a registered data set {tuple(DATASETS)} "
                                       f"(ganbook.data.register_dataset adds one), got {self.dataset!r}")
        need(self.update in UPDATES, f"update must be one of {UPDATES}, got {self.update!r}")
        need(self.lr_decay in LR_DECAYS, f"lr_decay must be one of {LR_DECAYS}, got {self.lr_decay!r}")
        need(self.augment in AUGMENTS, f"augment must be one of {AUGMENTS}, got {self.augment!r}")
        need(self.mixed_precision in PRECISIONS,
             f"mixed_precision must be one of {PRECISIONS}, got {self.mixed_precision!r}")
        for name in ("latent_dim", "batch_size", "n_critic", "pack", "steps", "n_samples", "log_every"):
            value = getattr(self, name)
            need(isinstance(value, int) and value >= 1, f"{name} must be a positive integer, got {value!r}")
        for name in ("sample_every", "checkpoint_every", "keep_checkpoints", "seed"):
            value = getattr(self, name)
            need(isinstance(value, int) and value >= 0, f"{name} must be an integer >= 0, got {value!r}")
        for name in ("lr_g", "lr_d"):
            need(getattr(self, name) > 0, f"{name} must be > 0, got {getattr(self, name)!r}")
        need(self.gp_weight >= 0 and self.r1_weight >= 0, "gp_weight and r1_weight must be >= 0")
        need(0.0 <= self.ema < 1.0, f"ema must be a decay in [0, 1) (0 disables), got {self.ema!r}")
        need(self.clip_value is None or self.clip_value > 0,
             f"clip_value must be None or > 0, got {self.clip_value!r}")
        need(len(self.betas) == 2, f"betas must be two numbers, got {self.betas!r}")
        need(self.batch_size % self.pack == 0,
             f"batch_size {self.batch_size} is not a multiple of pack {self.pack}")
        need(self.augment is None or not self.model.flat,
             f"augment={self.augment!r} moves images; model {self.model.name!r} takes them flattened")
        n_classes = getattr(self.model, "n_classes", 0)
        need(isinstance(n_classes, int) and n_classes >= 0,
             f"n_classes must be an integer >= 0 (0: unconditional), got {n_classes!r}")
        need(self.pack == 1 or not self.conditional,
             "pack > 1 is not supported for a conditional model (its labels are per sample)")

    @property
    def conditional(self) -> bool:
        """Whether the model's G and D take class labels (options with n_classes > 0)."""
        return getattr(self.model, "n_classes", 0) > 0

    def to_dict(self) -> dict:
        """Plain JSON-able values; the model as {"name": ..., **options}."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {**d, "model": self.model.to_dict(), "betas": list(self.betas)}

    @classmethod
    def from_dict(cls, d: dict) -> TrainConfig:
        """The inverse of to_dict; also reads the dicts of older versions (model_kwargs)."""
        d = upgrade(d)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"TrainConfig: unknown fields {unknown}")
        return cls(**d)

    def replace(self, **changes) -> TrainConfig:
        return dataclasses.replace(self, **changes)


def upgrade(d: dict) -> dict:
    """A config dict of an older ganbook in today's form: {"model": "dcgan",
    "model_kwargs": {"d_dense": 1024}} -> {"model": {"name": "dcgan", "dense": 1024, ...}}."""
    if "model_kwargs" not in d and not isinstance(d.get("model"), str):
        return d
    d = dict(d)
    legacy = from_legacy(d.get("model", "dcgan"), d.pop("model_kwargs", None) or {})
    d["model"] = model_options(legacy).to_dict()
    return d


def incompatible(saved: dict, current: dict) -> list[str]:
    """Fields (other than RUNTIME_FIELDS) whose values differ, as 'name: saved -> current'.

    A field missing from `saved` (a checkpoint written before the field existed) counts
    as its default, which is what that older version of ganbook did.
    """
    defaults = TrainConfig().to_dict()
    saved, current = upgrade(saved), upgrade(current)
    saved = {**{k: v for k, v in defaults.items() if k not in saved}, **saved}
    diffs = []
    for key in sorted(set(saved) | set(current)):
        if key in RUNTIME_FIELDS:
            continue
        a, b = saved.get(key), current.get(key)
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            a, b = list(a), list(b)
        if a != b:
            diffs.append(f"{key}: {a!r} -> {b!r}")
    return diffs


def require_compatible(saved: dict, current: dict, path) -> None:
    """Raise ValueError naming every differing field if checkpoint `path` has another config."""
    diffs = incompatible(saved, current)
    if diffs:
        raise ValueError(
            f"checkpoint {path} was written by a run with another config ({'; '.join(diffs)}); "
            "resume with the same settings or use a new output folder"
        )
