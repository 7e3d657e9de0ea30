"""MNIST sample quality over a DCGAN run: classifier score, FD, KID, precision and recall.

    python experiments/mnist_quality.py [--framework tf|torch] [--steps 6000]
        [--eval-every 500] [--n-eval 5000] [--set key=value ...] [--threads 2]
        [--out experiments/results/mnist_dcgan-tf.json]

Trains ganbook's MNIST DCGAN (the TensorFlow tutorial's networks and settings,
`TrainConfig()` defaults, changed with --set: TrainConfig fields such as
lr_g=2e-4, and the DCGAN's options such as dense=1024 or n_classes=10) on
`ganbook.data.registry.training_digits()` (the 60,000 training digits) and,
every --eval-every steps, scores --n-eval samples with `ganbook.evaluate` (with
--set ema=..., the weight average G_ema, and the last iterate G beside it),
beside the real-data reference: as many test digits, scored the same way. The
JSON file (rewritten atomically after every evaluation) holds the curve, the
real-data reference, the config, the data, the command, versions, hardware and
wall times.
"""
from __future__ import annotations

import argparse
import ast
import dataclasses
import time

import ganbook
from ganbook import evaluate, provenance
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.registry import training_digits
from ganbook.nets.options import model_options

# accuracy: how often the classifier names the class asked for (conditional G; None otherwise).
METRICS = ("classifier_score", "fd", "kid", "precision", "recall", "classes", "reverse_kl", "accuracy")


def parse_set(items: list[str]) -> dict:
    """['lr_g=2e-4', 'betas=(0.5, 0.9)'] -> {'lr_g': 0.0002, 'betas': (0.5, 0.9)}."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--set {item!r}: write key=value, e.g. --set lr_g=2e-4")
        try:
            out[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            out[key] = value
    return out


def make_config(settings: dict, steps: int) -> TrainConfig:
    """The DCGAN run's TrainConfig: --set's TrainConfig fields, and its other keys as
    the model's options ({"dense": 1024, "lr_g": 2e-4} -> DCGANOptions(dense=1024), lr_g=2e-4)."""
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    options = {k: v for k, v in settings.items() if k not in fields}
    settings = {k: v for k, v in settings.items() if k in fields}
    model = model_options(settings.pop("model", "dcgan"))
    known = {f.name for f in dataclasses.fields(model)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise SystemExit(f"--set {unknown}: neither TrainConfig fields nor options of model "
                         f"{model.name!r} ({sorted(known)})")
    model = dataclasses.replace(model, **{k: tuple(v) if isinstance(v, list) else v for k, v in options.items()})
    return TrainConfig(model=model, steps=steps, progress=False, log_every=100, **settings)


def set_threads(framework: str, threads: int) -> None:
    """Limit the framework's CPU threads to `threads` (call after ganbook.backend)."""
    if framework == "torch":
        import torch
        torch.set_num_threads(threads)
    else:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


def scores(report) -> dict:
    """The model row's metrics as plain numbers (means of (mean, std) pairs kept with their std)."""
    return {key: report["model"][key] for key in METRICS}


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), default="tf")
    p.add_argument("--steps", type=int, default=6000)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--n-eval", type=int, default=5000)
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                   help="TrainConfig fields and the DCGAN's options")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default=None, help="default: experiments/results/mnist_dcgan-<framework>.json")
    args = p.parse_args(argv)
    args.out = args.out or f"experiments/results/mnist_dcgan-{args.framework}.json"
    if args.steps < 1 or args.eval_every < 1 or args.n_eval < 1:
        p.error("--steps, --eval-every and --n-eval must be positive")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    gb = ganbook.backend(args.framework)
    set_threads(args.framework, args.threads)
    config = make_config(parse_set(args.set), args.steps)
    images, labels, data = training_digits()
    x = scale(images)[..., None]
    trainer = gb.Trainer(config)
    curve, train_s = [], 0.0
    for step in range(args.eval_every, args.steps + args.eval_every, args.eval_every):
        step = min(step, args.steps)
        start = time.perf_counter()
        trainer.fit(x, labels if config.conditional else None, steps=step)
        train_s += time.perf_counter() - start
        report = evaluate(trainer.averaged_generator(), n=args.n_eval, framework=args.framework)
        real = {key: report["real"][key] for key in METRICS}
        curve.append({"step": step, "train_s": round(train_s, 1), **scores(report)})
        if config.ema:  # the weight average is scored above; the last iterate G beside it
            last = evaluate(trainer.G, n=args.n_eval, framework=args.framework)
            curve[-1]["last_iterate"] = scores(last)
            print(f"             last iterate: score {last['model']['classifier_score'][0]:.3f}", flush=True)
        print(f"step {step:6d}  {train_s:7.0f} s  score {report['model']['classifier_score'][0]:.3f}  "
              f"FD {report['model']['fd']:.3g}  KID {report['model']['kid'][0]:.3g}  "
              f"classes {report['model']['classes']}", flush=True)
        provenance.write_json_atomic(args.out, {
            **provenance.record(), "complete": step == args.steps, "framework": args.framework,
            "threads": args.threads, "data": data, "n_train": len(x), "n_eval": args.n_eval,
            "reference": report.note(), "config": config.to_dict(), "real_reference": real,
            "curve": curve})


if __name__ == "__main__":
    main()
