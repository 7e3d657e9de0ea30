"""The `ganbook` command line.

    ganbook train --framework torch --dataset ring --steps 4000 --out runs/ring
    ganbook train --framework tf --dataset mnist --steps 5000 --out runs/dcgan --checkpoint-every 500 --resume
    ganbook train --framework torch --dataset mnist --n-classes 10 --dense 1024 --out runs/cdcgan
    ganbook train --framework torch --recipe recommended --dataset grid --out runs/grid
    ganbook train --framework torch --config run.toml --lr-g 2e-4 --out runs/mine
    ganbook sample --checkpoint runs/dcgan --n 64 --out grid.png
    ganbook evaluate --checkpoint runs/dcgan    metrics beside the real-data reference
    ganbook data --split all                    fetch (or find) and verify MNIST

`train` has one flag per TrainConfig field and per model option, made from their
dataclasses. A run's settings, each over the one before: TrainConfig's defaults,
--recipe, --config, the flags given. Bad arguments exit with status 2, failures
at run time with status 1.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import json
import os
import sys
import types
import typing
from pathlib import Path
from typing import Literal

from ganbook.atomic import atomic_write_text
from ganbook.backend import BACKENDS, backend
from ganbook.config import TrainConfig
from ganbook.data import cache_dir, load_mnist
from ganbook.data.registry import DATASETS, get_dataset, training_data
from ganbook.data.toy import MIXTURES, mixture_centers
from ganbook.eval.evaluation import evaluate
from ganbook.nets.options import MODELS, model_arguments
from ganbook.studies import recipes
from ganbook.train import checkpoints, runlock
from ganbook.train.parallel import World, launched
from ganbook.train.runlock import RunFolderBusy

_MODEL = "model."  # the dest prefix of --model (model.name) and of the model options


def _integer_at_least(low: int, what: str):
    """An argparse type: an int >= low, else an error saying `what` it must be."""
    def parse(text: str) -> int:
        value = int(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"must be a {what} integer, got {text}")
        return value
    return parse


_positive = _integer_at_least(1, "positive")
_nonnegative = _integer_at_least(0, "non-negative")


# ---- flags made from dataclass fields ----------------------------------------------------
@functools.cache
def _hints(cls) -> dict:
    """{field name: resolved annotation} of a dataclass's fields."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _split_optional(hint):
    """(the annotation without None, whether None is allowed): `float | None` -> (float, True)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return hint, False


def _or_none(convert):
    """An argparse type: `convert`, or None for the word "none" (to unset a recipe's or file's value)."""
    def parse(text: str):
        return None if text == "none" else convert(text)
    parse.__name__ = convert.__name__  # argparse names it in "invalid float value"
    return parse


def _flag_kwargs(name: str, hint, default) -> dict:
    """add_argument's keywords for a field annotated `hint`: booleans --x/--no-x,
    Literal choices, tuples nargs (tuple[int, ...]: one or more), int/float/str."""
    hint, optional = _split_optional(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is bool and not optional:
        return dict(action=argparse.BooleanOptionalAction)
    if origin is Literal:
        kw = dict(type=type(args[0]), choices=args + ((None,) if optional else ()),
                  metavar="{" + ",".join(map(str, args + (("none",) if optional else ()))) + "}")
    elif (hint is tuple or origin is tuple) and not optional:
        items = args or tuple(type(v) for v in default)
        many = items[-1] is Ellipsis
        if len(set(items) - {Ellipsis}) != 1:
            raise TypeError(f"no command-line flag for {name}: a tuple of mixed types {hint}")
        kw = dict(type=items[0], nargs="+" if many else len(items),
                  metavar=items[0].__name__.upper())
    elif hint in (int, float, str):
        kw = dict(type=hint, metavar=hint.__name__.upper() + ("|none" if optional else ""))
    else:
        raise TypeError(f"no command-line flag for {name}: annotation {hint} is not supported")
    if optional:
        kw["type"] = _or_none(kw["type"])
    return kw


def _option_hints() -> dict:
    """{option: annotation} over every model of MODELS; one option has one type in all."""
    options = {}
    for cls in MODELS.values():
        for name, hint in _hints(cls).items():
            if options.setdefault(name, hint) != hint:
                raise TypeError(f"model option {name} is {options[name]} in one model and {hint} "
                                f"in {cls.name!r}; the command line needs one type")
    return options


def _add_config_flags(group) -> None:
    """One flag per TrainConfig field (the model's are _add_model_flags'), default: not given."""
    defaults = TrainConfig()
    for name, hint in _hints(TrainConfig).items():
        if name == "model":
            continue
        kw = _flag_kwargs(name, hint, getattr(defaults, name))
        more = ""
        if name == "dataset":
            kw.update(choices=tuple(DATASETS), metavar="{" + ",".join(DATASETS) + "}")
            more = "; points without --model, --recipe or --config: recipes.TOY's settings"
        group.add_argument(_flag(name), dest=name, default=argparse.SUPPRESS, **kw,
                           help=f"TrainConfig.{name} (default {getattr(defaults, name)!r}{more})")


def _add_model_flags(group) -> None:
    """--model NAME and one flag per option of any model, each checked against the model chosen."""
    group.add_argument("--model", dest=_MODEL + "name", choices=tuple(MODELS), default=argparse.SUPPRESS,
                       help="the model; its options below (default: TrainConfig's, see --dataset)")
    for name, hint in _option_hints().items():
        takers = [m for m, cls in MODELS.items() if name in _hints(cls)]
        group.add_argument(_flag(name), dest=_MODEL + name, default=argparse.SUPPRESS,
                           **_flag_kwargs(name, hint, None), help=f"option of model {', '.join(takers)}")


# ---- the run: defaults < recipe < config file < flags -------------------------------------
def train_config(args) -> TrainConfig:
    """The run that parsed `ganbook train` arguments describe: TrainConfig's defaults,
    then --recipe (or recipes.TOY, see _starting_point), then --config, then the
    flags given, each over the one before. ValueError if that is not a valid run."""
    defaults = TrainConfig().to_dict()
    flags = _given(args)
    file = _read_config_file(args.config) if args.config else {}
    start = _starting_point(args, {**defaults, **file, **flags}["dataset"], defaults["seed"], flags)
    merged = functools.reduce(_overlay, (defaults, start, file, flags))
    _check_model_flags(flags.get("model", {}), merged["model"]["name"])
    try:
        return TrainConfig.from_dict(merged)
    except TypeError as e:  # a value of the wrong type that _read_config_file let through
        raise ValueError(f"TrainConfig: {e}") from None


def _given(args) -> dict:
    """The TrainConfig fields given on the command line, the model as {"name": ..., **options}."""
    given = vars(args)
    fields = {name: given[name] for name in _hints(TrainConfig) if name in given}
    model = {k[len(_MODEL):]: v for k, v in given.items() if k.startswith(_MODEL)}
    return {**fields, "model": model} if model else fields


def _starting_point(args, dataset: str, seed: int, flags: dict) -> dict:
    """--recipe's settings for `dataset`; else, for a data set of points and no --model or
    --config, recipes.TOY (the toy model, 2-D noise); else nothing."""

    if args.recipe:
        return recipes.recipe_config(args.recipe, dataset, seed).to_dict()
    if "name" not in flags.get("model", {}) and not args.config and not get_dataset(dataset).images:
        return dict(recipes.TOY)
    return {}


def _model_dict(model) -> dict:
    return {"name": model} if isinstance(model, str) else dict(model or {})


def _overlay(low: dict, high: dict) -> dict:
    """high's settings over low's; the model's options merge while high keeps low's model."""
    merged = {**low, **high}
    if "model" in high:
        below, above = _model_dict(low.get("model")), _model_dict(high["model"])
        same = above.get("name", below.get("name")) == below.get("name")
        merged["model"] = {**below, **above} if same else above
    return merged


def _check_model_flags(options: dict, model: str) -> None:
    """Refuse an option flag that `model` does not take, naming the options it does."""
    if model not in MODELS:
        return  # model_options names the models there are
    takes = _hints(MODELS[model])
    wrong = [_flag(o) for o in options if o != "name" and o not in takes]
    if wrong:
        raise ValueError(f"{', '.join(wrong)}: not an option of model {model!r}; "
                         f"its options: {' '.join(map(_flag, takes)) or 'none'}")


def _read_config_file(path) -> dict:
    """A TOML file's TrainConfig fields: top-level keys, the model as a [model] table
    holding its name and options (or `model = "toy"`), each value of its field's type."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            settings = tomllib.load(fh)
    except OSError as e:
        raise ValueError(f"--config {path}: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"--config {path}: not valid TOML ({e})") from None
    problem = _file_problem(settings)
    if problem:
        raise ValueError(f"--config {path}: {problem}")
    return settings


def _file_problem(settings: dict) -> str | None:
    """What is wrong with a config file's settings: a key that is no TrainConfig field,
    a model that is neither a name nor a table, a value not of its field's type."""
    fields, options = _hints(TrainConfig), _option_hints()
    unknown = sorted(set(settings) - set(fields))
    if unknown:
        return f"{unknown} are not TrainConfig fields; the keys are {sorted(fields)}, the model a [model] table"
    model = settings.get("model", "")
    if not isinstance(model, (str, dict)) or not isinstance(_model_dict(model).get("name", ""), str):
        return f"model must be a name or a [model] table (name and options), got {model!r}"
    checks = [(k, v, fields[k]) for k, v in settings.items() if k != "model"]
    checks += [(f"model.{k}", v, options[k]) for k, v in _model_dict(model).items() if k in options]
    for key, value, hint in checks:
        if not _fits(hint, value):
            return f"{key} = {value!r} is not of type {hint}"
    return None


def _fits(hint, value) -> bool:
    """Whether a TOML value suits a field annotated `hint` (an int suits a float field)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(a, value) for a in args)
    if origin is Literal:
        return value in args
    if hint is tuple or origin is tuple:
        if not isinstance(value, (list, tuple)):
            return False
        items = args[:1] * len(value) if args[-1:] == (Ellipsis,) else args or (float,) * len(value)
        return len(items) == len(value) and all(map(_fits, items, value))
    if hint is float:
        hint = (int, float)
    return isinstance(value, hint) and (hint is bool or not isinstance(value, bool))


# ---- ganbook train --------------------------------------------------------------------------
def _add_train(sub):
    p = sub.add_parser("train", help="train a GAN, with checkpoints and --resume",
                       description="Train a GAN. Settings, each over the one before: TrainConfig's "
                                   "defaults, --recipe, --config, the flags given.")
    p.add_argument("--framework", choices=BACKENDS, required=True)
    p.add_argument("--out", required=True, help="run folder: checkpoints, history.json")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    p.add_argument("--config", metavar="FILE.toml",
                   help="a run's settings: TrainConfig fields as keys, the model as a [model] table")
    p.add_argument("--recipe", choices=_recipe_names(), help="a named recipe (ganbook.studies.recipes) "
                   "for --dataset")
    p.add_argument("--split", choices=["train", "test", "all"], default="train",
                   help="MNIST split to train on (offline copies may hold only 'test')")
    p.add_argument("--data-root", default=None, help="local MNIST folder (default: $GANBOOK_DATA or the cache)")
    p.add_argument("--device", default=None)
    p.add_argument("--mirrored", action="store_true",
                   help="TensorFlow: train data-parallel on every visible GPU (tf.distribute.MirroredStrategy)")
    p.add_argument("--multi-worker", action="store_true",
                   help="TensorFlow: one of several workers described by TF_CONFIG "
                        "(tf.distribute.MultiWorkerMirroredStrategy)")
    _add_config_flags(p.add_argument_group("run settings (ganbook.config.TrainConfig)"))
    _add_model_flags(p.add_argument_group("model (ganbook.nets.options)"))
    p.set_defaults(run=_cmd_train, command_parser=p)


def _recipe_names() -> list[str]:

    return sorted(recipes.RECIPES)


def _cmd_train(args, parser) -> int:
    try:
        config = train_config(args)
        model_arguments(config)  # the model takes the data set's samples
    except ValueError as e:
        parser.error(str(e))
    _check_parallel_flags(args, parser)
    out = Path(args.out)
    lock = _hold_run_folder(out, args)
    try:
        if checkpoints.list_checkpoints(out) and not args.resume:
            parser.error(f"{out} already holds checkpoints; pass --resume to continue, "
                         "or choose another --out")
        _train(args, config, out)
    finally:
        if lock is not None:
            lock.release()
    return 0


def _check_parallel_flags(args, parser) -> None:
    if (args.mirrored or args.multi_worker) and args.framework != "tf":
        parser.error("--mirrored and --multi-worker are for --framework tf; "
                     "PyTorch trains on several GPUs under torchrun")
    if args.mirrored and args.multi_worker:
        parser.error("choose one of --mirrored (one machine) and --multi-worker (several)")
    if args.multi_worker and "TF_CONFIG" not in os.environ:
        parser.error("--multi-worker needs TF_CONFIG, the cluster and this worker's task")


def _hold_run_folder(out: Path, args):
    """Lock --out before anything slow (RunFolderBusy at once if a live run holds it).
    With several processes (torchrun, --multi-worker) the trainer's main process locks it."""

    if launched() or args.multi_worker:
        return None
    return runlock.hold(out)


def _train(args, config: TrainConfig, out: Path) -> None:

    gb = backend(args.framework)
    world = _join_processes(args.framework)
    with _strategy_scope(args.mirrored, args.multi_worker):
        trainer = gb.Trainer(config, out_dir=out, device=args.device)
    with trainer:
        resumed = args.resume and trainer.resume()
        main = world.main and trainer.is_main
        say = print if main else (lambda *a, **k: None)
        say(f"ganbook train: {args.framework} on {gb.describe_device(trainer.device)}"
            f"{_parallelism(world, trainer)}; "
            + (f"resumed at step {trainer.step}" if resumed else "new run"), flush=True)
        x, y = training_data(config, split=args.split, root=args.data_root)
        trainer.fit(x, y if config.conditional else None)
        if main:
            atomic_write_text(out / "history.json", json.dumps(trainer.history))
        say(f"ganbook train: done at step {trainer.step}; checkpoint {trainer.last_checkpoint}")


def _parallelism(world, trainer) -> str:
    replicas = getattr(trainer, "replicas", 1)
    return (f", {world.size} processes" if world.size > 1
            else f", {replicas} replicas" if replicas > 1 else "")


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

    if framework == "torch":
        from ganbook.torch import distributed
        return distributed.setup()
    if launched():
        raise SystemExit("ganbook train: torchrun (WORLD_SIZE > 1) starts PyTorch processes; "
                         "use --framework torch")
    return World()


# ---- ganbook sample / evaluate / data ------------------------------------------------------
def _framework_of(path: Path) -> str:
    """The backend that wrote checkpoint `path` (a .pt file, a ckpt folder, or a run folder)."""
    if path.suffix == ".pt" or checkpoints.list_checkpoints(path, ".pt"):
        return "torch"
    if (path / "meta.json").is_file() or checkpoints.list_checkpoints(path, ""):
        return "tf"
    raise FileNotFoundError(f"no ganbook checkpoint at {path} (expected ckpt-*.pt or ckpt-*/meta.json)")


def _add_sample(sub):
    p = sub.add_parser("sample", help="draw samples from a checkpoint into a PNG")
    p.add_argument("--checkpoint", required=True, help="a checkpoint, or a run folder (its newest)")
    p.add_argument("--n", type=_positive, default=64)
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=_cmd_sample, command_parser=p)


def _cmd_sample(args, parser) -> int:
    from ganbook import plot

    if not args.out.lower().endswith(".png"):
        parser.error(f"--out must name a .png file, got {args.out}")
    path = Path(args.checkpoint)
    gb = backend(_framework_of(path))
    dataset = gb.checkpoint.read_config(path).dataset
    x = gb.sample(gb.load_generator(path), args.n, seed=args.seed)
    plot.save_samples(x, args.out, centers=mixture_centers(dataset)[0] if dataset in MIXTURES else None)
    print(f"ganbook sample: {args.n} samples from {path} -> {args.out}")
    return 0


def _add_evaluate(sub):
    p = sub.add_parser("evaluate", help="score a checkpoint's generator against real MNIST digits")
    p.add_argument("--checkpoint", required=True, help="a checkpoint, or a run folder (its newest)")
    p.add_argument("--n", type=_positive, default=5000, help="samples to draw (default 5000)")
    p.add_argument("--seed", type=_nonnegative, default=0)
    p.add_argument("--data-root", default=None, help="local MNIST folder (default: $GANBOOK_DATA or the cache)")
    p.add_argument("--batch-size", type=_positive, default=500)
    p.set_defaults(run=_cmd_evaluate, command_parser=p)


def _cmd_evaluate(args, parser) -> int:

    path = Path(args.checkpoint)
    gb = backend(_framework_of(path))
    dataset = gb.checkpoint.read_config(path).dataset
    if get_dataset(dataset).evaluator is None:
        parser.error(f"{path} holds a generator for the data set {dataset!r}, which has no evaluator; "
                     f"evaluate scores {[d.name for d in DATASETS.values() if d.evaluator]}")
    G = gb.load_generator(path)
    report = evaluate(G, n=args.n, seed=args.seed, root=args.data_root, batch_size=args.batch_size)
    print(f"ganbook evaluate: {args.n} samples from {path}\n{report.table()}")
    return 0


def _add_data(sub):
    p = sub.add_parser("data", help="download (or find) and verify MNIST")
    p.add_argument("--split", choices=["train", "test", "all"], default="all")
    p.add_argument("--root", default=None, help="a local folder with the .gz files")
    p.set_defaults(run=_cmd_data, command_parser=p)


def _cmd_data(args, parser) -> int:

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
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, args.command_parser)
    except (ValueError, FileNotFoundError, FloatingPointError, RunFolderBusy) as e:
        print(f"ganbook {args.command}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
