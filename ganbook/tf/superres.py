"""A super-resolution GAN (TensorFlow; mirror of ganbook/torch/superres.py, whose
docstring describes the generator and the training recipe)."""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganbook.data.arrays import map_batches
from ganbook.studies.superres import downsample
from ganbook.tf.device import pick_device
from ganbook.tf.losses import d_loss_bce, g_loss_nonsaturating
from ganbook.tf.models import SLOPE, DCGANDiscriminator
from ganbook.tf.rng import RandomState


class SRGenerator(keras.Model):
    """(N, h, w, C) in [-1, 1] -> (N, factor*h, factor*w, C) in [-1, 1].

    bilinear upsampling + residual: `blocks` 3x3 convolutions of `features`
    channels with LeakyReLU, a last 3x3 convolution back to C channels
    (initialised to zero), and the sum clipped to [-1, 1].
    """

    def __init__(self, channels=1, features=32, blocks=3, factor=2):
        super().__init__()
        self.factor = factor
        init = keras.initializers.RandomNormal(0.0, 0.02)
        convs = []
        for _ in range(blocks):
            convs += [layers.Conv2D(features, 3, padding="same", kernel_initializer=init),
                      layers.LeakyReLU(SLOPE)]
        self.net = keras.Sequential([keras.Input((None, None, channels)), *convs,
                                     layers.Conv2D(channels, 3, padding="same", kernel_initializer="zeros")])

    def call(self, x, training=False):
        h, w = x.shape[1], x.shape[2]
        up = tf.image.resize(x, (h * self.factor, w * self.factor), method="bilinear")
        return tf.clip_by_value(up + self.net(up, training=training), -1.0, 1.0)


def superresolve(G: SRGenerator, images, batch_size: int = 500) -> np.ndarray:
    """G applied to low-resolution images (N, h, w, C) in [-1, 1] (shared layout), in batches,
    in inference mode -> float32 (N, factor*h, factor*w, C) in [-1, 1]."""
    run = lambda xb: G(xb, training=False).numpy()  # noqa: E731
    return map_batches(run, np.asarray(images, np.float32), batch_size=batch_size)


def train_superres(images, steps: int, factor: int = 2, batch_size: int = 64, lr: float = 2e-4,
                   adv_weight: float = 1e-2, seed: int = 0, device=None):
    """Train an SRGenerator on high-resolution images (N, H, W, C) in [-1, 1].

    The inputs are the images average-pooled by `factor`. Each step: one D update
    on real high-resolution images against G's outputs (skipped when adv_weight
    is 0: a pure pixel-loss generator), then one G update on
    L1(G(x_low), x_high) + adv_weight * non-saturating loss. Adam (0.5, 0.999).
    The seed fixes the initial weights and the batches, on a random state of its
    own (the caller's global state is left as it was).
    Returns (G, history dict of lists: step, pixel, adversarial, d_loss).
    """
    hr = np.asarray(images, np.float32)
    size, channels = hr.shape[1], hr.shape[3]
    with tf.device(pick_device(device)), RandomState(seed).active():
        x_hr, x_lr = tf.constant(hr), tf.constant(downsample(hr, factor))
        G, D = SRGenerator(channels, factor=factor), DCGANDiscriminator(channels, size)
        values = _train(G, D, x_lr, x_hr, steps, batch_size, lr, adv_weight, seed)
    history = {"step": list(range(1, steps + 1)), **dict(zip(("pixel", "adversarial", "d_loss"), values))}
    return G, history


def _train(G, D, x_lr, x_hr, steps, batch_size, lr, adv_weight, seed) -> list[list[float]]:
    """train_superres's loop: G and D trained in place; returns [pixel, adversarial, d_loss],
    each a list of one value per step."""
    opt_g = keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.999, epsilon=1e-8)
    opt_d = keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.999, epsilon=1e-8)
    gen = tf.random.Generator.from_seed(seed)

    @tf.function
    def step_fn():
        idx = gen.uniform([batch_size], 0, x_hr.shape[0], dtype=tf.int32)
        low, high = tf.gather(x_lr, idx), tf.gather(x_hr, idx)
        d_loss = adv = tf.zeros(())
        if adv_weight:
            with tf.GradientTape() as tape:
                fake = G(low, training=True)
                d_loss = d_loss_bce(D(high, training=True), D(tf.stop_gradient(fake), training=True))
            opt_d.apply_gradients(zip(tape.gradient(d_loss, D.trainable_weights), D.trainable_weights))
        with tf.GradientTape() as tape:
            fake = G(low, training=True)
            pixel = tf.reduce_mean(tf.abs(fake - high))
            if adv_weight:
                adv = g_loss_nonsaturating(D(fake, training=True))
            loss = pixel + adv_weight * adv
        opt_g.apply_gradients(zip(tape.gradient(loss, G.trainable_weights), G.trainable_weights))
        return tf.stack([pixel, adv, d_loss])

    rows = [step_fn().numpy().tolist() for _ in range(steps)]  # per step [pixel, adversarial, d_loss]
    return [list(column) for column in zip(*rows)] if rows else [[], [], []]
