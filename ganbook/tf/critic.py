"""The post-hoc critic for flat data and rejection sampling with it (TensorFlow; mirror of ganbook/torch/critic.py).

ganbook/studies/critic.py says what they do and why.
"""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ganbook.data.arrays import map_batches
from ganbook.nets.protocol import latent_dim_of
from ganbook.studies import critic as study
from ganbook.studies.critic import check_fit, check_flat, fourier_frequencies
from ganbook.tf.losses import d_loss_bce
from ganbook.tf.models import MLPDiscriminator
from ganbook.tf.rng import RandomState
from ganbook.tf.sampling import sample


class FourierCritic(keras.Model):
    """x (N, in_dim) -> logits (N, 1), as ganbook.torch.critic.FourierCritic (the same
    frequencies for the same seed)."""

    def __init__(self, in_dim=2, features=128, scale=3.0, hidden=(256, 256), seed=0):
        super().__init__()
        self.freqs = tf.constant(fourier_frequencies(in_dim, features, scale, seed))
        self.net = MLPDiscriminator(in_dim=2 * features, hidden=hidden)

    def call(self, x, training=False):
        phase = 2 * np.pi * tf.matmul(tf.cast(x, tf.float32), self.freqs)
        return self.net(tf.concat([tf.sin(phase), tf.cos(phase)], axis=1), training=training)


def fit_critic(G, x, steps: int = 1500, batch_size: int = 1024, lr: float = 1e-3,
               seed: int = 0, **critic_kwargs):
    """Train a FourierCritic on real flat data x (N, d) against samples of the frozen G,
    as ganbook.torch.critic.fit_critic does (on a random state of its own: the caller's
    global state is left as it was). Returns (critic, history {"step", "loss"}).
    """
    real = check_fit(G, x, steps)
    with RandomState(seed).active():
        critic = FourierCritic(real.shape[1], seed=seed, **critic_kwargs)
        losses = _train_critic(critic, G, tf.constant(real), steps, batch_size, lr, seed)
    return critic, {"step": list(range(1, steps + 1)), "loss": losses}


def _train_critic(critic, G, real, steps, batch_size, lr, seed) -> list[float]:
    """fit_critic's loop: the critic trained in place; returns the loss per step."""
    decay = keras.optimizers.schedules.PolynomialDecay(lr, steps, end_learning_rate=0.0)
    opt = keras.optimizers.Adam(decay, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    gen = tf.random.Generator.from_seed(seed)

    @tf.function
    def step_fn():
        idx = gen.uniform([batch_size], 0, real.shape[0], dtype=tf.int32)
        fake = G(gen.normal([batch_size, latent_dim_of(G)]), training=False)
        with tf.GradientTape() as tape:
            loss = d_loss_bce(critic(tf.gather(real, idx), training=True), critic(fake, training=True))
        opt.apply_gradients(zip(tape.gradient(loss, critic.trainable_weights), critic.trainable_weights))
        return loss

    losses = [step_fn() for _ in range(steps)]
    return tf.stack(losses).numpy().tolist()


def critic_logits(critic, x, batch_size: int = 10_000) -> np.ndarray:
    """The critic's logits, log p_data / p_G, for flat x (N, d) -> float32 (N,)."""
    run = lambda xb: critic(xb, training=False).numpy().reshape(-1)  # noqa: E731
    return map_batches(run, check_flat(x), batch_size=batch_size)


def rejection_sample(G, critic, n: int, seed: int = 0, quantile: float = 0.99):
    """n samples of G kept by the critic's density ratio (ganbook.studies.critic.accept_reject).

    Returns (samples float32 (n, d), acceptance rate).
    """
    return study.rejection_sample(G, critic, n, seed, quantile, sample=sample, critic_logits=critic_logits)
