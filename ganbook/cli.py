"""The `ganbook` command line.

    ganbook train --framework torch --dataset ring --steps 3000 --out runs/ring
    ganbook train --framework tf --model dcgan --dataset mnist --steps 5000 --out runs/dcgan \\
                  --checkpoint-every 500 --resume
    ganbook train --framework torch --dataset mnist --model-kwargs '{"n_classes": 10}' ...
                                                a class-conditional DCGAN
    ganbook sample --checkpoint runs/dcgan --n 64 --out grid.png
    ganbook evaluate --checkpoint runs/dcgan    metrics beside the real-data ceiling
    ganbook data --split all                    fetch (or find) and verify MNIST

Bad arguments exit with status 2, failures at run time with status 1.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from ganbook.atomic import atomic_write_text
from ganbook.config import DATASETS, LOSSES, MODELS, UPDATES, TrainConfig

TOY_DATASETS = ("ring", "grid", "bimodal")


def _integer_at_least(low: int, what: str):
    """An argparse type: an int >= low, else an error saying `what` it must be."""
    def parse(text: str) -> int:
        value = int(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"must be a {what} integer, got {text}")
        return value
    return parse


def _json_object(text: str) -> dict:
    """An argparse type: a JSON object, e.g. '{"n_classes": 10}'."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise argparse.ArgumentTypeError(f"must be a JSON object, e.g. '{{\"n_classes\": 10}}' ({e})") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object, e.g. '{{\"n_classes\": 10}}', got {text}")
    return value


_positive = _integer_at_least(1, "positive")
_nonnegative = _integer_at_least(0, "non-negative")


def _add_train(sub):
    p = sub.add_parser("train", help="train a GAN, with checkpoints and --resume")
    p.add_argument("--framework", choices=["torch", "tf"], required=True)
    p.add_argument("--model", choices=MODELS, default=None,
                   help="default: toy for the mixtures, dcgan for mnist")
    p.add_argument("--model-kwargs", type=_json_object, default={}, metavar="JSON",
                   help="the networks' options (ganbook.nets.options), e.g. "
                        "'{\"d_dense\": 1024, \"n_classes\": 10}' for a class-conditional DCGAN")
    p.add_argument("--loss", choices=LOSSES, default="nonsaturating")
    p.add_argument("--dataset", choices=DATASETS, default="mnist")
    p.add_argument("--split", choices=["train", "test", "all"], default="train",
                   help="MNIST split to train on (offline copies may hold only 'test')")
    p.add_argument("--data-root", default=None, help="local MNIST folder (default: $GANBOOK_DATA or the cache)")
    p.add_argument("--steps", type=_positive, required=True, help="generator steps in total")
    p.add_argument("--out", required=True, help="run folder: checkpoints, history.json, samples.png")
    p.add_argument("--checkpoint-every", type=int, default=0, metavar="K")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch-size", type=_positive, default=None)
    p.add_argument("--lr-g", type=float, default=None)
    p.add_argument("--lr-d", type=float, default=None)
    p.add_argument("--n-critic", type=_positive, default=1)
    p.add_argument("--gp-weight", type=float, default=0.0)
    p.add_argument("--pack", type=_positive, default=1, help="PacGAN packing: D judges this many samples at once")
    p.add_argument("--update", choices=UPDATES, default="alternating",
                   help="alternating D/G updates (default) or simultaneous (the TF tutorial's step)")
    p.add_argument("--sync-batchnorm", action="store_true",
                   help="data parallel: BatchNorm statistics over the global batch")
    p.add_argument("--mirrored", action="store_true",
                   help="TensorFlow: train data-parallel on every visible GPU (tf.distribute.MirroredStrategy)")
    p.add_argument("--multi-worker", action="store_true",
                   help="TensorFlow: one of several workers described by TF_CONFIG "
                        "(tf.distribute.MultiWorkerMirroredStrategy)")
    p.add_argument("--ema", type=float, default=0.0, metavar="DECAY",
                   help="sample from a moving average of G's weights, e.g. 0.999")
    p.add_argument("--lr-decay", choices=["linear"], default=None,
                   help="learning rates fall linearly to 0 at --steps")
    p.add_argument("--augment", choices=["translation"], default=None,
                   help="D sees image batches moved by a few pixels (for small data sets)")
    p.add_argument("--latent-dim", type=_positive, default=None, help="default: 2 for the mixtures, 100 for mnist")
    p.add_argument("--mixed-precision", choices=["bf16", "fp16"], default=None)
    p.add_argument("--compile", action="store_true", help="torch.compile / XLA")
    p.add_argument("--device", default=None)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=_cmd_train)


def _config_from(args) -> TrainConfig:
    toy = args.dataset in TOY_DATASETS
    base = TrainConfig()
    return TrainConfig(
        model=args.model or ("toy" if toy else "dcgan"), model_kwargs=args.model_kwargs,
        dataset=args.dataset, loss=args.loss,
        steps=args.steps, seed=args.seed, n_critic=args.n_critic, gp_weight=args.gp_weight,
        update=args.update, pack=args.pack, lr_decay=args.lr_decay, sync_batchnorm=args.sync_batchnorm,
        ema=args.ema, augment=args.augment,
        latent_dim=args.latent_dim or (2 if toy else base.latent_dim),
        batch_size=args.batch_size or base.batch_size,
        lr_g=args.lr_g or (3e-4 if toy else base.lr_g), lr_d=args.lr_d or (3e-4 if toy else base.lr_d),
        checkpoint_every=args.checkpoint_every, mixed_precision=args.mixed_precision,
        compile=args.compile, progress=not args.no_progress,
    )


def _backend(framework: str):
    if framework == "tf":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import importlib

    return importlib.import_module(f"ganbook.{framework}")


def _cmd_train(args, parser) -> int:
    from ganbook.train import checkpoints
    from ganbook.data.registry import training_data
    from ganbook.nets.options import model_arguments

    try:
        config = _config_from(args)
        model_arguments(config)  # the data set fits the model and model_kwargs are its options
    except ValueError as e:
        parser.error(str(e))
    out = Path(args.out)
    if checkpoints.list_checkpoints(out) and not args.resume:
        parser.error(f"{out} already holds checkpoints; pass --resume to continue, "
                     "or choose another --out")
    if (args.mirrored or args.multi_worker) and args.framework != "tf":
        parser.error("--mirrored and --multi-worker are for --framework tf; "
                     "PyTorch trains on several GPUs under torchrun")
    if args.mirrored and args.multi_worker:
        parser.error("choose one of --mirrored (one machine) and --multi-worker (several)")
    if args.multi_worker and "TF_CONFIG" not in os.environ:
        parser.error("--multi-worker needs TF_CONFIG, the cluster and this worker's task")
    gb = _backend(args.framework)
    world = _join_processes(args.framework)
    with _strategy_scope(args.mirrored, args.multi_worker):
        trainer = gb.Trainer(config, out_dir=out, device=args.device)
    resumed = args.resume and trainer.resume()
    main = world.main and trainer.is_main
    say = print if main else (lambda *a, **k: None)
    replicas = getattr(trainer, "replicas", 1)
    parallel = (f", {world.size} processes" if world.size > 1
                else f", {replicas} replicas" if replicas > 1 else "")
    say(f"ganbook train: {args.framework} on {gb.describe_device(trainer.device)}{parallel}; "
        + (f"resumed at step {trainer.step}" if resumed else "new run"), flush=True)
    x, y = training_data(config, split=args.split, root=args.data_root)
    trainer.fit(x, y if config.conditional else None)
    if main:
        _write_json(out / "history.json", trainer.history)
    say(f"ganbook train: done at step {trainer.step}; checkpoint {trainer.last_checkpoint}")
    return 0


def _strategy_scope(mirrored: bool, multi_worker: bool):
    """The scope of a tf.distribute strategy (MirroredStrategy over the visible GPUs, or
    MultiWorkerMirroredStrategy from TF_CONFIG), or a no-op."""
    if not (mirrored or multi_worker):
        return contextlib.nullcontext()
    import tensorflow as tf
    if multi_worker:
        return tf.distribute.MultiWorkerMirroredStrategy().scope()
    return tf.distribute.MirroredStrategy().scope()


def _join_processes(framework: str):
    """Under torchrun: join the process group (torch) and return this process's World."""
    from ganbook.train.parallel import World, launched

    if framework == "torch":
        from ganbook.torch import distributed
        return distributed.setup()
    if launched():
        raise SystemExit("ganbook train: torchrun (WORLD_SIZE > 1) starts PyTorch processes; "
                         "use --framework torch")
    return World()


def _write_json(path: Path, obj) -> None:
    atomic_write_text(path, json.dumps(obj))


def _framework_of(path: Path) -> str:
    if path.suffix == ".pt" or (path.is_dir() and any(path.glob("ckpt-*.pt"))):
        return "torch"
    if (path / "meta.json").is_file() or (path.is_dir() and any(path.glob("ckpt-*/meta.json"))):
        return "tf"
    raise FileNotFoundError(f"no ganbook checkpoint at {path} (expected ckpt-*.pt or ckpt-*/meta.json)")


def _add_sample(sub):
    p = sub.add_parser("sample", help="draw samples from a checkpoint into a PNG")
    p.add_argument("--checkpoint", required=True, help="a checkpoint, or a run folder (its newest)")
    p.add_argument("--n", type=_positive, default=64)
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_sample)


def _cmd_sample(args, parser) -> int:
    from ganbook import plot

    if not args.out.lower().endswith(".png"):
        parser.error(f"--out must name a .png file, got {args.out}")
    path = Path(args.checkpoint)
    gb = _backend(_framework_of(path))
    G = gb.load_generator(path)
    x = gb.sample(G, args.n, seed=args.seed)
    plot.save_samples(x, G.config, args.out)
    print(f"ganbook sample: {args.n} samples from {path} -> {args.out}")
    return 0


def _add_evaluate(sub):
    p = sub.add_parser("evaluate", help="score a checkpoint's generator against held-out MNIST digits")
    p.add_argument("--checkpoint", required=True, help="a checkpoint, or a run folder (its newest)")
    p.add_argument("--n", type=_positive, default=5000, help="samples to draw (default 5000)")
    p.add_argument("--seed", type=_nonnegative, default=0)
    p.add_argument("--data-root", default=None, help="local MNIST folder (default: $GANBOOK_DATA or the cache)")
    p.add_argument("--batch-size", type=_positive, default=500)
    p.set_defaults(func=_cmd_evaluate)


def _cmd_evaluate(args, parser) -> int:
    from ganbook.eval.evaluation import evaluate

    path = Path(args.checkpoint)
    gb = _backend(_framework_of(path))
    G = gb.load_generator(path)
    if G.config.dataset != "mnist":
        parser.error(f"{path} holds a generator for the toy dataset {G.config.dataset!r}; "
                     "evaluate scores MNIST generators only")
    report = evaluate(G, n=args.n, seed=args.seed, root=args.data_root, batch_size=args.batch_size)
    print(f"ganbook evaluate: {args.n} samples from {path}\n{report.table()}")
    return 0


def _add_data(sub):
    p = sub.add_parser("data", help="download (or find) and verify MNIST")
    p.add_argument("--split", choices=["train", "test", "all"], default="all")
    p.add_argument("--root", default=None, help="a local folder with the .gz files")
    p.set_defaults(func=_cmd_data)


def _cmd_data(args, parser) -> int:
    from ganbook.data import cache_dir, load_mnist

    images, _ = load_mnist(args.split, root=args.root)
    where = args.root or os.environ.get("GANBOOK_DATA") or cache_dir()
    print(f"MNIST {args.split}: {len(images)} images {images.shape[1:]}, verified; from {where}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ganbook", description="GANs in PyTorch and TensorFlow.")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (_add_train, _add_sample, _add_evaluate, _add_data):
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    sub = parser._subparsers._group_actions[0].choices[args.command]
    try:
        return args.func(args, sub)
    except (ValueError, FileNotFoundError, FloatingPointError) as e:
        print(f"ganbook {args.command}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
