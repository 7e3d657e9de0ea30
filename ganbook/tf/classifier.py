"""The MNIST feature classifier in TensorFlow/Keras 3 (mirror of ganbook/torch/classifier.py).

Architecture and weights: see ganbook/eval/classifier.py. The weight file is in
Keras layout, so the arrays load as they are.
"""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganbook.data.arrays import map_batches
from ganbook.eval import classifier as spec
from ganbook.tf.rng import RandomState


class MnistClassifier(keras.Model):
    """images (N, 28, 28, 1) in [-1, 1] -> logits (N, 10); features (N, 128) on request.

    Three 3x3 'same' convs (32, 64, 64 channels), each followed by ReLU and 2x2
    max-pooling; flatten channels-last; dense 128 (the features) + ReLU; dense 10.
    device: the TensorFlow device the weights are made on (default "/CPU:0");
    `.device` is where they are, where `classify` runs the model.
    """

    def __init__(self, device=None):
        super().__init__()
        self._device = device or "/CPU:0"
        self.convs = [layers.Conv2D(s[3], s[0], padding="same", activation="relu", name=name)
                      for name, kind, s in spec.LAYERS if kind == "conv"]
        self.pool = layers.MaxPooling2D(2)
        self.flatten = layers.Flatten()
        dense = {name: shape for name, kind, shape in spec.LAYERS if kind == "dense"}
        self.features = layers.Dense(dense["features"][1], name="features")
        self.logits = layers.Dense(dense["logits"][1], name="logits")
        with tf.device(self._device):
            self.build((None, *spec.IMAGE_SHAPE))

    @property
    def device(self) -> str:
        """The device the weights were made on, where `classify` runs the model (default "/CPU:0")."""
        return self._device

    def build(self, input_shape):
        x = keras.Input(input_shape[1:])
        self.call(x)
        super().build(input_shape)

    def embed(self, x):
        """images (N, 28, 28, 1) -> features (N, 128): the penultimate layer before its ReLU."""
        for conv in self.convs:
            x = self.pool(conv(x))
        return self.features(self.flatten(x))

    def call(self, x, return_features: bool = False, training=False):
        """logits (N, 10), or (logits, features) with return_features=True."""
        h = self.embed(x)
        logits = self.logits(keras.ops.relu(h))
        return (logits, h) if return_features else logits


def _layer(model: MnistClassifier, name: str):
    return next(c for c in model.convs if c.name == name) if name.startswith("conv") \
        else getattr(model, name)


def set_weights(model: MnistClassifier, weights: dict[str, np.ndarray]) -> MnistClassifier:
    """Copy Keras-layout weights {"conv1/kernel": ...} into model."""
    for name, _, _ in spec.LAYERS:
        layer = _layer(model, name)
        layer.kernel.assign(weights[f"{name}/kernel"])
        layer.bias.assign(weights[f"{name}/bias"])
    return model


def get_weights(model: MnistClassifier) -> dict[str, np.ndarray]:
    """model's weights in Keras layout, the format of the weight file."""
    weights = {}
    for name, _, _ in spec.LAYERS:
        layer = _layer(model, name)
        weights[f"{name}/kernel"] = np.asarray(layer.kernel.numpy())
        weights[f"{name}/bias"] = np.asarray(layer.bias.numpy())
    return weights


def load_classifier(device=None) -> MnistClassifier:
    """The trained classifier, weights from the packaged file (SHA-256 checked), inference only.

    device: a TensorFlow device string such as "/GPU:0"; default "/CPU:0", where the
    logits match PyTorch's within 1e-4 (GPU TF32 matmuls may not). `classify` runs
    where the model is (`model.device`).
    """
    with RandomState(0).active():  # the initial weights, overwritten, use no one's random numbers
        model = MnistClassifier(device)
    return set_weights(model, spec.load_weights())


def classify(model: MnistClassifier, images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Run the classifier on shared-layout images, batch by batch, where the model is, in inference mode.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784), in [-1, 1].
    Returns float32 NumPy logits (N, 10) and features (N, 128).
    """
    x = spec.as_images(images)
    if len(x) == 0:
        return np.zeros((0, spec.N_CLASSES), np.float32), np.zeros((0, spec.N_FEATURES), np.float32)

    def run(xb):
        logits, features = model(tf.constant(xb), return_features=True, training=False)
        return np.asarray(logits, np.float32), np.asarray(features, np.float32)

    with tf.device(model.device):
        return map_batches(run, x, batch_size=batch_size)


def fit_classifier(images, labels, steps: int = 1500, batch_size: int = 64, lr: float = 1e-3,
                   seed: int = 0, device=None) -> MnistClassifier:
    """A fresh MnistClassifier trained from scratch (cross-entropy, Adam) on labelled digits.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784) in [-1, 1]; labels: ints (N,).
    `steps` minibatches drawn with replacement. The seed fixes the initial weights and
    the batches, on a random state of its own (the caller's global state is left as it
    was). For experiments such as the augmentation study of the applications chapter;
    the evaluator itself is trained by scripts/train_classifier.py. Returns the model,
    on `device` (default "/CPU:0").
    """
    x = spec.as_images(images)
    y = np.asarray(labels, np.int64)
    if len(y) != len(x) or len(x) == 0:
        raise ValueError(f"need as many labels as images (> 0), got {len(x)} images and {len(y)} labels")
    device = device or "/CPU:0"
    with tf.device(device), RandomState(seed).active():
        data, targets = tf.constant(x), tf.constant(y)
        model = MnistClassifier(device)
        opt = keras.optimizers.Adam(lr)
        gen = tf.random.Generator.from_seed(seed)

        @tf.function
        def step():
            idx = gen.uniform([batch_size], 0, len(x), dtype=tf.int32)
            with tf.GradientTape() as tape:
                logits = model(tf.gather(data, idx), training=True)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(tf.gather(targets, idx), logits))
            opt.apply_gradients(zip(tape.gradient(loss, model.trainable_weights), model.trainable_weights))

        for _ in range(steps):
            step()
    return model
