"""One MNIST DCGAN epoch: a plain loop against ganbook's trainer with its fast options.

    python benchmarks/gpu_epoch.py --framework torch [--batch-size 256]
        [--fast bf16,compile] [--images N] [--json FILE]

The epoch is MNIST's 60,000 training digits. The plain loop is throughput.py's
(pytorch/examples' DCGAN loop, batches copied from host memory; the TensorFlow
tutorial's tf.function step); ganbook's Trainer keeps the data set on the device,
uses channels_last in torch, and adds the --fast options: bf16 (autocast in
torch, the mixed_bfloat16 policy in TF) and compile (torch.compile; XLA via
jit_compile in TF). Both run the same networks, batch and update rule, the plain
loop first, each after --warmup steps that are not timed (compilation). The
losses of the two epochs are summarised side by side (mean and standard deviation
over the epoch's second half) to check that the fast options leave training
unchanged in distribution. Meant for a GPU; on a CPU, --images 4096 makes a
quick check of the script itself.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

import ganbook
from ganbook.config import TrainConfig
from throughput import plain_tf, plain_torch


def epoch_data(images: int | None) -> np.ndarray:
    """The training digits scaled to [-1, 1], (60,000, 28, 28, 1), cut to `images`."""
    from ganbook.data import load_mnist, scale
    x = scale(load_mnist("train")[0])[..., None]
    return x[:images] if images else x


def sync(framework: str, device) -> None:
    """Wait until the device has finished its queued work."""
    if framework == "torch":
        import torch
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize()


def run_plain(framework, config, x, device, warmup) -> tuple[float, np.ndarray]:
    """Seconds for one epoch of the plain loop after `warmup` steps, and its losses (steps, 2)."""
    step = (plain_torch if framework == "torch" else plain_tf)(config, x, device)
    steps = len(x) // config.batch_size
    for i in range(warmup):
        step(i)
    sync(framework, device)
    start = time.perf_counter()
    losses = [step(warmup + i) for i in range(steps)]
    sync(framework, device)
    seconds = time.perf_counter() - start
    return seconds, np.array([[float(d), float(g)] for d, g in losses])


def run_ganbook(framework, config, x, device, warmup) -> tuple[float, np.ndarray]:
    """Seconds for one epoch of ganbook's Trainer after `warmup` steps, and its losses (steps, 2)."""
    gb = ganbook.backend(framework)
    trainer = gb.Trainer(config, device=device)
    steps = len(x) // config.batch_size
    trainer.fit(x, steps=warmup)
    sync(framework, device)
    start = time.perf_counter()
    history = trainer.fit(x, steps=warmup + steps)  # the data go to the device once, in this call
    sync(framework, device)
    seconds = time.perf_counter() - start
    return seconds, np.array([history["d_loss"][warmup:], history["g_loss"][warmup:]]).T


def summary(losses: np.ndarray) -> dict:
    """Mean and standard deviation of the D and G losses over the second half of the epoch."""
    half = losses[len(losses) // 2:]
    return {f"{name}_{stat}": round(float(fn(half[:, k])), 4)
            for k, name in enumerate(("d_loss", "g_loss")) for stat, fn in (("mean", np.mean), ("sd", np.std))}


def resolve(framework: str, name: str | None):
    """(the device to pass the loops, its one-line description): torch's best device
    unless named; TensorFlow places the work itself (None)."""
    gb = ganbook.backend(framework)  # before the plain loop imports the framework
    if framework == "torch":
        device = gb.pick_device(name)
        return str(device), gb.describe_device(device)
    return None, gb.describe_device(gb.pick_device())


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--framework", choices=("torch", "tf"), required=True)
    p.add_argument("--device", default=None, help="torch: e.g. cuda (default: the best available)")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--images", type=int, default=None, help="cut the epoch to this many images (a quick check)")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps before each epoch")
    p.add_argument("--fast", default="bf16,compile", help="comma-separated: bf16, compile (or none)")
    p.add_argument("--update", choices=("alternating", "simultaneous"), default="alternating")
    p.add_argument("--json", default=None, help="also write the results here (with command and versions)")
    args = p.parse_args(argv)
    args.fast = [] if args.fast == "none" else args.fast.split(",")
    unknown = set(args.fast) - {"bf16", "compile"}
    if unknown:
        p.error(f"--fast takes bf16 and compile, got {sorted(unknown)}")
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    x = epoch_data(args.images)
    base = TrainConfig(model="dcgan", batch_size=args.batch_size, update=args.update, progress=False,
                       log_every=10_000)
    fast = base.replace(mixed_precision="bf16" if "bf16" in args.fast else None, compile="compile" in args.fast)
    device, where = resolve(args.framework, args.device)
    plain_s, plain_losses = run_plain(args.framework, base, x, device, args.warmup)
    fast_s, fast_losses = run_ganbook(args.framework, fast, x, device, args.warmup)
    result = {"framework": args.framework, "device": where, "images": len(x),
              "batch_size": args.batch_size, "update": args.update, "fast": args.fast,
              "plain_s": round(plain_s, 2), "ganbook_s": round(fast_s, 2), "speedup": round(plain_s / fast_s, 3),
              "plain_losses": summary(plain_losses), "ganbook_losses": summary(fast_losses)}
    print(f"{args.framework} on {result['device']}: one epoch of {len(x):,} images, batch {args.batch_size}: "
          f"plain {plain_s:.1f} s, ganbook ({'+'.join(args.fast) or 'no fast options'}) {fast_s:.1f} s, "
          f"speedup {result['speedup']:.2f}x")
    for name in ("plain", "ganbook"):
        print(f"  {name:8s} losses, second half: {result[name + '_losses']}")
    if args.json:
        from ganbook.book import provenance
        provenance.write_json_atomic(args.json, {**provenance.record(), "machine": platform.machine(), **result})
    return result


if __name__ == "__main__":
    main()
