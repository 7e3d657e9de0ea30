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

from ganbook import checkpoints as files
from ganbook.config import TrainConfig, require_compatible

FORMAT = "ganbook-torch-1"
SUFFIX = ".pt"


def step_of(path) -> int:
    return int(Path(path).name.split("-")[1].split(".")[0])


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
        "rng": {"torch": torch.get_rng_state(), "trainer": trainer.gen.get_state(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []},
        "data": {"perm": None if trainer._perm is None else trainer._perm.cpu(), "pos": trainer._pos},
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
        raise ValueError(f"{path} is not a readable ganbook PyTorch checkpoint ({e})") from e
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"{path} is not a ganbook PyTorch checkpoint (format {FORMAT} expected)")
    return state


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
    torch.set_rng_state(state["rng"]["torch"])
    trainer.gen.set_state(state["rng"]["trainer"])
    if state["rng"]["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["rng"]["cuda"])
    perm = state["data"]["perm"]
    trainer._perm = None if perm is None else perm.to(trainer.device)
    trainer._pos = state["data"]["pos"]
    trainer.step = state["step"]
    trainer.history = state["history"]
    trainer.samples = files.unpack_samples({k: v.numpy() for k, v in state["samples"].items()})


def load_generator(path, device=None):
    """The generator of checkpoint `path` (a file, or a run folder: its newest), in eval mode:
    the weight average G_ema when the run kept one (TrainConfig.ema), else G.

        G = ganbook.torch.load_generator("runs/mnist"); x = ganbook.torch.sample(G, 64)
    """
    from ganbook.torch.device import pick_device
    from ganbook.torch.models import build_models

    state = read(path)
    config = TrainConfig.from_dict(state["config"])
    G, _ = build_models(config)
    G.load_state_dict(state.get("G_ema", state["G"]))
    G.config = config
    return G.to(pick_device(device)).eval()
