"""The TensorFlow backend of ganbook. Mirrors ganbook.torch name for name."""
from ganbook.config import TrainConfig
from ganbook.train.history import TrainingDivergedError
from ganbook.tf import losses
from ganbook.tf.checkpoint import load_generator
from ganbook.tf.critic import FourierCritic, critic_logits, fit_critic, rejection_sample
from ganbook.tf.classifier import MnistClassifier, classify, fit_classifier, load_classifier
from ganbook.tf.device import describe_device, pick_device
from ganbook.tf.models import (ConditionalDCGANDiscriminator, ConditionalDCGANGenerator,
                               ConditionalDiscriminator, ConditionalGenerator,
                               DCGANDiscriminator, DCGANGenerator, MarginalGenerator, MLPDiscriminator,
                               MLPGenerator, PackedDiscriminator, build_models, count_params, dcgan_init, layer_shapes,
                               same_network, toy_discriminator, toy_generator)
from ganbook.tf.sampling import recalibrate_batchnorm, sample, to_native, to_shared
from ganbook.tf.superres import SRGenerator, superresolve, train_superres
from ganbook.tf.trainer import Trainer

FRAMEWORK = "tf"

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
