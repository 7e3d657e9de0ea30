"""Super-resolution of MNIST digits, 14x14 -> 28x28: PSNR of bicubic, pixel-loss and SRGAN-style generators.

    python experiments/superres.py [--framework torch|tf] [--steps 3000] [--adv-weight 0.01]
        [--seeds 0,1,2] [--threads 2] [--out experiments/results/superres-<framework>.json]

For each seed, trains ganbook's SRGenerator on `ganbook.data.registry.training_digits()`
twice, with the pixel (L1) loss alone and with the adversarial term added
(`train_superres(adv_weight=...)`), and measures the PSNR of both and of bicubic
upsampling on the 10,000 MNIST test digits, average-pooled to 14x14 and
compared with the originals. The JSON file holds every seed and the mean and
standard error over seeds.
"""
from __future__ import annotations

import argparse
import time

import ganbook
from ganbook import provenance, superres
from ganbook.data.mnist import load_mnist
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.eval.metrics import mean_se

METHODS = ("bicubic", "pixel loss", "pixel + adversarial")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), default="torch")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--adv-weight", type=float, default=1e-2)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=None, help="default: experiments/results/superres-<framework>.json")
    args = p.parse_args(argv)
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    args.out = args.out or f"experiments/results/superres-{args.framework}.json"
    return args


def main(argv=None) -> None:
    from mnist_quality import set_threads  # same folder

    args = parse_args(argv)
    gb = ganbook.backend(args.framework)
    set_threads(args.framework, args.threads)
    images, _, data = training_digits()
    train = scale(images)[..., None]
    test = scale(load_mnist("test")[0])[..., None]
    low = superres.downsample(test)
    runs = []
    for seed in args.seeds:
        run = {"seed": seed, "bicubic": float(superres.psnr(superres.bicubic(low), test).mean())}
        for name, weight in (("pixel loss", 0.0), ("pixel + adversarial", args.adv_weight)):
            start = time.perf_counter()
            G, _ = gb.train_superres(train, args.steps, adv_weight=weight, seed=seed)
            run[name] = float(superres.psnr(gb.superresolve(G, low), test).mean())
            run[name + " train_s"] = round(time.perf_counter() - start, 1)
        runs.append(run)
        print("seed", seed, "  ".join(f"{m} {run[m]:.2f} dB" for m in METHODS), flush=True)
        summary = {m: dict(zip(("mean", "se"), mean_se(r[m] for r in runs))) for m in METHODS}
        provenance.write_json_atomic(args.out, {
            **provenance.record(), "complete": seed == args.seeds[-1], "framework": args.framework,
            "threads": args.threads, "data": data, "steps": args.steps, "adv_weight": args.adv_weight,
            "test": f"{len(test):,} MNIST test digits, 14x14 -> 28x28", "summary": summary, "runs": runs})


if __name__ == "__main__":
    main()
