"""Networks a user might write, in each framework, for the tests of Trainer(G=, D=).

Deliberately not ganbook's classes: plain nn.Module / keras.Model subclasses that
only keep the documented contract (G: noise (N, latent_dim) -> samples; D: samples
-> (N, 1) logits; n_classes for a conditional G)."""
import numpy as np

LATENT = 8


def moons(n: int, seed: int = 0) -> np.ndarray:
    """Two interleaved half circles in 2-D (a data set the book never uses), float32 (n, 2)."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(t), 1 - np.cos(t)) - 0.5
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t)) - 0.25
    return (np.stack([x, y], 1) + rng.normal(0, 0.05, (n, 2))).astype(np.float32)


def torch_mlp(width: int = 64):
    """(G, D) as torch modules for 2-D points."""
    from torch import nn

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.latent_dim = LATENT
            self.net = nn.Sequential(nn.Linear(LATENT, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(),
                                     nn.Linear(width, 2))

        def forward(self, z):
            return self.net(z)

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(2, width), nn.LeakyReLU(0.2), nn.Linear(width, width),
                                     nn.LeakyReLU(0.2), nn.Linear(width, 1))

        def forward(self, x):
            return self.net(x)

    return Generator, Discriminator


def tf_mlp(width: int = 64):
    """(G, D) as Keras models for 2-D points."""
    import keras

    class Generator(keras.Model):
        def __init__(self):
            super().__init__()
            self.latent_dim = LATENT
            self.net = keras.Sequential([keras.layers.Dense(width, activation="relu"),
                                         keras.layers.Dense(width, activation="relu"), keras.layers.Dense(2)])

        def call(self, z, training=None):
            return self.net(z, training=training)

    class Discriminator(keras.Model):
        def __init__(self):
            super().__init__()
            self.net = keras.Sequential([keras.layers.Dense(width), keras.layers.LeakyReLU(0.2),
                                         keras.layers.Dense(width), keras.layers.LeakyReLU(0.2),
                                         keras.layers.Dense(1)])

        def call(self, x, training=None):
            return self.net(x, training=training)

    return Generator, Discriminator


def torch_conv():
    """(G, D) as torch modules for 32x32x3 images (channels-first inside torch)."""
    from torch import nn

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.latent_dim = LATENT
            self.project = nn.Linear(LATENT, 32 * 8 * 8)
            self.net = nn.Sequential(nn.ReLU(), nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
                                     nn.ConvTranspose2d(16, 3, 4, 2, 1), nn.Tanh())

        def forward(self, z):
            return self.net(self.project(z).view(-1, 32, 8, 8))

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Conv2d(3, 16, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(16, 32, 4, 2, 1),
                                     nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(32 * 8 * 8, 1))

        def forward(self, x):
            return self.net(x)

    return Generator, Discriminator


def tf_conv():
    """(G, D) as Keras models for 32x32x3 images."""
    import keras
    from keras import layers

    class Generator(keras.Model):
        def __init__(self):
            super().__init__()
            self.latent_dim = LATENT
            self.net = keras.Sequential([
                layers.Dense(8 * 8 * 32), layers.Reshape((8, 8, 32)), layers.ReLU(),
                layers.Conv2DTranspose(16, 4, 2, padding="same"), layers.BatchNormalization(), layers.ReLU(),
                layers.Conv2DTranspose(3, 4, 2, padding="same", activation="tanh")])

        def call(self, z, training=None):
            return self.net(z, training=training)

    class Discriminator(keras.Model):
        def __init__(self):
            super().__init__()
            self.net = keras.Sequential([
                layers.Conv2D(16, 4, 2, padding="same"), layers.LeakyReLU(0.2),
                layers.Conv2D(32, 4, 2, padding="same"), layers.LeakyReLU(0.2), layers.Flatten(), layers.Dense(1)])

        def call(self, x, training=None):
            return self.net(x, training=training)

    return Generator, Discriminator


NETS = {("torch", "mlp"): torch_mlp, ("tf", "mlp"): tf_mlp, ("torch", "conv"): torch_conv, ("tf", "conv"): tf_conv}


def networks(fw: str, kind: str = "mlp"):
    """The (Generator, Discriminator) classes of framework fw ("torch" or "tf")."""
    return NETS[fw, kind]()
