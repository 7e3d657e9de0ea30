"""Which networks a TrainConfig builds, with which arguments (shared by both backends).

Each backend's `build_models` calls `model_arguments` and the constructors of
the same names in its own models module.
"""
from __future__ import annotations

MODEL_KWARGS = {
    "mlp": {"g_hidden": (128, 256, 512, 1024), "d_hidden": (1024, 512, 256, 128),
            "dropout": 0.0, "spectral_norm": False},
    "dcgan": {"channels": 1, "image_size": 28, "dropout": 0.3, "spectral_norm": False,
              "d_widths": (64, 128), "d_dense": 0, "d_batchnorm": False, "n_classes": 0},
    "toy": {"g_hidden": (128, 128), "d_hidden": (128, 128), "spectral_norm": False},
    "conditional": {"n_classes": 10, "dropout": 0.3, "spectral_norm": False},
}


def model_arguments(config) -> tuple[str, dict, str, dict]:
    """(generator name, its kwargs, discriminator name, its kwargs) for `config`.

    With config.pack > 1 the discriminator's input is `pack` samples wide; the
    backend's build_models wraps it in a PackedDiscriminator."""
    from ganbook.datasets import check_pairing, sample_shape

    check_pairing(config)
    allowed = MODEL_KWARGS[config.model]
    unknown = sorted(set(config.model_kwargs) - set(allowed))
    if unknown:
        raise ValueError(f"model_kwargs {unknown} are not options of model {config.model!r}; "
                         f"it takes {sorted(allowed)}")
    kw = {**allowed, **config.model_kwargs}
    z, sn, pack = config.latent_dim, kw["spectral_norm"], config.pack
    if config.model == "dcgan":
        size, channels, n_classes = kw["image_size"], kw["channels"], kw["n_classes"]
        g_kwargs = dict(latent_dim=z, channels=channels, image_size=size)
        d_kwargs = dict(channels=channels * pack, image_size=size, dropout=kw["dropout"], spectral_norm=sn,
                        widths=tuple(kw["d_widths"]), dense=kw["d_dense"], batchnorm=kw["d_batchnorm"])
        if n_classes:  # class-conditional: the label's embedding in G, a projection in D
            return ("ConditionalDCGANGenerator", dict(g_kwargs, n_classes=n_classes),
                    "ConditionalDCGANDiscriminator", dict(d_kwargs, n_classes=n_classes))
        return "DCGANGenerator", g_kwargs, "DCGANDiscriminator", d_kwargs
    dim = sample_shape(config)[0]
    if config.model == "mlp":
        return ("MLPGenerator", dict(latent_dim=z, hidden=tuple(kw["g_hidden"]), out_dim=dim),
                "MLPDiscriminator", dict(in_dim=dim * pack, hidden=tuple(kw["d_hidden"]),
                                         dropout=kw["dropout"], spectral_norm=sn))
    if config.model == "conditional":
        return ("ConditionalGenerator", dict(latent_dim=z, n_classes=kw["n_classes"], out_dim=dim),
                "ConditionalDiscriminator", dict(in_dim=dim, n_classes=kw["n_classes"],
                                                 dropout=kw["dropout"], spectral_norm=sn))
    return ("toy_generator", dict(latent_dim=z, hidden=tuple(kw["g_hidden"]), out_dim=dim),
            "toy_discriminator", dict(in_dim=dim * pack, hidden=tuple(kw["d_hidden"]), spectral_norm=sn))
