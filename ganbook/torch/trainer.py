"""The GAN trainer (PyTorch; mirrored in ganbook/tf/trainer.py).

One `step` is one generator update preceded by `n_critic` discriminator
updates. The data set is copied to the device once; batches are drawn there.

Started by torchrun (see ganbook.torch.distributed), the trainer is data
parallel: each process takes its shard of every batch (batch_size is the global
batch), DistributedDataParallel averages the gradients, and the losses are
those of one process with the whole batch.
"""
from __future__ import annotations

import contextlib
import copy
import inspect

import numpy as np
import torch
from torch import nn

from ganbook.config import TrainConfig
from ganbook.train.diffaug import max_shift
from ganbook.train.loop import TrainingLoop, check_networks, resolve_networks
from ganbook.train.parallel import require_divisible
from ganbook.train.penalties import with_penalties
from ganbook.torch import checkpoint, diffaug, distributed, losses, sampling
from ganbook.torch.device import pick_device
from ganbook.torch.losses import clip_weights, gradient_penalty, r1_penalty
from ganbook.torch.models import PackedDiscriminator, build_models
from ganbook.torch.rng import RandomState
from ganbook.torch.sampling import to_native


def memory_format(images: bool, device: torch.device) -> torch.memory_format:
    """channels_last for convolutional models on CPU and CUDA: oneDNN and cuDNN run
    convolutions faster on it (see benchmarks/throughput.py). The networks' maths
    and outputs' shapes are unchanged."""
    return torch.channels_last if images and device.type in ("cpu", "cuda") else torch.preserve_format


DDP = torch.nn.parallel.DistributedDataParallel
# BatchNorm statistics stay per process (or are synced by SyncBatchNorm): re-broadcasting
# them before D's second forward pass would modify tensors that backward still needs.
# (Newer torch versions renamed the option and warn about the old name.)
NO_BUFFER_SYNC = ({"forward_sync_buffers": False}
                  if "forward_sync_buffers" in inspect.signature(DDP.__init__).parameters
                  else {"broadcast_buffers": False})


class Trainer(TrainingLoop):
    """Train a GAN: the config's model, or your own networks.

        trainer = Trainer(TrainConfig(model="toy", dataset="ring", steps=2000), out_dir="runs/ring")
        trainer = Trainer(TrainConfig(latent_dim=16), G=MyGenerator(), D=MyDiscriminator())
        history = trainer.fit(x)          # x: float32 NumPy, shared layout

    G, D: torch.nn.Module networks (or functions returning them) that keep the
    contract of ganbook.train.loop.TrainingLoop; without them, config.model is
    built for config.dataset, its initial weights drawn from config.seed.
    d_loss, g_loss: loss callables instead of config.loss's.
    device: "cpu", "cuda", "cuda:1", "mps", or None for the best there is.
    hooks: callables hook(trainer) run after every fixed-noise snapshot.
    Random numbers come from the trainer's own state, seeded by config.seed: the
    global generators of the caller are neither reseeded nor consumed.
    """
    checkpoint = checkpoint
    sampling = sampling
    losses = losses

    def __init__(self, config: TrainConfig, out_dir=None, device=None, hooks=(), *,
                 G=None, D=None, d_loss=None, g_loss=None):
        check_networks(G, D)
        super().__init__(config, out_dir, hooks, user_networks=G is not None, d_loss=d_loss, g_loss=g_loss)
        self.world = distributed.current()
        self.device = pick_device(distributed.device_for(self.world, device))
        if config.mixed_precision == "fp16" and self.device.type != "cuda":
            raise ValueError("mixed_precision='fp16' needs a CUDA GPU; use 'bf16' or None here")
        self.rng = RandomState(config.seed, self.device)
        with self.rng.active():
            self.G, self.D = self._networks(G, D)
        self.memory_format = memory_format(len(self.sample_shape) == 3, self.device)
        self.G, self.D = (m.to(memory_format=self.memory_format) for m in (self.G, self.D))
        self.G_ema = copy.deepcopy(self.G).requires_grad_(False) if config.ema else None
        # What the training step calls: the networks, or their DDP wrappers when data parallel.
        self.G_train, self.D_train = self._parallel(self.G), self._parallel(self.D)
        # The fused Adam kernel (one pass over all parameters) where torch has it: CPU and CUDA.
        fused = self.device.type in ("cpu", "cuda")
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=config.lr_g, betas=config.betas, fused=fused)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=config.lr_d, betas=config.betas, fused=fused)
        self.scaler_g = torch.amp.GradScaler(enabled=config.mixed_precision == "fp16")
        self.scaler_d = torch.amp.GradScaler(enabled=config.mixed_precision == "fp16")
        self.gen = torch.Generator(self.device).manual_seed(config.seed)
        self._step_fn = torch.compile(self._train_step) if config.compile else self._train_step

    def _networks(self, G, D):
        """(G, D) on the device: yours (D packed when config.pack > 1), or config.model's."""
        if G is None:
            G, D = build_models(self.config)
        else:
            G, D = resolve_networks(G, D, nn.Module, PackedDiscriminator, self.config.pack)
        return G.to(self.device), D.to(self.device)

    def _parallel(self, model):
        """model wrapped in DistributedDataParallel when several processes train, else model."""
        cfg, world = self.config, self.world
        if world.size == 1:
            return model
        require_divisible(cfg.batch_size, world.size, "processes")
        if cfg.update != "alternating":
            raise ValueError("data-parallel training supports update='alternating' only "
                             "(DistributedDataParallel averages gradients in backward())")
        if cfg.sync_batchnorm:
            if self.device.type != "cuda":
                raise ValueError("sync_batchnorm needs CUDA GPUs (torch.nn.SyncBatchNorm); "
                                 "train without it on CPUs")
            model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
        ids = [self.device.index] if self.device.type == "cuda" else None
        return DDP(model, device_ids=ids, **NO_BUFFER_SYNC)

    @property
    def is_main(self) -> bool:
        return self.world.main

    def _barrier(self) -> None:
        distributed.barrier(self.world)

    def _shard(self, x):
        """This process's rows of a global batch x (all of x in one process)."""
        if self.world.size == 1:
            return x
        n = x.shape[0] // self.world.size
        return x[self.world.rank * n:(self.world.rank + 1) * n]

    # ---- one training step -------------------------------------------------
    def _autocast(self):
        if self.config.mixed_precision is None:
            return contextlib.nullcontext()
        dtype = torch.bfloat16 if self.config.mixed_precision == "bf16" else torch.float16
        return torch.autocast(self.device.type, dtype=dtype)

    def _noise(self, n):
        """Noise (and labels) for this process's n rows: every process draws the global
        batch with the same generator and keeps its shard."""
        n_all = n * self.world.size
        z = self._shard(torch.randn(n_all, self.config.latent_dim, generator=self.gen, device=self.device))
        if not self.n_classes:
            return z, ()
        y = torch.randint(0, self.n_classes, (n_all,), generator=self.gen, device=self.device)
        return z, (self._shard(y),)

    def _augment(self, x):
        """x as D sees it: moved by random shifts with config.augment, else x itself."""
        if self.config.augment is None:
            return x
        s = max_shift(x.shape[-1])
        return diffaug.translate(x, diffaug.random_shifts(x.shape[0], s, self.gen), s)

    def _scores(self, real, y_real, fake, y_fake):
        """D's float32 outputs on the real and the generated batch, in two passes (on a
        CPU, faster for the DCGAN than one pass on both, and G's backward in the
        simultaneous step then goes through the fake pass only)."""
        return (self.D_train(self._augment(real), *y_real).float(),
                self.D_train(self._augment(fake), *y_fake).float())

    def _d_loss(self, real, y_real, fake, y_fake):
        """D's loss (with penalties) on a real and a generated batch, and D's outputs."""
        with self._autocast():
            real_out, fake_out = self._scores(real, y_real, fake, y_fake)
            loss = self.d_loss_fn(real_out, fake_out)

        def critic(x):  # D as a function of the samples alone, for the penalties
            return self.D(x, *y_real)

        loss = with_penalties(loss, self.config, lambda: gradient_penalty(critic, real, fake.detach()),
                              lambda: r1_penalty(critic, real))
        return loss, real_out, fake_out

    def _apply(self, model, opt, scaler, loss=None, grads=None):
        """One optimiser step from `loss` (backward) or from precomputed (scaled) `grads`."""
        opt.zero_grad(set_to_none=True)
        if grads is None:
            scaler.scale(loss).backward()
        else:
            for p, g in zip(model.parameters(), grads):
                p.grad = g
        scaler.step(opt)
        scaler.update()
        if model is self.D and self.config.clip_value is not None:
            clip_weights(self.D, self.config.clip_value)

    def _d_step(self, real, y_real, fake, y_fake):
        """One D update on a real batch and a (detached) generated batch."""
        loss, real_out, fake_out = self._d_loss(real, y_real, fake, y_fake)
        self._apply(self.D, self.opt_d, self.scaler_d, loss)
        return loss.detach(), real_out.detach(), fake_out.detach()

    def _g_step(self, fake, y_fake):
        """One G update, scoring `fake` (still attached to G's graph) with the updated D."""
        self.D.requires_grad_(False)  # no D weight gradients in the G step
        with self._autocast():
            loss = self.g_loss_fn(self.D(self._augment(fake), *y_fake).float())
        self._apply(self.G, self.opt_g, self.scaler_g, loss)
        self.D.requires_grad_(True)
        return loss.detach()

    def _joint_step(self, real, y_real, z, y_fake):
        """update="simultaneous": D's and G's gradients from one forward pass, then both steps."""
        with self._autocast():
            fake = self.G_train(z, *y_fake)
        d_loss, real_out, fake_out = self._d_loss(real, y_real, fake, y_fake)
        g_loss = self.g_loss_fn(fake_out)
        d_grads = torch.autograd.grad(self.scaler_d.scale(d_loss), list(self.D.parameters()),
                                      retain_graph=True)
        g_grads = torch.autograd.grad(self.scaler_g.scale(g_loss), list(self.G.parameters()))
        self._apply(self.D, self.opt_d, self.scaler_d, grads=d_grads)
        self._apply(self.G, self.opt_g, self.scaler_g, grads=g_grads)
        return d_loss.detach(), g_loss.detach(), real_out.detach(), fake_out.detach()

    def _train_step(self, reals, labels):
        """reals: (n_critic, B, ...) on the device; labels (n_critic, B) or None.

        Alternating: the G step reuses the fakes of the last D step (as
        pytorch/examples does), so G runs forward once per D step.
        Simultaneous: the last D step and the G step share one forward pass.
        Returns a tensor [d_loss, g_loss, d_real, d_fake] (not synchronised)."""
        n = self.config.n_critic
        joint = self.config.update == "simultaneous"
        for i in range(n):
            y_real = (labels[i],) if labels is not None else ()
            z, y_fake = self._noise(reals.shape[1])
            if joint and i == n - 1:
                d_loss, g_loss, real_out, fake_out = self._joint_step(reals[i], y_real, z, y_fake)
                break
            with torch.set_grad_enabled(i == n - 1), self._autocast():
                fake = self.G_train(z, *y_fake)
            d_loss, real_out, fake_out = self._d_step(reals[i], y_real, fake.detach(), y_fake)
        if not joint:
            g_loss = self._g_step(fake, y_fake)
        if self.probabilities:
            real_out, fake_out = torch.sigmoid(real_out), torch.sigmoid(fake_out)
        return torch.stack([d_loss, g_loss, real_out.mean(), fake_out.mean()])

    @torch.no_grad()
    def _ema_update(self, decay: float):
        """G_ema <- decay * G_ema + (1 - decay) * G; BatchNorm statistics copied."""
        torch._foreach_lerp_(list(self.G_ema.parameters()), list(self.G.parameters()), 1.0 - decay)
        for avg, b in zip(self.G_ema.buffers(), self.G.buffers()):
            avg.copy_(b)

    # ---- data on the device ------------------------------------------------
    def _prepare(self, x, y):
        data = torch.from_numpy(to_native(np.asarray(x, np.float32))).to(self.device)
        if data.ndim == 4:
            data = data.contiguous(memory_format=self.memory_format)
        labels = torch.as_tensor(y, dtype=torch.long, device=self.device) if y is not None else None
        return data, labels

    def _permutation(self, n):
        return torch.randperm(n, generator=self.gen, device=self.device)

    def _batches(self, data, labels):
        pos = self._next_position(len(data))
        n, b = self.config.n_critic, self.config.batch_size
        idx = self.cursor.perm[pos:pos + n * b].view(n, b)
        if self.world.size > 1:  # every process has the same permutation; each takes its columns
            shard = b // self.world.size
            idx = idx[:, self.world.rank * shard:(self.world.rank + 1) * shard]
        return data[idx], (labels[idx] if labels is not None else None)

    # ---- the backend's part of the loop (see ganbook.train.loop) -----------
    def _step(self, data):
        return self._step_fn(*self._batches(*data))

    def _rows(self, buffer):
        """The buffered step statistics as Python floats, averaged over the processes."""
        return distributed.mean_over_ranks(torch.stack(buffer).float(), self.world).cpu().tolist()

    def _set_learning_rates(self, lr_g, lr_d):
        for opt, lr in ((self.opt_g, lr_g), (self.opt_d, lr_d)):
            for group in opt.param_groups:
                group["lr"] = lr
