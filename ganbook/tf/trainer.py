"""The GAN trainer (TensorFlow; mirror of ganbook/torch/trainer.py).

One `step` is one generator update preceded by `n_critic` discriminator
updates, compiled with tf.function (and XLA when config.compile). The data set
is copied to the device once; batches are gathered there.

Built inside a tf.distribute strategy's scope (MirroredStrategy: the GPUs of one
machine), the trainer is data parallel: each replica takes its shard of every
batch (batch_size is the global batch), the optimisers sum the replicas'
gradients of losses divided by the number of replicas, and the losses are those
of one device with the whole batch.
"""
from __future__ import annotations

import contextlib

import keras
import numpy as np
import tensorflow as tf

from ganbook.config import TrainConfig
from ganbook.train.diffaug import max_shift
from ganbook.train.loop import TrainingLoop, check_networks, resolve_network, resolve_networks
from ganbook.train.parallel import require_divisible
from ganbook.train.penalties import with_penalties
from ganbook.tf import checkpoint, diffaug, losses, sampling
from ganbook.tf.device import pick_device
from ganbook.tf.losses import clip_weights, gradient_penalty, r1_penalty
from ganbook.tf.models import PackedDiscriminator, build_models, create_weights
from ganbook.tf.rng import RandomState
from ganbook.tf.sampling import to_native

POLICIES = {None: "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}


@contextlib.contextmanager
def _policy(config):
    """Keras's dtype policy for config.mixed_precision within the block, the previous one after."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(POLICIES[config.mixed_precision])
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def _build(config):
    """build_models under the config's dtype policy."""
    with _policy(config):
        return build_models(config)


def _copyable(G) -> bool:
    """Whether keras.models.clone_model rebuilds G faithfully: Sequential and functional models."""
    return isinstance(G, keras.Sequential) or type(G).__name__ == "Functional"


def _adam(lr, betas, fp16):
    opt = keras.optimizers.Adam(lr, beta_1=betas[0], beta_2=betas[1], epsilon=1e-8)
    return keras.optimizers.LossScaleOptimizer(opt) if fp16 else opt


def _check_distributable(config, replicas: int) -> None:
    require_divisible(config.batch_size, replicas, "replicas")
    if config.clip_value is not None:
        raise ValueError("clip_value (weight clipping) is not supported with tf.distribute; "
                         "use gp_weight (WGAN-GP) instead")
    if config.sync_batchnorm:
        raise ValueError("sync_batchnorm is not supported by the TensorFlow backend yet; "
                         "train without it (each replica normalises over its own shard)")


class Trainer(TrainingLoop):
    """Train a GAN: the config's model, or your own networks.

        trainer = Trainer(TrainConfig(model="toy", dataset="ring", steps=2000), out_dir="runs/ring")
        trainer = Trainer(TrainConfig(latent_dim=16), G=MyGenerator(), D=MyDiscriminator())
        history = trainer.fit(x)          # x: float32 NumPy, shared layout

    G, D: keras.Model networks (or functions returning them) that keep the
    contract of ganbook.train.loop.TrainingLoop; with config.ema, G must be a
    function (Keras cannot copy a subclassed model, and the average needs a
    second G). Without them, config.model is built for config.dataset (under
    config.mixed_precision's dtype policy), its initial weights drawn from config.seed.
    d_loss, g_loss: loss callables instead of config.loss's.
    device: "/CPU:0", "/GPU:0", ..., or None for the best there is.
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
        self.device = pick_device(device)
        fp16 = config.mixed_precision == "fp16"
        if fp16 and "GPU" not in self.device.upper():
            raise ValueError("mixed_precision='fp16' needs a GPU; use 'bf16' or None here")
        self.strategy = tf.distribute.get_strategy()  # the default (one device) outside any scope
        self.replicas = self.strategy.num_replicas_in_sync
        if self.replicas > 1:
            _check_distributable(config, self.replicas)
        self.rng = RandomState(config.seed)
        with tf.device(self.device), self.strategy.scope(), self.rng.active():
            self.G, self.D = self._networks(G, D)
            self.G_ema = self._average_of(G) if config.ema else None
            self.opt_g = _adam(config.lr_g, config.betas, fp16)
            self.opt_d = _adam(config.lr_d, config.betas, fp16)
            self.opt_g.build(self.G.trainable_variables)
            self.opt_d.build(self.D.trainable_variables)
            # One stream, drawn from outside the replicas for the global batch (see _train_step).
            self.gen = tf.random.Generator.from_seed(config.seed)
        self._step_fn = tf.function(self._train_step, jit_compile=config.compile)
        self._ema_fn = tf.function(self._ema_assign)

    def _networks(self, G, D):
        """(G, D), built: yours (D packed when config.pack > 1), or config.model's."""
        if G is None:
            return _build(self.config)
        with _policy(self.config):  # networks built here (by functions) follow mixed_precision
            G, D = resolve_networks(G, D, keras.Model, PackedDiscriminator, self.config.pack)
            create_weights(G, D, self.config.latent_dim, n=2 * self.config.pack)
        if self.replicas > 1 and not all(self.strategy.extended.variable_created_in_scope(v)
                                         for v in G.weights + D.weights):
            raise ValueError("under tf.distribute, pass G and D as functions that build them, so that "
                             "their weights are made in the strategy's scope")
        return G, D

    def _average_of(self, G):
        """G_ema: a second generator holding G's weights (built like G, or by the factory G)."""
        if G is None:
            G_ema = _build(self.config)[0]
        elif isinstance(G, keras.Model) and not _copyable(G):
            raise ValueError("config.ema needs a second copy of G, and Keras cannot copy a subclassed "
                             "model: pass G as a function that builds it, e.g. G=lambda: MyGenerator()")
        else:
            with _policy(self.config):
                G_ema = keras.models.clone_model(G) if isinstance(G, keras.Model) else resolve_network(
                    G, keras.Model, "G")
                create_weights(G_ema, None, self.config.latent_dim)
        if [tuple(w.shape) for w in G_ema.weights] != [tuple(w.shape) for w in self.G.weights]:
            raise ValueError("the function G built generators with different weights on two calls; "
                             "it must build the same network each time")
        for avg, w in zip(G_ema.weights, self.G.weights):
            avg.assign(w)
        return G_ema

    # ---- one training step -------------------------------------------------
    def _noise(self, n):
        z = self.gen.normal([n, self.config.latent_dim])
        if not self.n_classes:
            return z, ()
        return z, (self.gen.uniform([n], 0, self.n_classes, dtype=tf.int32),)

    def _scaled(self, opt, loss):
        """The loss to differentiate (call inside the tape): divided by the number of
        replicas, whose gradients the optimiser sums; scaled by fp16's LossScaleOptimizer."""
        if self.replicas > 1:
            loss = loss / self.replicas
        if isinstance(opt, keras.optimizers.LossScaleOptimizer):
            return opt.scale_loss(loss)
        return loss

    def _apply(self, opt, grads, variables):
        opt.apply_gradients(zip(grads, variables))
        if opt is self.opt_d and self.config.clip_value is not None:
            clip_weights(self.D, self.config.clip_value)

    def _augment(self, x):
        """x as D sees it: moved by random shifts with config.augment, else x itself."""
        if self.config.augment is None:
            return x
        s = max_shift(x.shape[2])
        return diffaug.translate(x, diffaug.random_shifts(tf.shape(x)[0], s, self.gen), s)

    def _scores(self, real, y_real, fake, y_fake):
        """D's float32 outputs on the real and the generated batch, in two passes (on a
        CPU, faster for the DCGAN than one pass on both, and G's backward in the
        simultaneous step then goes through the fake pass only)."""
        return [tf.cast(self.D(self._augment(x), *y, training=True), tf.float32)
                for x, y in ((real, y_real), (fake, y_fake))]

    def _d_loss(self, real, y_real, fake, y_fake, eps):
        """D's loss (with penalties) on a real and a generated batch, and D's outputs.
        eps: the gradient penalty's interpolation weights (N,), or None."""
        fake = tf.cast(fake, real.dtype)  # bf16/fp16 under mixed precision

        def critic(x):  # D as a function of the samples alone, for the penalties
            return self.D(x, *y_real, training=True)

        real_out, fake_out = self._scores(real, y_real, fake, y_fake)
        loss = self.d_loss_fn(real_out, fake_out)
        loss = with_penalties(loss, self.config, lambda: gradient_penalty(critic, real, tf.stop_gradient(fake), eps),
                              lambda: r1_penalty(critic, real))
        return loss, real_out, fake_out

    def _d_step(self, real, y_real, fake, y_fake, eps):
        """One D update on a real batch and a (gradient-stopped) generated batch."""
        with tf.GradientTape() as tape:
            loss, real_out, fake_out = self._d_loss(real, y_real, fake, y_fake, eps)
            scaled = self._scaled(self.opt_d, loss)
        variables = self.D.trainable_variables
        self._apply(self.opt_d, tape.gradient(scaled, variables), variables)
        return loss, real_out, fake_out

    def _g_step(self, tape, fake, y_fake):
        """One G update, scoring `fake` (recorded on `tape`) with the updated D."""
        with tape:
            loss = self.g_loss_fn(tf.cast(self.D(self._augment(fake), *y_fake, training=True), tf.float32))
            scaled = self._scaled(self.opt_g, loss)
        variables = self.G.trainable_variables
        self._apply(self.opt_g, tape.gradient(scaled, variables), variables)
        return loss

    def _joint_step(self, real, y_real, z, y_fake, eps):
        """update="simultaneous": D's and G's gradients from one forward pass, then both steps."""
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.G(z, *y_fake, training=True)
            d_loss, real_out, fake_out = self._d_loss(real, y_real, fake, y_fake, eps)
            g_loss = self.g_loss_fn(fake_out)
            d_scaled, g_scaled = self._scaled(self.opt_d, d_loss), self._scaled(self.opt_g, g_loss)
        d_vars, g_vars = self.D.trainable_variables, self.G.trainable_variables
        d_grads, g_grads = d_tape.gradient(d_scaled, d_vars), g_tape.gradient(g_scaled, g_vars)
        self._apply(self.opt_d, d_grads, d_vars)  # both gradients first, then both updates
        self._apply(self.opt_g, g_grads, g_vars)
        return d_loss, g_loss, real_out, fake_out

    def _train_step(self, data, labels, perm, pos):
        """data: the device-resident data set; perm[pos:pos + n_critic*B]: this step's indices.

        Gathers the n_critic global batches and draws all of the step's random
        numbers, then updates (each replica on its shard when distributed).
        Returns a tensor [d_loss, g_loss, d_real, d_fake]."""
        n, b = self.config.n_critic, self.config.batch_size
        idx = tf.reshape(perm[pos:pos + n * b], [n, b])
        batches = []
        for i in range(n):  # per D step: the real batch, then noise (and labels), then GP's eps
            real = tf.gather(data, idx[i])
            y_real = (tf.gather(labels, idx[i]),) if labels is not None else ()
            z, y_fake = self._noise(b)
            eps = self.gen.uniform([b]) if self.config.gp_weight else None
            batches.append((real, y_real, z, y_fake, eps))
        if self.replicas == 1:
            stats = self._update(batches)
        else:
            stats = self.strategy.reduce(tf.distribute.ReduceOp.MEAN,
                                         self.strategy.run(self._replica_update, args=(batches,)), axis=None)
        return stats

    def _ema_update(self, decay: float):
        """G_ema <- decay * G_ema + (1 - decay) * G; BatchNorm statistics copied (outside the replicas)."""
        self._ema_fn(tf.constant(decay, tf.float32))

    def _ema_assign(self, decay):
        for avg, w in zip(self.G_ema.trainable_weights, self.G.trainable_weights):
            avg.assign(decay * avg + (1.0 - decay) * w)
        for avg, w in zip(self.G_ema.non_trainable_weights, self.G.non_trainable_weights):
            avg.assign(w)

    def _replica_update(self, batches):
        """_update on this replica's rows of every global batch."""
        shard = self.config.batch_size // self.replicas
        start = tf.distribute.get_replica_context().replica_id_in_sync_group * shard
        return self._update(tf.nest.map_structure(
            lambda t: None if t is None else t[start:start + shard], batches))

    def _update(self, batches):
        """The n_critic D updates and the G update on batches [(real, y_real, z, y_fake, eps)].

        Alternating: the G step reuses the fakes of the last D step, so G runs
        forward once per D step. Simultaneous: the last D step and the G step
        share one forward pass."""
        n = len(batches)
        joint = self.config.update == "simultaneous"
        for i, (real, y_real, z, y_fake, eps) in enumerate(batches):
            if joint and i == n - 1:
                d_loss, g_loss, real_out, fake_out = self._joint_step(real, y_real, z, y_fake, eps)
                break
            g_tape = tf.GradientTape()
            if i == n - 1:
                with g_tape:
                    fake = self.G(z, *y_fake, training=True)
            else:
                fake = self.G(z, *y_fake, training=True)
            d_loss, real_out, fake_out = self._d_step(real, y_real, tf.stop_gradient(fake), y_fake, eps)
        if not joint:
            g_loss = self._g_step(g_tape, fake, y_fake)
        if self.probabilities:
            real_out, fake_out = tf.sigmoid(real_out), tf.sigmoid(fake_out)
        return tf.stack([d_loss, g_loss, tf.reduce_mean(real_out), tf.reduce_mean(fake_out)])

    # ---- data on the device ------------------------------------------------
    def _prepare(self, x, y):
        with tf.device(self.device):
            data = tf.constant(to_native(np.asarray(x, np.float32)))
            labels = tf.constant(np.asarray(y), tf.int32) if y is not None else None
        return data, labels

    def _permutation(self, n):
        with tf.device(self.device):
            return tf.argsort(self.gen.uniform([n]))

    # ---- the backend's part of the loop (see ganbook.train.loop) -----------
    def _step(self, data):
        data, labels = data
        pos = self._next_position(int(data.shape[0]))
        return self._step_fn(data, labels, self.cursor.perm, tf.constant(pos, tf.int32))

    def _rows(self, buffer):
        return tf.stack(buffer).numpy().astype(np.float64).tolist()

    @property
    def is_main(self) -> bool:
        """False only on the workers of a multi-worker strategy other than the chief
        (task "chief", else worker 0), which alone writes checkpoints."""
        resolver = getattr(self.strategy, "cluster_resolver", None)
        if resolver is None or not resolver.task_type:
            return True
        if resolver.task_type == "chief":
            return True
        has_chief = "chief" in resolver.cluster_spec().as_dict()
        return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief

    def _barrier(self) -> None:
        """Wait for every replica (every worker): an all-reduce of a scalar."""
        if self.replicas > 1:
            self.strategy.reduce(tf.distribute.ReduceOp.SUM, self.strategy.run(lambda: tf.ones(())), axis=None)

    def _set_learning_rates(self, lr_g, lr_d):
        for opt, lr in ((self.opt_g, lr_g), (self.opt_d, lr_d)):
            opt.learning_rate.assign(lr)
