"""same_network tells a written-out network that matches the package's from one that does not."""
import numpy as np

from ganbook.config import TrainConfig
from ganbook.nets.options import MLPOptions
from tests.helpers.backends import backend, each_backend


def _pair(gb, g_hidden=(8, 16), dropout=0.3):
    options = MLPOptions(g_hidden=g_hidden, d_hidden=(16, 8), dropout=dropout)
    return gb.build_models(TrainConfig(model=options, latent_dim=4))


@each_backend
def test_same_network_accepts_the_same_build_and_refuses_any_other(fw):
    gb = backend(fw)
    z = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    x = np.random.default_rng(1).uniform(-1, 1, (5, 784)).astype(np.float32)
    (G1, D1), (G2, D2) = _pair(gb), _pair(gb)
    (G_wide, _), (_, D_plain) = _pair(gb, g_hidden=(8, 32)), _pair(gb, dropout=0.0)
    assert gb.same_network(G1, G2, z) and gb.same_network(D1, D2, x)
    assert not gb.same_network(G_wide, G1, z)  # weights that do not fit
    # No dropout: in torch other weight names; in TF the same weights and the same
    # inference output, but other layers.
    assert not gb.same_network(D_plain, D1, x)


@each_backend
def test_same_network_takes_several_inputs(fw):
    gb = backend(fw)
    z = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    labels = np.array([0, 1, 2, 1])

    def conditional(hidden):
        return gb.ConditionalGenerator(latent_dim=3, n_classes=3, hidden=hidden, out_dim=5)

    assert gb.same_network(conditional((8,)), conditional((8,)), (z, labels))
    assert not gb.same_network(conditional((8,)), conditional((9,)), (z, labels))
