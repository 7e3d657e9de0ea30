"""The MNIST feature classifier in TensorFlow/Keras 3 (mirror of ganbook/torch/classifier.py).

Architecture and weights: see ganbook/eval/classifier.py. The weight file is in
Keras layout, so the arrays load as they are.
"""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganbook.eval import classifier as spec


class MnistClassifier(keras.Model):
    """images (N, 28, 28, 1) in [-1, 1] -> logits (N, 10); features (N, 128) on request.

    Three 3x3 'same' convs (32, 64, 64 channels), each followed by ReLU and 2x2
    max-pooling; flatten channels-last; dense 128 (the features) + ReLU; dense 10.
    """

    def __init__(self):
        super().__init__()
        self.convs = [layers.Conv2D(s[3], s[0], padding="same", activation="relu", name=name)
                      for name, kind, s in spec.LAYERS if kind == "conv"]
        self.pool = layers.MaxPooling2D(2)
        self.flatten = layers.Flatten()
        dense = {name: shape for name, kind, shape in spec.LAYERS if kind == "dense"}
        self.features = layers.Dense(dense["features"][1], name="features")
        self.logits = layers.Dense(dense["logits"][1], name="logits")
        self.build((None, *spec.IMAGE_SHAPE))

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
    logits match PyTorch's within 1e-4 (GPU TF32 matmuls may not). `classify` runs there.
    """
    device = device or "/CPU:0"
    with tf.device(device):
        model = set_weights(MnistClassifier(), spec.load_weights())
    model.ganbook_device = device
    return model


def classify(model, images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Run the classifier on shared-layout images, batch by batch.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784), in [-1, 1].
    Returns float32 NumPy logits (N, 10) and features (N, 128).
    """
    x = spec.as_images(images)
    logits, feats = [], []
    with tf.device(getattr(model, "ganbook_device", "/CPU:0")):
        for start in range(0, len(x), batch_size):
            lb, fb = model(tf.constant(x[start:start + batch_size]), return_features=True,
                           training=False)
            logits.append(np.asarray(lb, dtype=np.float32))
            feats.append(np.asarray(fb, dtype=np.float32))
    if not logits:
        return np.zeros((0, spec.N_CLASSES), np.float32), np.zeros((0, spec.N_FEATURES), np.float32)
    return np.concatenate(logits), np.concatenate(feats)


def fit_classifier(images, labels, steps: int = 1500, batch_size: int = 64, lr: float = 1e-3,
                   seed: int = 0, device=None) -> MnistClassifier:
    """A fresh MnistClassifier trained from scratch (cross-entropy, Adam) on labelled digits.

    images: float (N, 28, 28, 1), (N, 28, 28) or (N, 784) in [-1, 1]; labels: ints (N,).
    `steps` minibatches drawn with replacement (seeded). For experiments such as the
    augmentation study of the applications chapter; the evaluator itself is trained by
    scripts/train_classifier.py. Returns the model.
    """
    x = spec.as_images(images)
    y = np.asarray(labels, np.int64)
    if len(y) != len(x) or len(x) == 0:
        raise ValueError(f"need as many labels as images (> 0), got {len(x)} images and {len(y)} labels")
    keras.utils.set_random_seed(seed)
    device = device or "/CPU:0"
    with tf.device(device):
        data, targets = tf.constant(x), tf.constant(y)
        model = MnistClassifier()
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
    model.ganbook_device = device
    return model
