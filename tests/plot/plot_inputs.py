"""Small deterministic inputs shared by the ganbook.plot tests (not a test module)."""
import io

import matplotlib

matplotlib.use("Agg")

import numpy as np

from ganbook import plot
from ganbook.data import mixture


def random_images(n=6, h=5, w=4, c=1, seed=0):
    """n images (n, h, w, c) uniform in [-1, 1]."""
    return np.random.default_rng(seed).uniform(-1, 1, (n, h, w, c)).astype(np.float32)


def fake_history(n=30):
    """A Trainer.fit history of n logged steps with random values."""
    rng = np.random.default_rng(1)
    return {"step": list(range(1, n + 1)), "d_loss": rng.random(n).tolist(), "g_loss": rng.random(n).tolist(),
            "d_real": rng.random(n).tolist(), "d_fake": rng.random(n).tolist()}


def ring(n=200):
    """(samples (n, 2), centers (8, 2), std) of the ring mixture."""
    return mixture("ring", n)


def logistic_d(p):
    """A 2-D discriminator (m, 2) -> (m,) in (0, 1), deciding on x_1."""
    return 1 / (1 + np.exp(-p[:, 0] * 3))


def gaussians_1d():
    """(grid x (101,), p_data, p_g): two unnormalised 1-D Gaussians."""
    x = np.linspace(-4, 4, 101)
    return x, np.exp(-(x - 1) ** 2 / 2), np.exp(-(x + 1) ** 2 / 2) / 2


def png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata=plot.PNG_METADATA)
    return buf.getvalue()
