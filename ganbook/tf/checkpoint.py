"""Full-state checkpoints for the TensorFlow trainer, and loading a generator back.

A checkpoint is a folder `ckpt-<step>/` holding a tf.train.Checkpoint of both
networks, both optimisers and the trainer's random generator (`state.*`), the
states of the dropout layers' seed generators (`dropout.*`), and
`meta.json` with the config, step, history and data cursor, `perm.npy` (the
epoch's order) and `samples.npz` (the fixed-noise snapshots). The folder is
written under a temporary name and renamed into place.
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganbook.config import TrainConfig, require_compatible
from ganbook.tf.models import build_models, create_weights
from ganbook.train import checkpoints as files
from ganbook.train.loop import resolve_network

FORMAT = "ganbook-tf-1"
SUFFIX = ""  # a folder


def _tracked(trainer) -> tf.train.Checkpoint:
    ema = {"G_ema": trainer.G_ema} if trainer.G_ema is not None else {}
    return tf.train.Checkpoint(G=trainer.G, D=trainer.D, opt_g=trainer.opt_g,
                               opt_d=trainer.opt_d, gen=trainer.gen, **ema)


def _dropout_states(trainer) -> tf.train.Checkpoint:
    """The networks' variables that are not weights: the states of their dropout layers'
    seed generators, which tf.train.Checkpoint does not reach through the models."""
    states = []
    for model in (trainer.G, trainer.D, trainer.G_ema):
        if model is not None:
            weights = {id(w) for w in model.weights}
            states += [v.value for v in model.variables if id(v) not in weights]
    return tf.train.Checkpoint(states=states)


def save(trainer, folder) -> Path:
    """Write trainer's state to folder/ckpt-<step>/ via a temporary folder and a rename."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / files.checkpoint_name(trainer.step)
    tmp = files.temporary_path(final)
    tmp.mkdir()
    _tracked(trainer).write(str(tmp / "state"))
    _dropout_states(trainer).write(str(tmp / "dropout"))
    perm = None if trainer.cursor.perm is None else trainer.cursor.perm.numpy()
    if perm is not None:
        np.save(tmp / "perm.npy", perm)
    np.savez(tmp / "samples.npz", **files.pack_samples(trainer.samples))
    meta = {"format": FORMAT, "config": trainer.config.to_dict(), "step": trainer.step,
            "networks": "yours" if trainer.user_networks else "config",
            "data_pos": trainer.cursor.pos, "history": trainer.history,
            "versions": {"tensorflow": tf.__version__, "python": platform.python_version()}}
    (tmp / "meta.json").write_text(json.dumps(meta))
    files.commit(tmp, final)
    return final


def read_meta(path) -> tuple[Path, dict]:
    """(checkpoint folder, its meta.json) for a checkpoint or a run folder (its newest)."""
    path = Path(path)
    if not (path / "meta.json").is_file():
        newest = files.newest_checkpoint(path, SUFFIX) if path.is_dir() else None
        if newest is None:
            raise FileNotFoundError(f"no ganbook TensorFlow checkpoint (ckpt-*/meta.json) at {path}")
        path = newest
    try:
        meta = json.loads((path / "meta.json").read_text())
    except (OSError, ValueError) as e:
        raise files.UnreadableCheckpoint(f"{path / 'meta.json'} cannot be read ({e})") from e
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise files.UnreadableCheckpoint(f"{path} is not a ganbook TensorFlow checkpoint "
                                         f"(format {FORMAT} expected)")
    return path, meta


def restore(trainer, path) -> None:
    """Load the full state of checkpoint `path` into `trainer`, refusing another config."""
    path, meta = read_meta(path)
    require_compatible(meta["config"], trainer.config.to_dict(), path)
    try:
        _tracked(trainer).read(str(path / "state")).assert_existing_objects_matched()
        if (path / "dropout.index").exists():  # absent in checkpoints of older versions
            _dropout_states(trainer).read(str(path / "dropout")).assert_existing_objects_matched()
    except tf.errors.OpError as e:  # missing or damaged files
        raise files.UnreadableCheckpoint(f"checkpoint {path} cannot be read: {e}") from e
    except (AssertionError, ValueError) as e:
        raise ValueError(f"checkpoint {path} does not fit these networks: {e}") from e
    perm = path / "perm.npy"
    with tf.device(trainer.device):
        trainer.cursor.perm = tf.constant(np.load(perm)) if perm.exists() else None
    trainer.cursor.pos = meta["data_pos"]
    trainer.step = meta["step"]
    trainer.history = meta["history"]
    with np.load(path / "samples.npz") as packed:
        trainer.samples = files.unpack_samples(packed)


def read_config(path) -> TrainConfig:
    """The TrainConfig of checkpoint `path` (a folder, or a run folder: its newest)."""
    return TrainConfig.from_dict(read_meta(path)[1]["config"])


def load_generator(path, G=None, device=None):
    """The generator of checkpoint `path` (a folder, or a run folder: its newest): the
    weight average G_ema when the run kept one (TrainConfig.ema), else G.

    G: the network to load the weights into (or a function that returns one). A
    run of the config's model needs none: it is built from the stored config.
    A run of your own networks needs it, built as for training.
    device: unused (Keras places the weights); kept for the PyTorch mirror's signature.

        G = ganbook.tf.load_generator("runs/mnist"); x = ganbook.tf.sample(G, 64)
        G = ganbook.tf.load_generator("runs/mine", G=MyGenerator())
    """
    path, meta = read_meta(path)
    config = TrainConfig.from_dict(meta["config"])
    if G is None:
        if meta.get("networks") == "yours":
            raise ValueError(f"checkpoint {path} was trained with your own networks; pass the "
                             "generator to load into: load_generator(path, G=MyGenerator(...))")
        G, _ = build_models(config)
    G = resolve_network(G, keras.Model, "G")
    create_weights(G, None, config.latent_dim)
    name = "G_ema" if config.ema else "G"
    status = tf.train.Checkpoint(**{name: G}).read(str(path / "state")).expect_partial()
    try:
        status.assert_existing_objects_matched()
    except AssertionError as e:
        raise ValueError(f"checkpoint {path} holds another generator than {type(G).__name__}: {e}") from e
    return G
