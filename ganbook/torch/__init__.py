"""The PyTorch backend of ganbook. Mirrors ganbook.tf name for name."""
from ganbook.config import TrainConfig
from ganbook.train.history import TrainingDivergedError
from ganbook.torch import losses
from ganbook.torch.checkpoint import load_generator
from ganbook.torch.critic import FourierCritic, critic_logits, fit_critic, rejection_sample
from ganbook.torch.classifier import MnistClassifier, classify, fit_classifier, load_classifier
from ganbook.torch.device import describe_device, pick_device
from ganbook.torch.models import (ConditionalDCGANDiscriminator, ConditionalDCGANGenerator,
                                  ConditionalDiscriminator, ConditionalGenerator,
                                  DCGANDiscriminator, DCGANGenerator, MarginalGenerator, MLPDiscriminator,
                                  MLPGenerator, PackedDiscriminator, build_models, count_params, dcgan_init, layer_shapes,
                                  same_network, toy_discriminator, toy_generator)
from ganbook.torch.sampling import recalibrate_batchnorm, sample, to_native, to_shared
from ganbook.torch.superres import SRGenerator, superresolve, train_superres
from ganbook.torch.trainer import Trainer

FRAMEWORK = "torch"

__all__ = [
    "ConditionalDCGANDiscriminator", "ConditionalDCGANGenerator",
    "ConditionalDiscriminator", "ConditionalGenerator", "DCGANDiscriminator", "DCGANGenerator",
    "FourierCritic", "critic_logits", "fit_critic", "rejection_sample",
    "FRAMEWORK", "MarginalGenerator", "MLPDiscriminator", "MLPGenerator", "MnistClassifier", "PackedDiscriminator", "SRGenerator", "TrainConfig",
    "Trainer", "TrainingDivergedError", "build_models", "classify", "count_params", "dcgan_init",
    "describe_device", "fit_classifier", "layer_shapes", "load_classifier", "load_generator", "losses", "pick_device", "recalibrate_batchnorm", "same_network", "sample",
    "superresolve", "to_native", "to_shared", "train_superres",
    "toy_discriminator", "toy_generator",
]
