"""The two backends mirror each other: names, signatures, parameter counts, loss values."""
import inspect

import numpy as np
import pytest

from ganbook.config import LOSSES, TrainConfig
from ganbook.nets.options import MODELS, ConditionalOptions, DCGANOptions, MLPOptions, ToyOptions, model_arguments
from ganbook.train.loop import TrainingLoop
from tests.helpers.backends import backend

gt, gf = backend("torch"), backend("tf")


def _signature(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    return [(p.name, p.default) for p in inspect.signature(target).parameters.values()]


def test_same_public_names():
    assert gt.__all__ == gf.__all__
    assert all(hasattr(gb, name) for gb in (gt, gf) for name in gt.__all__)


@pytest.mark.parametrize("name", [n for n in gt.__all__ if callable(getattr(gt, n))])
def test_same_signatures(name):
    assert _signature(getattr(gt, name)) == _signature(getattr(gf, name))


def _module_functions(module):
    """The public functions a losses module defines (not those it imports)."""
    return {n: f for n, f in vars(module).items()
            if not n.startswith("_") and inspect.isfunction(f) and f.__module__ == module.__name__}


def test_same_loss_functions_and_signatures():
    t, f = _module_functions(gt.losses), _module_functions(gf.losses)
    assert sorted(t) == sorted(f)
    for name in t:
        assert _signature(t[name]) == _signature(f[name]), name


def test_loss_registries_name_exactly_the_configs_losses():
    """Each backend's losses.LOSSES has one (D loss, G loss) pair per name TrainConfig.loss takes."""
    for gb in (gt, gf):
        assert sorted(gb.losses.LOSSES) == sorted(LOSSES), gb.FRAMEWORK
        assert len(set(LOSSES)) == len(LOSSES)
        for name, pair in gb.losses.LOSSES.items():
            assert len(pair) == 2 and all(callable(fn) for fn in pair), (gb.FRAMEWORK, name)


def _public_interface(cls):
    """Every public attribute of `cls` over its MRO, except what a framework base class
    (torch, keras, tensorflow) brings: name -> (kind, signature of a method or property's
    getter, module name of a module attribute with the backend's name taken out)."""
    framework = ("torch", "keras", "tensorflow", "tf_keras")
    out = {}
    for name, _ in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        owner = next(c for c in cls.__mro__ if name in vars(c))
        if owner.__module__.split(".")[0] in framework:
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            out[name] = ("property", str(inspect.signature(raw.fget)), raw.fset is not None)
        elif isinstance(raw, (staticmethod, classmethod)):
            out[name] = (type(raw).__name__, str(inspect.signature(raw.__func__)))
        elif inspect.isfunction(raw):
            out[name] = ("method", str(inspect.signature(raw)))
        elif inspect.ismodule(raw):
            out[name] = ("module", raw.__name__.replace(f"ganbook.{cls.__module__.split('.')[1]}.", "ganbook.BACKEND."))
        else:
            out[name] = (type(raw).__name__,)
    return out


def test_trainers_have_the_same_public_interface():
    """Names, kinds and signatures of every public method, property and class attribute
    of the two Trainers, inherited ones included."""
    t, f = _public_interface(gt.Trainer), _public_interface(gf.Trainer)
    assert {"fit", "generate", "save", "resume", "averaged_generator", "is_main"} <= set(t)
    differ = {name: (t.get(name), f.get(name)) for name in sorted(set(t) | set(f)) if t.get(name) != f.get(name)}
    assert not differ, f"(torch, tf) differ: {differ}"


def test_trainers_implement_every_abstract_method():
    """Neither Trainer leaves an abstract method of TrainingLoop unimplemented, and each
    implementation takes the parameters the abstract method declares."""
    assert TrainingLoop.__abstractmethods__
    for gb in (gt, gf):
        assert issubclass(gb.Trainer, TrainingLoop)
        assert not inspect.isabstract(gb.Trainer), sorted(gb.Trainer.__abstractmethods__)
        for name in TrainingLoop.__abstractmethods__:
            method = inspect.getattr_static(gb.Trainer, name)
            assert not getattr(method, "__isabstractmethod__", False), (gb.FRAMEWORK, name)
            params = lambda fn: list(inspect.signature(fn).parameters)  # noqa: E731
            assert params(getattr(gb.Trainer, name)) == params(getattr(TrainingLoop, name)), (gb.FRAMEWORK, name)


# Public instance attributes only one backend's Trainer has, by design: torch's compiled
# training copies, AMP scalers, memory format and process group size; TF's strategy and
# its replica count. Anything else public must exist in both.
ONLY_TORCH = {"D_train", "G_train", "memory_format", "scaler_d", "scaler_g", "world"}
ONLY_TF = {"replicas", "strategy"}


def test_trainer_instances_differ_only_where_intended():
    config = TrainConfig(model="toy", dataset="ring", latent_dim=2, progress=False)
    names = [{n for n in dir(gb.Trainer(config)) if not n.startswith("_")} for gb in (gt, gf)]
    assert (names[0] - names[1], names[1] - names[0]) == (ONLY_TORCH, ONLY_TF)


def test_same_networks_registry():
    """Both backends' models.NETWORKS: the same keys, each a (G, D) pair of the same class names."""
    names = [{key: tuple(cls.__name__ for cls in pair) for key, pair in gb.models.NETWORKS.items()}
             for gb in (gt, gf)]
    assert names[0] == names[1]
    assert all(len(pair) == 2 for pair in names[0].values())


def _default_dataset(options):
    return "mnist" if options.takes == "images" else "ring"


# Non-default options and settings; every options class of MODELS is also built with its defaults.
CONFIGS = [
    dict(model="toy", dataset="grid", latent_dim=2, pack=4),
    dict(model="dcgan", dataset="mnist", pack=2),
    dict(model=MLPOptions(spectral_norm=True, dropout=0.3), dataset="mnist"),
    dict(model=MLPOptions(g_hidden=(64, 32), d_hidden=(48,)), dataset="mnist", pack=2),
    dict(model=MLPOptions(g_batchnorm=True), dataset="mnist"),
    dict(model=DCGANOptions(spectral_norm=True), dataset="mnist"),
    dict(model=DCGANOptions(widths=(128, 256), dropout=0.0), dataset="mnist"),
    dict(model=DCGANOptions(g_widths=(64, 32, 16), widths=(16, 32)), dataset="stacked_mnist"),
    dict(model=DCGANOptions(g_widths=(32, 16, 8), n_classes=10), dataset="mnist"),
    dict(model=DCGANOptions(dense=256, spectral_norm=True), dataset="mnist"),
    dict(model=DCGANOptions(dense=256, batchnorm=True, dropout=0.0), dataset="mnist"),
    dict(model=DCGANOptions(batchnorm=True), dataset="mnist"),
    dict(model=ToyOptions(g_hidden=(400,) * 4, d_hidden=(200,) * 3), dataset="ring", latent_dim=2),
    dict(model=ToyOptions(spectral_norm=True), dataset="bimodal", latent_dim=1),
    dict(model=ConditionalOptions(n_classes=5, dropout=0.0, spectral_norm=True), dataset="mnist"),
    dict(model=DCGANOptions(n_classes=10), dataset="mnist"),
    dict(model=DCGANOptions(n_classes=10, dense=256, batchnorm=True), dataset="mnist"),
] + [dict(model=cls(), dataset=_default_dataset(cls)) for cls in MODELS.values()]


def _config_id(kw):
    model = kw["model"]
    name = model if isinstance(model, str) else model.name
    return f"{name}-{kw['dataset']}-" + "-".join(f"{k}" for k in sorted(kw) if k not in ("model", "dataset"))


@pytest.mark.parametrize("kw", CONFIGS, ids=_config_id)
def test_same_parameter_counts(kw):
    config = TrainConfig(**kw)
    counts = []
    for gb in (gt, gf):
        G, D = gb.build_models(config)
        counts.append((gb.count_params(G), gb.count_params(D)))
    assert counts[0] == counts[1]
    assert min(counts[0]) > 0


def test_mlp_generator_batchnorm_after_every_hidden_layer():
    """g_batchnorm: one BatchNorm after each hidden layer of G (scale 1, shift 0 at the start),
    none in D; the same layers in both backends."""
    config = TrainConfig(model=MLPOptions(g_batchnorm=True))
    (G_t, D_t), (G_f, D_f) = gt.build_models(config), gf.build_models(config)
    torch_layers = [name for name, _ in gt.layer_shapes(G_t, np.zeros((2, 100), np.float32))]
    tf_layers = [name for name, _ in gf.layer_shapes(G_f, np.zeros((2, 100), np.float32))]
    assert torch_layers.count("BatchNorm1d") == tf_layers.count("BatchNormalization") == 4
    assert "BatchNorm1d" not in [name for name, _ in gt.layer_shapes(D_t, np.zeros((2, 784), np.float32))]
    bn = [layer for layer in G_f.net.layers if type(layer).__name__ == "BatchNormalization"]
    assert all(np.all(layer.gamma.numpy() == 1.0) for layer in bn)


def test_configs_cover_every_model_and_network_pair():
    """CONFIGS builds every options class of MODELS and every pair of NETWORKS."""
    configs = [TrainConfig(**kw) for kw in CONFIGS]
    assert {c.model.name for c in configs} == set(MODELS)
    assert {model_arguments(c).networks for c in configs} == set(gt.models.NETWORKS)


@pytest.mark.parametrize("shape", [(32, 32, 3), (64, 64, 3)])
def test_dcgan_options_build_the_same_networks_for_other_shapes(shape):
    config = TrainConfig(model=DCGANOptions(dense=64, batchnorm=True))
    counts = [(gb.count_params(G), gb.count_params(D))
              for gb in (gt, gf) for G, D in [gb.build_models(config, shape)]]
    assert counts[0] == counts[1]


def _distinct_shapes(layers, framework):
    """The successive distinct output shapes, in TF's channels-last order, leaving out
    TF's Reshape and Flatten layers (torch reshapes inside forward)."""
    out = []
    for name, shape in layers:
        if name in ("Reshape", "Flatten"):
            continue
        if framework == "torch" and len(shape) == 4:
            shape = (shape[0], *shape[2:], shape[1])
        if not out or out[-1] != shape:
            out.append(shape)
    return out


@pytest.mark.parametrize("model", ["dcgan", "mlp"])
def test_layer_shapes_walk_the_same_layers(model):
    G_t, D_t = gt.build_models(TrainConfig(model=model))
    G_f, D_f = gf.build_models(TrainConfig(model=model))
    z = np.zeros((2, 100), np.float32)
    x = np.zeros((2, 28, 28, 1) if model == "dcgan" else (2, 784), np.float32)
    g_t, g_f = gt.layer_shapes(G_t, z), gf.layer_shapes(G_f, z)
    d_t, d_f = gt.layer_shapes(D_t, gt.to_native(x)), gf.layer_shapes(D_f, x)
    assert g_t[0] == (("Linear", (2, 12544)) if model == "dcgan" else ("Linear", (2, 128)))
    assert _distinct_shapes(g_t, "torch") == _distinct_shapes(g_f, "tf")
    assert _distinct_shapes(g_f, "tf")[-1] == x.shape
    assert _distinct_shapes(d_t, "torch") == _distinct_shapes(d_f, "tf")
    assert d_t[-1][1] == d_f[-1][1] == (2, 1)
    assert G_t.training, "layer_shapes leaves the model in training mode"


def test_known_parameter_counts():
    # The TF tutorial's DCGAN: 2,305,472 trainable in G (2,330,944 with BN statistics), 212,865 in D.
    assert gt.count_params(gt.DCGANGenerator()) == 2_305_472
    assert gt.count_params(gt.DCGANDiscriminator()) == 212_865
    # The fully connected MNIST GAN: 100-128-256-512-1024-784 and 784-1024-512-256-128-1.
    assert gt.count_params(gt.MLPGenerator()) == 1_506_448
    assert gt.count_params(gt.MLPDiscriminator()) == 1_492_993


@pytest.mark.parametrize("size", [28, 32, 64])
def test_dcgan_shapes_for_image_sizes(size):
    import torch
    G, D = gt.DCGANGenerator(image_size=size, channels=3), gt.DCGANDiscriminator(image_size=size, channels=3)
    x = G(torch.randn(2, 100))
    assert tuple(x.shape) == (2, 3, size, size) and tuple(D(x).shape) == (2, 1)
    Gf, Df = gf.DCGANGenerator(image_size=size, channels=3), gf.DCGANDiscriminator(image_size=size, channels=3)
    xf = Gf(np.random.randn(2, 100).astype("float32"))
    assert tuple(xf.shape) == (2, size, size, 3) and tuple(Df(xf).shape) == (2, 1)
    assert gt.count_params(G) == gf.count_params(Gf) and gt.count_params(D) == gf.count_params(Df)


def test_dcgan_discriminator_batchnorm():
    """d_batchnorm: BatchNorm after the second conv and the dense layer; in training mode
    a sample's logit then depends on the rest of its batch, in inference mode it does not."""
    import torch
    x = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    Dt = gt.DCGANDiscriminator(dense=32, batchnorm=True, dropout=0.0)
    Df = gf.DCGANDiscriminator(dense=32, batchnorm=True, dropout=0.0)
    assert sum(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in Dt.modules()) == 2
    assert sum(type(layer).__name__ == "BatchNormalization" for layer in Df.net.layers) == 2
    assert gt.count_params(Dt) == gf.count_params(Df) == gt.count_params(
        gt.DCGANDiscriminator(dense=32, dropout=0.0)) + 128 + 32  # biases out, BN scale and shift in
    xt = torch.as_tensor(gt.to_native(x))
    for D, run in ((Dt, lambda D, x, train: D.train(train)(x).detach().numpy()),
                   (Df, lambda D, x, train: D(x, training=train).numpy())):
        native = xt if D is Dt else x
        whole, half = run(D, native, True)[:4], run(D, native[:4], True)
        assert not np.allclose(whole, half, atol=1e-6)
        np.testing.assert_allclose(run(D, native, False)[:4], run(D, native[:4], False), atol=1e-5)


@pytest.mark.parametrize("dense", [0, 32])
def test_conditional_dcgan_projects_the_label(dense):
    """The conditional DCGAN's D adds e(y).h to its body's logit of the same features h: with
    the label embedding zeroed it is the body's logit; the label changes D's and G's outputs."""
    import torch
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    z = rng.standard_normal((4, 100)).astype("float32")
    y, other = np.array([0, 1, 2, 3]), np.array([5, 6, 7, 8])
    Dt = gt.ConditionalDCGANDiscriminator(n_classes=10, dense=dense, dropout=0.0).eval()
    Df = gf.ConditionalDCGANDiscriminator(n_classes=10, dense=dense, dropout=0.0)
    Gt, Gf = gt.ConditionalDCGANGenerator().eval(), gf.ConditionalDCGANGenerator()
    xt, zt = torch.as_tensor(gt.to_native(x)), torch.as_tensor(z)
    t = {"D": lambda y: Dt(xt, torch.as_tensor(y)).detach().numpy(),
         "G": lambda y: Gt(zt, torch.as_tensor(y)).detach().numpy(),
         "h": Dt.body.features(xt).detach().numpy(), "body": Dt.body(xt).detach().numpy()}
    f = {"D": lambda y: Df(x, y).numpy(), "G": lambda y: Gf(z, y).numpy(),
         "h": Df.body.features(x).numpy(), "body": Df.body(x).numpy()}
    assert t["h"].shape == f["h"].shape == (4, dense or 7 * 7 * 128)
    for out in (t, f):
        for net in ("D", "G"):
            assert not np.allclose(out[net](y), out[net](other))
    with torch.no_grad():
        Dt.embed.weight.zero_()
    Df.embed.embeddings.assign(np.zeros((10, Df.body.n_features), "float32"))
    np.testing.assert_allclose(t["D"](y), t["body"], atol=1e-6)
    np.testing.assert_allclose(f["D"](y), f["body"], atol=1e-6)


def test_bad_image_size():
    for gb in (gt, gf):
        with pytest.raises(ValueError, match="image_size must be a multiple of 4 \\(28, 32, 64\\), got 30"):
            gb.DCGANGenerator(image_size=30)


@pytest.mark.parametrize("widths", [(64, 32), (64, 32, 0), (64, 32.0, 16), (True, 32, 16)])
def test_bad_generator_widths(widths):
    for gb in (gt, gf):
        with pytest.raises(ValueError, match=r"widths must be 3 positive integers \(channels per layer\)"):
            gb.DCGANGenerator(widths=widths)


def test_dcgan_init_statistics():
    G = gt.DCGANGenerator()
    w = G.project[0].weight.detach().numpy()
    assert abs(w.std() - 0.02) < 0.001 and abs(w.mean()) < 0.001
    Gf = gf.DCGANGenerator()
    wf = Gf.net.layers[0].kernel.numpy()
    assert abs(wf.std() - 0.02) < 0.001 and abs(wf.mean()) < 0.001


# ---- losses: same inputs, same values -------------------------------------

def _both(fns, *arrays):
    """fns = (torch function, TF function), each applied to the same NumPy arrays."""
    import tensorflow as tf
    import torch
    t = fns[0](*[torch.tensor(a) for a in arrays]).item()
    f = float(fns[1](*[tf.constant(a) for a in arrays]))
    return t, f


RNG = np.random.default_rng(0)
# Scores on both sides of 0 and of +-1, so that every branch (hinge's kinks, softplus's tails) is hit.
REAL, FAKE = (RNG.normal(0, 3, (64, 1)).astype("float32") for _ in range(2))


@pytest.mark.parametrize("name", sorted(set(LOSSES) | set(gt.losses.LOSSES) | set(gf.losses.LOSSES)))
def test_registered_losses_agree(name):
    """Each registered loss pair gives the same D and G losses in both backends."""
    pairs = [gb.losses.LOSSES.get(name) for gb in (gt, gf)]
    assert None not in pairs, f"loss {name!r} missing in a backend's LOSSES"
    (d_t, g_t), (d_f, g_f) = pairs
    t, f = _both((d_t, d_f), REAL, FAKE)
    assert abs(t - f) < 1e-5 * max(1, abs(t)), ("D", name, t, f)
    t, f = _both((g_t, g_f), FAKE)
    assert abs(t - f) < 1e-5 * max(1, abs(t)), ("G", name, t, f)


def test_losses_against_closed_forms():
    import torch
    r, f = torch.tensor([[0.0]]), torch.tensor([[0.0]])  # D = 1/2 everywhere
    assert abs(gt.losses.d_loss_bce(r, f).item() - 2 * np.log(2)) < 1e-6
    assert abs(gt.losses.g_loss_minimax(f).item() - np.log(0.5)) < 1e-6
    assert abs(gt.losses.g_loss_nonsaturating(f).item() - np.log(2)) < 1e-6
    big = torch.tensor([[100.0]])  # finite for extreme logits
    assert np.isfinite(gt.losses.d_loss_bce(-big, big).item())
    assert gt.losses.d_loss_hinge(torch.tensor([[2.0]]), torch.tensor([[-2.0]])).item() == 0.0


def _critic_pair(shape):
    """The same critic D(x) = sum(w * tanh(x)^2) in both frameworks."""
    import tensorflow as tf
    import torch
    w = np.random.default_rng(1).normal(size=shape).astype("float32")
    wt, wf = torch.tensor(w), tf.constant(w)
    torch_critic = lambda x: (wt * torch.tanh(x) ** 2).flatten(1).sum(1, keepdim=True)  # noqa: E731
    tf_critic = lambda x: tf.reshape(tf.reduce_sum(wf * tf.tanh(x) ** 2, axis=list(range(1, len(shape) + 1))), [-1, 1])  # noqa: E731
    return torch_critic, tf_critic


@pytest.mark.parametrize("shape", [(2,), (5, 5, 3), (4, 4, 1)])
def test_gradient_penalty_and_r1_agree(shape):
    import tensorflow as tf
    import torch
    rng = np.random.default_rng(2)
    real, fake = (rng.normal(size=(8, *shape)).astype("float32") for _ in range(2))
    eps = rng.uniform(size=8).astype("float32")
    ct, cf = _critic_pair(shape)
    t = gt.losses.gradient_penalty(ct, torch.tensor(real), torch.tensor(fake), torch.tensor(eps)).item()
    f = float(gf.losses.gradient_penalty(cf, tf.constant(real), tf.constant(fake), tf.constant(eps)))
    assert abs(t - f) < 1e-5 * max(1, abs(t))
    t = gt.losses.r1_penalty(ct, torch.tensor(real)).item()
    f = float(gf.losses.r1_penalty(cf, tf.constant(real)))
    assert abs(t - f) < 1e-5 * max(1, abs(t))
    # closed form for a linear critic D(x) = sum(w x): the gradient is w everywhere
    w = rng.normal(size=shape).astype("float32")
    lin = lambda x: (torch.tensor(w) * x).flatten(1).sum(1, keepdim=True)  # noqa: E731
    expected = (np.linalg.norm(w) - 1) ** 2
    assert abs(gt.losses.gradient_penalty(lin, torch.tensor(real), torch.tensor(fake)).item() - expected) < 1e-4


def test_gradient_penalty_finite_when_gradient_is_zero():
    import torch
    w = torch.zeros(1, requires_grad=True)
    critic = lambda x: (w * x).sum(1, keepdim=True)  # noqa: E731  gradient wrt x is 0
    x = torch.randn(4, 3)
    gp = gt.losses.gradient_penalty(critic, x, x)
    gp.backward()
    assert torch.isfinite(gp) and abs(gp.item() - 1.0) < 1e-5 and torch.isfinite(w.grad).all()


@pytest.mark.parametrize("shape", [(6, 2), (4, 5, 5, 3)])
def test_packing_groups_the_same_samples(shape):
    """PackedDiscriminator feeds D the same concatenation in both backends: an inner D
    that returns its (packed) input lets us compare the layouts in the shared layout."""
    import keras
    import torch

    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    packed_torch = gt.PackedDiscriminator(torch.nn.Identity(), 2)(torch.from_numpy(gt.to_native(x)))
    packed_tf = gf.PackedDiscriminator(keras.layers.Identity(), 2)(x)
    np.testing.assert_array_equal(gt.to_shared(packed_torch.numpy()), np.asarray(packed_tf))
    assert packed_tf.shape == (shape[0] // 2, *shape[1:-1], 2 * shape[-1])
    np.testing.assert_array_equal(np.asarray(packed_tf)[0, ..., :shape[-1]], x[0])
    np.testing.assert_array_equal(np.asarray(packed_tf)[0, ..., shape[-1]:], x[1])


def test_pack_must_divide_the_batch():
    with pytest.raises(ValueError, match="batch_size 64 is not a multiple of pack 3"):
        TrainConfig(model="toy", dataset="ring", batch_size=64, pack=3)


def _dense_layers(fw, model):
    """(fan_in, bias as NumPy) of every fully connected layer of a model."""
    if fw == "torch":
        import torch
        return [(m.in_features, m.bias.detach().numpy()) for m in model.modules() if isinstance(m, torch.nn.Linear)]
    import keras
    return [(layer.kernel.shape[0], layer.bias.numpy()) for layer in model._flatten_layers(include_self=False)
            if isinstance(layer, keras.layers.Dense)]


@pytest.mark.parametrize("fw", ["torch", "tf"])
def test_mlp_biases_start_as_pytorchs_linear(fw):
    # PyTorch's Linear draws its bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)); Keras starts at 0.
    # A toy generator whose biases are all 0 maps rays of noise to rays through the origin,
    # and on the grid that made the TF runs collapse where the PyTorch ones did not.
    layers = _dense_layers(fw, backend(fw).toy_generator(hidden=(400, 400)))
    assert len(layers) == 3
    for fan_in, bias in layers:
        bound = fan_in ** -0.5
        assert np.abs(bias).max() <= bound and np.all(bias != 0)
        if len(bias) >= 100:
            assert bias.std() > 0.4 * bound  # uniform on (-bound, bound): std = bound / sqrt(3)
