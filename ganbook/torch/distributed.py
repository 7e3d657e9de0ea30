"""Data-parallel training on several processes with torch.distributed and DDP.

Start a script or `ganbook train` with torchrun; each process trains one shard
of every batch and DistributedDataParallel averages the gradients:

    torchrun --nproc_per_node 4 -m ganbook train --framework torch ...
    torchrun --nnodes 2 --node_rank 0 --nproc_per_node 8 \\
             --rdzv_backend c10d --rdzv_endpoint HOST:29500 -m ganbook train ...

`setup()` joins the process group that torchrun describes in the environment
(RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT): NCCL on CUDA GPUs, gloo on
CPUs. Without torchrun everything here is a no-op for a single process.
"""
from __future__ import annotations

import os

import torch
import torch.distributed as dist

from ganbook.train.parallel import World, launched


def setup(backend: str | None = None) -> World:
    """Join the process group described by the environment (once); return this process's World.

    backend: "nccl" or "gloo"; default nccl when CUDA is available, else gloo.
    On CUDA each process uses the GPU of its LOCAL_RANK.
    """
    if not launched():
        return World()
    if not dist.is_initialized():
        backend = backend or ("nccl" if torch.cuda.is_available() else "gloo")
        if backend == "nccl":
            torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
        dist.init_process_group(backend)
    return current()


def current() -> World:
    """The World of this process: rank 0 of 1 unless a process group is initialised."""
    if not (dist.is_available() and dist.is_initialized()):
        return World()
    return World(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", "0")))


def device_for(world: World, name: str | None = None) -> torch.device | None:
    """The device of this process: cuda:<local rank> when several processes share CUDA
    GPUs (and no device was named), else None (the usual choice)."""
    if name is None and world.size > 1 and torch.cuda.is_available():
        return torch.device("cuda", world.local_rank)
    return None if name is None else torch.device(name)


def barrier(world: World) -> None:
    """Wait for every process (no-op for one)."""
    if world.size > 1:
        dist.barrier()


def mean_over_ranks(x: torch.Tensor, world: World) -> torch.Tensor:
    """The element-wise mean of `x` over all processes (x itself for one)."""
    if world.size == 1:
        return x
    x = x.clone()
    dist.all_reduce(x, op=dist.ReduceOp.SUM)
    return x / world.size
