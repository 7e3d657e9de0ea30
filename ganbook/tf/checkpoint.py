"""Full-state checkpoints for the TensorFlow trainer, and loading a generator back.

A checkpoint is a folder `ckpt-<step>/` holding a tf.train.Checkpoint of both
networks, both optimisers and the trainer's random generator (`state.*`), and
`meta.json` with the config, step, history and data cursor, `perm.npy` (the
epoch's order) and `samples.npz` (the fixed-noise snapshots). The folder is
written under a temporary name and renamed into place.
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import tensorflow as tf

from ganbook import checkpoints as files
from ganbook.config import TrainConfig, require_compatible

FORMAT = "ganbook-tf-1"
SUFFIX = ""  # a folder


def step_of(path) -> int:
    return int(Path(path).name.split("-")[1].split(".")[0])


def _tracked(trainer) -> tf.train.Checkpoint:
    ema = {"G_ema": trainer.G_ema} if trainer.G_ema is not None else {}
    return tf.train.Checkpoint(G=trainer.G, D=trainer.D, opt_g=trainer.opt_g,
                               opt_d=trainer.opt_d, gen=trainer.gen, **ema)


def save(trainer, folder) -> Path:
    """Write trainer's state to folder/ckpt-<step>/ via a temporary folder and a rename."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / files.checkpoint_name(trainer.step)
    tmp = files.temporary_path(final)
    tmp.mkdir()
    _tracked(trainer).write(str(tmp / "state"))
    perm = None if trainer._perm is None else trainer._perm.numpy()
    if perm is not None:
        np.save(tmp / "perm.npy", perm)
    np.savez(tmp / "samples.npz", **files.pack_samples(trainer.samples))
    meta = {"format": FORMAT, "config": trainer.config.to_dict(), "step": trainer.step,
            "data_pos": trainer._pos, "history": trainer.history,
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
    except ValueError as e:
        raise ValueError(f"{path / 'meta.json'} is not valid JSON ({e})") from e
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a ganbook TensorFlow checkpoint (format {FORMAT} expected)")
    return path, meta


def restore(trainer, path) -> None:
    """Load the full state of checkpoint `path` into `trainer`, refusing another config."""
    path, meta = read_meta(path)
    require_compatible(meta["config"], trainer.config.to_dict(), path)
    try:
        _tracked(trainer).read(str(path / "state")).assert_existing_objects_matched()
    except (AssertionError, ValueError, tf.errors.OpError) as e:
        raise ValueError(f"checkpoint {path} does not fit these networks: {e}") from e
    perm = path / "perm.npy"
    with tf.device(trainer.device):
        trainer._perm = tf.constant(np.load(perm)) if perm.exists() else None
    trainer._pos = meta["data_pos"]
    trainer.step = meta["step"]
    trainer.history = meta["history"]
    with np.load(path / "samples.npz") as packed:
        trainer.samples = files.unpack_samples(packed)


def load_generator(path, device=None):
    """The generator of checkpoint `path` (a folder, or a run folder: its newest): the
    weight average G_ema when the run kept one (TrainConfig.ema), else G.

        G = ganbook.tf.load_generator("runs/mnist"); x = ganbook.tf.sample(G, 64)
    """
    from ganbook.tf.models import build_models

    path, meta = read_meta(path)
    config = TrainConfig.from_dict(meta["config"])
    G, _ = build_models(config)
    name = "G_ema" if config.ema else "G"
    tf.train.Checkpoint(**{name: G}).read(str(path / "state")).expect_partial()
    G.config = config
    return G
