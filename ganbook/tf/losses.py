"""GAN losses in TensorFlow (mirror of ganbook/torch/losses.py).

Every function takes discriminator outputs as logits or raw scores (N, 1) and
returns a scalar to minimise. Notation as in chapters 2 and 7: x ~ p_data, z ~ p_z,
G(z) ~ p_g; sigma is the logistic sigmoid, and for the cross-entropy losses D = sigma(logit).
"""
from __future__ import annotations

import tensorflow as tf


def _mean(x):
    return tf.reduce_mean(x)


def d_loss_bce(real_logits, fake_logits):
    """D cross-entropy: -E_x[log D(x)] - E_z[log(1 - D(G(z)))], D = sigma(logit).

    Its optimum is D*(x) = p_data(x) / (p_data(x) + p_g(x)) (chapter 2).
    """
    return _mean(tf.nn.softplus(-real_logits)) + _mean(tf.nn.softplus(fake_logits))


def g_loss_minimax(fake_logits):
    """Saturating (original minimax) G loss: E_z[log(1 - D(G(z)))]. Vanishes when D wins.

    With D held at its optimum D*, its gradient in G is that of V(D*, G) = 2 JSD(p_data || p_g) - log 4.
    """
    return -_mean(tf.nn.softplus(fake_logits))


def g_loss_nonsaturating(fake_logits):
    """Non-saturating G loss: -E_z[log D(G(z))]. Strong gradients when D(G(z)) -> 0."""
    return _mean(tf.nn.softplus(-fake_logits))


def d_loss_lsgan(real_scores, fake_scores):
    """Least squares D loss (LSGAN with targets a = 0, b = 1; D is the raw score):
    1/2 E_x[(D(x) - 1)^2] + 1/2 E_z[D(G(z))^2]. Optimum D*(x) = p_data / (p_data + p_g).
    """
    return 0.5 * _mean((real_scores - 1) ** 2) + 0.5 * _mean(fake_scores ** 2)


def g_loss_lsgan(fake_scores):
    """Least squares G loss (target c = 1): 1/2 E_z[(D(G(z)) - 1)^2]."""
    return 0.5 * _mean((fake_scores - 1) ** 2)


def d_loss_wasserstein(real_scores, fake_scores):
    """Wasserstein critic loss: E_z[D(G(z))] - E_x[D(x)].

    Over 1-Lipschitz critics D its minimum is -W1(p_data, p_g) (Kantorovich-Rubinstein);
    keep D Lipschitz with gradient_penalty, clip_weights or spectral normalisation.
    """
    return _mean(fake_scores) - _mean(real_scores)


def g_loss_wasserstein(fake_scores):
    """Wasserstein G loss: -E_z[D(G(z))]."""
    return -_mean(fake_scores)


def d_loss_hinge(real_scores, fake_scores):
    """Hinge D loss: E_x[max(0, 1 - D(x))] + E_z[max(0, 1 + D(G(z)))].

    Optimum D*(x) = sign(p_data(x) - p_g(x)), where the loss equals 2 - 2 TV(p_data, p_g).
    """
    return _mean(tf.nn.relu(1 - real_scores)) + _mean(tf.nn.relu(1 + fake_scores))


g_loss_hinge = g_loss_wasserstein  # hinge G loss: -E_z[D(G(z))]

# The losses TrainConfig.loss names: name -> (D loss, G loss). The Trainer also takes
# callables of the same signatures: d_loss(real_out, fake_out), g_loss(fake_out).
LOSSES = {
    "nonsaturating": (d_loss_bce, g_loss_nonsaturating),
    "minimax": (d_loss_bce, g_loss_minimax),
    "lsgan": (d_loss_lsgan, g_loss_lsgan),
    "wgan": (d_loss_wasserstein, g_loss_wasserstein),
    "hinge": (d_loss_hinge, g_loss_hinge),
}


def _grad_norm_sq(critic, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(tf.cast(critic(x), tf.float32))
    grad = tape.gradient(total, x)
    return tf.reduce_sum(tf.reshape(grad, [tf.shape(grad)[0], -1]) ** 2, axis=1)  # (N,)


def gradient_penalty(critic, real, fake, eps=None):
    """WGAN-GP penalty E[(||grad_x D(x_hat)||_2 - 1)^2], x_hat = eps*x + (1-eps)*G(z).

    One eps ~ U(0, 1) per sample (any number of channels or dimensions); pass
    `eps` of shape (N,) to fix it. The norm is sqrt(sum g^2 + 1e-12), so the
    penalty and its gradient stay finite when the gradient is zero. Computed in fp32.
    """
    real = tf.cast(real, tf.float32)
    fake = tf.stop_gradient(tf.cast(fake, tf.float32))
    if eps is None:
        eps = tf.random.uniform([tf.shape(real)[0]])
    eps = tf.reshape(tf.cast(eps, tf.float32), [-1] + [1] * (len(real.shape) - 1))
    x_hat = eps * real + (1 - eps) * fake
    norm = tf.sqrt(_grad_norm_sq(critic, x_hat) + 1e-12)
    return _mean((norm - 1) ** 2)


def r1_penalty(critic, real):
    """R1 penalty E_x[||grad_x D(x)||^2] on real data; the trainer scales it by gamma/2."""
    return _mean(_grad_norm_sq(critic, tf.stop_gradient(tf.cast(real, tf.float32))))


def clip_weights(model, value: float):
    """Clip every trainable weight to [-value, value] (the original WGAN's Lipschitz constraint)."""
    for w in model.trainable_weights:
        w.assign(tf.clip_by_value(w, -value, value))
