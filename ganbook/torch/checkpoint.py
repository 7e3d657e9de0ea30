"""Full-state checkpoints for the PyTorch trainer, and loading a generator back.

A checkpoint is one file `ckpt-<step>.pt`, a dict of tensors and plain Python
values (so it loads with `weights_only=True`): config, step, both networks,
both optimisers, the RNG states, the history, the data cursor and the
fixed-noise sample snapshots.
"""
from __future__ import annotations

import platform
from pathlib import Path

import torch
from torch import nn

from ganbook.config import TrainConfig, require_compatible
from ganbook.torch.device import pick_device
from ganbook.torch.models import build_models
from ganbook.train import checkpoints as files
from ganbook.train.loop import resolve_network

FORMAT = "ganbook-torch-1"
SUFFIX = ".pt"


def _rng(state: dict) -> dict:
    """RandomState.state_dict() under the checkpoint's keys ("torch": the CPU state)."""
    return {"torch": state["cpu"], "cuda": state["cuda"]}


def _state(trainer) -> dict:
    return {
        "format": FORMAT,
        "config": trainer.config.to_dict(),
        "step": trainer.step,
        "G": trainer.G.state_dict(),
        "D": trainer.D.state_dict(),
        **({"G_ema": trainer.G_ema.state_dict()} if trainer.G_ema is not None else {}),
        "opt_g": trainer.opt_g.state_dict(),
        "opt_d": trainer.opt_d.state_dict(),
        "scaler_g": trainer.scaler_g.state_dict(),
        "scaler_d": trainer.scaler_d.state_dict(),
        "networks": "yours" if trainer.user_networks else "config",
        "rng": {**_rng(trainer.rng.state_dict()), "trainer": trainer.gen.get_state()},
        "data": {"perm": None if trainer.cursor.perm is None else trainer.cursor.perm.cpu(),
                 "pos": trainer.cursor.pos},
        "history": trainer.history,
        "samples": {k: torch.from_numpy(v) for k, v in files.pack_samples(trainer.samples).items()},
        "versions": {"torch": str(torch.__version__), "python": platform.python_version()},
    }


def save(trainer, folder) -> Path:
    """Write trainer's state to folder/ckpt-<step>.pt via a temporary file and a rename."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / files.checkpoint_name(trainer.step, SUFFIX)
    tmp = files.temporary_path(final)
    torch.save(_state(trainer), tmp)
    files.commit(tmp, final)
    return final


def read(path) -> dict:
    """Load a checkpoint dict safely (weights_only=True), checking its format."""
    path = Path(path)
    if path.is_dir():
        newest = files.newest_checkpoint(path, SUFFIX)
        if newest is None:
            raise FileNotFoundError(f"no ckpt-*.pt checkpoint in {path}")
        path = newest
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        raise files.UnreadableCheckpoint(f"{path} is not a readable ganbook PyTorch checkpoint ({e})") from e
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise files.UnreadableCheckpoint(f"{path} is not a ganbook PyTorch checkpoint (format {FORMAT} expected)")
    return state


def read_config(path) -> TrainConfig:
    """The TrainConfig of checkpoint `path` (a file, or a run folder: its newest)."""
    return TrainConfig.from_dict(read(path)["config"])


def restore(trainer, path) -> None:
    """Load the full state of checkpoint `path` into `trainer`, refusing another config."""
    state = read(path)
    require_compatible(state["config"], trainer.config.to_dict(), path)
    try:
        trainer.G.load_state_dict(state["G"])
        trainer.D.load_state_dict(state["D"])
        if trainer.G_ema is not None:
            trainer.G_ema.load_state_dict(state["G_ema"])
    except RuntimeError as e:
        raise ValueError(f"checkpoint {path} holds other network shapes: {e}") from e
    trainer.opt_g.load_state_dict(state["opt_g"])
    trainer.opt_d.load_state_dict(state["opt_d"])
    trainer.scaler_g.load_state_dict(state["scaler_g"])
    trainer.scaler_d.load_state_dict(state["scaler_d"])
    trainer.rng.load_state_dict({"cpu": state["rng"]["torch"], "cuda": state["rng"]["cuda"]})
    trainer.gen.set_state(state["rng"]["trainer"])
    perm = state["data"]["perm"]
    trainer.cursor.perm = None if perm is None else perm.to(trainer.device)
    trainer.cursor.pos = state["data"]["pos"]
    trainer.step = state["step"]
    trainer.history = state["history"]
    trainer.samples = files.unpack_samples({k: v.numpy() for k, v in state["samples"].items()})


def load_generator(path, G=None, device=None):
    """The generator of checkpoint `path` (a file, or a run folder: its newest), in eval mode:
    the weight average G_ema when the run kept one (TrainConfig.ema), else G.

    G: the network to load the weights into (or a function that returns one). A
    run of the config's model needs none: it is built from the stored config.
    A run of your own networks needs it, built as for training.

        G = ganbook.torch.load_generator("runs/mnist"); x = ganbook.torch.sample(G, 64)
        G = ganbook.torch.load_generator("runs/mine", G=MyGenerator())
    """
    state = read(path)
    if G is None:
        if state.get("networks") == "yours":
            raise ValueError(f"checkpoint {path} was trained with your own networks; pass the "
                             "generator to load into: load_generator(path, G=MyGenerator(...))")
        G, _ = build_models(TrainConfig.from_dict(state["config"]))
    G = resolve_network(G, nn.Module, "G")
    try:
        G.load_state_dict(state.get("G_ema", state["G"]))
    except RuntimeError as e:
        raise ValueError(f"checkpoint {path} holds another generator than {type(G).__name__}: {e}") from e
    return G.to(pick_device(device)).eval()
