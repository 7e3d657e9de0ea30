"""ganbook.studies.recipes: the named recipes build valid configs, with per-data-set overrides."""
import pytest

from ganbook.nets.options import ToyOptions
from ganbook.studies.recipes import PUBLISHED, RECIPES, recipe_config, recipe_critic


@pytest.mark.parametrize("name", sorted(RECIPES))
@pytest.mark.parametrize("dataset", ["ring", "grid"])
def test_every_recipe_builds_a_toy_config(name, dataset):
    config = recipe_config(name, dataset, seed=3)
    assert isinstance(config.model, ToyOptions)
    assert (config.model.name, config.dataset, config.seed, config.latent_dim) == ("toy", dataset, 3, 2)
    assert config.batch_size % config.pack == 0


def test_pacgan_packs_by_dataset_and_overrides_apply():
    assert recipe_config("pacgan", "ring", 0).pack == 2
    assert recipe_config("pacgan", "grid", 0).pack == 4
    config = recipe_config("vanilla", "ring", 0, steps=7, extra={"lr_g": 3e-4})
    assert (config.steps, config.lr_g) == (7, 3e-4)
    assert "by_dataset" in RECIPES["pacgan"]  # recipe_config did not consume the shared dict


def test_unknown_recipe_is_named():
    for build in (lambda: recipe_config("wgan", "ring", 0), lambda: recipe_critic("wgan")):
        with pytest.raises(ValueError, match=r"unknown recipe 'wgan'; choose from \["):
            build()


def test_only_the_recommended_recipe_has_a_critic():
    assert [name for name in RECIPES if recipe_critic(name)] == ["recommended"]
    critic = recipe_critic("recommended")
    assert set(critic) == {"fit", "quantile"} and 0 < critic["quantile"] <= 1
    assert recipe_critic("recommended", steps=10)["fit"]["steps"] == 10
    assert recipe_critic("recommended")["fit"] == critic["fit"]  # the override did not leak
    # The critic's settings are not TrainConfig fields: recipe_config leaves them out.
    assert recipe_config("recommended", "ring", 0).steps == RECIPES["recommended"]["steps"]


def test_published_numbers_cover_both_datasets():
    assert {ds for _, ds in PUBLISHED} == {"ring", "grid"}
