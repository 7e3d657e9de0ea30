"""Named training recipes for the 2-D ring and grid, and the published numbers they are compared with.

A recipe is a set of TrainConfig overrides; `recipe_config(name, dataset, seed)`
builds the config. A recipe may also name a post-hoc critic (`recipe_critic`):
after training, the backends' `fit_critic` and `rejection_sample` draw its
samples (ganbook/studies/critic.py). The challenges chapter trains them in its notebooks, and
`experiments/mode_coverage.py` runs them over several seeds for its table.
"""
from __future__ import annotations

from ganbook.config import TrainConfig
from ganbook.nets.options import ToyOptions

# The model of the 2-D data sets: small MLPs with 2-D noise (also the CLI's start for them).
TOY = {"model": "toy", "latent_dim": 2}
# Settings every recipe shares unless it overrides them.
BASE = {**TOY, "progress": False, "log_every": 1000}

# Each recipe: TrainConfig overrides; "by_dataset" holds further overrides for one data set;
# "critic" the settings of the post-hoc critic ("fit": fit_critic's, "quantile": rejection_sample's).
RECIPES = {
    # The PacGAN paper's unpacked baseline as close as ganbook allows: G 4 x 400, D 3 x 200,
    # 2-D noise, Adam 1e-4, batch 100. Differences: LeakyReLU(0.2) everywhere (the paper: ReLU +
    # batch norm in G, 5-piece maxout in D) - the toy networks have neither BN nor maxout.
    "vanilla": dict(loss="nonsaturating", lr_g=1e-4, lr_d=1e-4, batch_size=100, steps=10_000,
                    model=ToyOptions(g_hidden=(400,) * 4, d_hidden=(200,) * 3)),
    # Gulrajani et al. 2017: Wasserstein loss, gradient penalty 10, 5 critic steps, Adam (0.5, 0.9).
    "wgan-gp": dict(loss="wgan", gp_weight=10.0, n_critic=5, lr_g=1e-4, lr_d=1e-4,
                    betas=(0.5, 0.9), batch_size=256, steps=4_000),
    # Miyato et al. 2018: spectral norm on D, hinge loss.
    "spectral-norm": dict(loss="hinge", lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999), batch_size=256,
                          steps=10_000, model=ToyOptions(spectral_norm=True)),
    # The vanilla baseline with a packed D: pack 4 on the grid, 2 on the ring, the settings of the
    # PacGAN Table 1 rows quoted below. batch_size counts samples, so 100 * pack keeps D's batch
    # at 100 (packed) examples, as vanilla's.
    "pacgan": dict(loss="nonsaturating", lr_g=1e-4, lr_d=1e-4, batch_size=100, steps=10_000,
                   model=ToyOptions(g_hidden=(400,) * 4, d_hidden=(200,) * 3),
                   by_dataset={"grid": {"pack": 4, "batch_size": 400},
                               "ring": {"pack": 2, "batch_size": 200}}),
    # Mescheder et al. 2018: non-saturating loss with the R1 penalty on real data.
    # (R1's double backward makes a step ~3x dearer, hence fewer steps.)
    "r1": dict(loss="nonsaturating", r1_weight=1.0, lr_g=2e-4, lr_d=2e-4, batch_size=256,
               steps=8_000),
    # ganbook's recommended recipe (experiments/README.md: how it was found): the non-saturating
    # loss, the default toy networks (128-128), PacGAN packing 2, batch 512, Adam 3e-4 decayed
    # linearly to 0 over 25,000 steps; then a post-hoc critic (ganbook/studies/critic.py) trained for
    # 1,500 steps against the frozen G, whose density ratio keeps 0.4-4% of G's samples by
    # rejection sampling (M at the 99.9th percentile). About 100 s per run on one CPU core.
    "recommended": dict(loss="nonsaturating", pack=2, lr_g=3e-4, lr_d=3e-4, lr_decay="linear",
                        batch_size=512, steps=25_000,
                        critic={"fit": {"steps": 1500, "scale": 3.0}, "quantile": 0.999}),
}

# Published numbers: (source, data set) -> (modes, high-quality fraction, reverse KL or None).
PUBLISHED = {
    ("PacGAN Table 1, PacGAN4", "grid"): (24.8, 0.936, 0.04),
    ("PacGAN Table 1, PacGAN2", "ring"): (7.9, 0.956, 0.07),
    ("VEEGAN Table 1", "grid"): (24.6, 0.40, None),
    ("VEEGAN Table 1", "ring"): (8.0, 0.529, None),
}


def _recipe(name: str) -> dict:
    """A shallow copy of RECIPES[name], or a ValueError naming the recipes there are."""
    if name not in RECIPES:
        raise ValueError(f"unknown recipe {name!r}; choose from {sorted(RECIPES)}")
    return dict(RECIPES[name])


def recipe_config(name: str, dataset: str, seed: int, steps: int | None = None,
                  extra: dict | None = None) -> TrainConfig:
    """The TrainConfig of recipe `name` on `dataset` with `seed` (and optional overrides)."""
    recipe = _recipe(name)
    recipe.pop("critic", None)
    by_dataset = recipe.pop("by_dataset", {}).get(dataset, {})
    fields = {**BASE, **recipe, **by_dataset, **(extra or {}), "dataset": dataset, "seed": seed}
    if steps is not None:
        fields["steps"] = steps
    return TrainConfig(**fields)


def recipe_critic(name: str, steps: int | None = None) -> dict | None:
    """The post-hoc critic of recipe `name`, or None: {"fit": fit_critic's keywords
    (its "steps" replaced by `steps` if given), "quantile": rejection_sample's}."""
    critic = _recipe(name).get("critic")
    if critic is None:
        return None
    fit = {**critic["fit"], **({} if steps is None else {"steps": steps})}
    return {"fit": fit, "quantile": critic["quantile"]}
