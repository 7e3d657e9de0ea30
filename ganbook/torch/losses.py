"""GAN losses in PyTorch (mirrored in ganbook/tf/losses.py).

Every function takes discriminator outputs as logits or raw scores (N, 1) and
returns a scalar to minimise. Notation as in chapters 2 and 7: x ~ p_data, z ~ p_z,
G(z) ~ p_g; sigma is the logistic sigmoid, and for the cross-entropy losses D = sigma(logit).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def d_loss_bce(real_logits, fake_logits):
    """D cross-entropy: -E_x[log D(x)] - E_z[log(1 - D(G(z)))], D = sigma(logit).

    Its optimum is D*(x) = p_data(x) / (p_data(x) + p_g(x)) (chapter 2).
    """
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss_minimax(fake_logits):
    """Saturating (original minimax) G loss: E_z[log(1 - D(G(z)))]. Vanishes when D wins.

    With D held at its optimum D*, its gradient in G is that of V(D*, G) = 2 JSD(p_data || p_g) - log 4.
    """
    return -F.softplus(fake_logits).mean()


def g_loss_nonsaturating(fake_logits):
    """Non-saturating G loss: -E_z[log D(G(z))]. Strong gradients when D(G(z)) -> 0."""
    return F.softplus(-fake_logits).mean()


def d_loss_lsgan(real_scores, fake_scores):
    """Least squares D loss (LSGAN with targets a = 0, b = 1; D is the raw score):
    1/2 E_x[(D(x) - 1)^2] + 1/2 E_z[D(G(z))^2]. Optimum D*(x) = p_data / (p_data + p_g).
    """
    return 0.5 * ((real_scores - 1) ** 2).mean() + 0.5 * (fake_scores ** 2).mean()


def g_loss_lsgan(fake_scores):
    """Least squares G loss (target c = 1): 1/2 E_z[(D(G(z)) - 1)^2]."""
    return 0.5 * ((fake_scores - 1) ** 2).mean()


def d_loss_wasserstein(real_scores, fake_scores):
    """Wasserstein critic loss: E_z[D(G(z))] - E_x[D(x)].

    Over 1-Lipschitz critics D its minimum is -W1(p_data, p_g) (Kantorovich-Rubinstein);
    keep D Lipschitz with gradient_penalty, clip_weights or spectral normalisation.
    """
    return fake_scores.mean() - real_scores.mean()


def g_loss_wasserstein(fake_scores):
    """Wasserstein G loss: -E_z[D(G(z))]."""
    return -fake_scores.mean()


def d_loss_hinge(real_scores, fake_scores):
    """Hinge D loss: E_x[max(0, 1 - D(x))] + E_z[max(0, 1 + D(G(z)))].

    Optimum D*(x) = sign(p_data(x) - p_g(x)), where the loss equals 2 - 2 TV(p_data, p_g).
    """
    return F.relu(1 - real_scores).mean() + F.relu(1 + fake_scores).mean()


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


def _grad_norm_sq(outputs, inputs):
    (grad,) = torch.autograd.grad(outputs.sum(), inputs, create_graph=True)
    return grad.flatten(1).pow(2).sum(1)  # (N,)


def gradient_penalty(critic, real, fake, eps=None):
    """WGAN-GP penalty E[(||grad_x D(x_hat)||_2 - 1)^2], x_hat = eps*x + (1-eps)*G(z).

    One eps ~ U(0, 1) per sample (any number of channels or dimensions); pass
    `eps` of shape (N,) to fix it. The norm is sqrt(sum g^2 + 1e-12), so the
    penalty and its gradient stay finite when the gradient is zero. Computed in fp32.
    """
    real, fake = real.float(), fake.float()
    if eps is None:
        eps = torch.rand(real.shape[0], device=real.device)
    eps = eps.float().view(-1, *([1] * (real.dim() - 1)))
    x_hat = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
    with torch.autocast(real.device.type, enabled=False):
        norm = torch.sqrt(_grad_norm_sq(critic(x_hat).float(), x_hat) + 1e-12)
    return ((norm - 1) ** 2).mean()


def r1_penalty(critic, real):
    """R1 penalty E_x[||grad_x D(x)||^2] on real data; the trainer scales it by gamma/2."""
    real = real.float().detach().requires_grad_(True)
    with torch.autocast(real.device.type, enabled=False):
        return _grad_norm_sq(critic(real).float(), real).mean()


@torch.no_grad()
def clip_weights(model, value: float):
    """Clip every parameter to [-value, value] (the original WGAN's Lipschitz constraint)."""
    for p in model.parameters():
        p.clamp_(-value, value)
