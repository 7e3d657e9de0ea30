"""Stacked MNIST: how many of its 1,000 modes the chapter 4 DCGAN covers under several recipes.

    GANBOOK_DATA=../shared/data python experiments/stacked_mnist.py --framework torch \
        --recipes ns,pack2,wgan-gp,sn-hinge,r1 --seeds 0,1,2 --threads 2 \
        --out experiments/results/stacked_mnist-torch.json

The benchmark of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018,
Table 3): each image stacks three MNIST training digits as its R, G and B
channels, so it has one of 1,000 modes (ganbook.data.stacked; the data set
`stacked_mnist`, 128,000 images drawn anew with each run's seed). Each recipe
(RECIPES: TrainConfig and DCGAN options changed from the chapter 4 DCGAN, BASE
and MODEL) is trained for each seed; --n-samples samples (26,000, as in both
papers) of the generator it samples from (the weight average) are classified
channel by channel with the book's MNIST classifier (ganbook.eval.stacked),
and the run records the modes covered, KL(q || uniform) of the modes' histogram
q and the histogram itself. The real-data floor is the same metric on as many
stacked test digits. The JSON file (rewritten atomically after every run) holds
the runs, the floor, each recipe's config, the data, the commands, versions and
hardware; `benchmarks/report.py`'s `stacked_mnist_table` renders it. --resume
keeps the runs already in --out (same framework, sample count and recipe
configs), so a stopped call goes on where it was; --merge adds the runs of
other files (e.g. of parallel calls, one per recipe or seed) and runs whatever
is still missing.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import time

import ganbook
from ganbook import provenance
from ganbook.config import TrainConfig
from ganbook.data import scale
from ganbook.data.mnist import load_mnist
from ganbook.data.registry import training_data
from ganbook.data.stacked import N_EVAL, N_TRAIN, stack_digits
from ganbook.eval.metrics import mean_se
from ganbook.eval.stacked import score_modes, stacked_modes
from ganbook.nets.options import DCGANOptions
import results_file  # same folder
from mnist_quality import set_threads  # same folder

# A narrower chapter 4 DCGAN (book/04_mnist/dcgan), unconditional: half of G's channels and
# half of D's, without D's dense layer, so that a run fits about 15 minutes on a 2-core CPU
# (the papers' Stacked MNIST networks are small too: Metz et al. shrink D to 1/4 or 1/2).
MODEL = DCGANOptions(g_widths=(128, 64, 32), widths=(32, 64), dense=0, batchnorm=True, dropout=0.0)
BASE = dict(dataset="stacked_mnist", steps=5_000, batch_size=64, lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999), ema=0.999,
            progress=False, log_every=100)
# Each recipe: TrainConfig fields changed from BASE; "model": DCGAN options changed from MODEL.
RECIPES = {
    "ns": {},  # the base: non-saturating loss
    # PacGAN: D judges 2 samples at once. batch_size counts samples, so 128 keeps D's batch at
    # 64 (packed) examples, as the base's.
    "pack2": {"pack": 2, "batch_size": 128},
    # Gulrajani et al. 2017, Adam (0.5, 0.9) as their MNIST code; no batch norm in D, which would
    # mix the samples of a batch into each other's gradient penalty. Five critic steps per G step
    # make a step about five times dearer: 1,500 G steps (7,500 critic steps) fit the same time.
    "wgan-gp": {"loss": "wgan", "gp_weight": 10.0, "n_critic": 5, "lr_g": 1e-4, "lr_d": 1e-4, "steps": 1_500,
                "betas": (0.5, 0.9), "model": {"batchnorm": False}},
    # Miyato et al. 2018: spectral norm in D (instead of batch norm), hinge loss.
    "sn-hinge": {"loss": "hinge", "model": {"spectral_norm": True, "batchnorm": False}},
    # Mescheder et al. 2018: R1 penalty on real data, gamma 10; no batch norm in D, which would
    # make each real image's gradient depend on the rest of its batch.
    "r1": {"r1_weight": 10.0, "model": {"batchnorm": False}},
}
EVAL_SEED = 12345  # noise seed of the scored samples, the same for every run
FLOOR_SEED = 0  # which test digits are stacked for the real-data floor


def recipe_config(name: str, seed: int, steps: int | None = None) -> TrainConfig:
    """The TrainConfig of recipe `name` with `seed`, for `steps` generator steps (None: the recipe's)."""
    changes = dict(RECIPES[name])
    model = dataclasses.replace(MODEL, **changes.pop("model", {}))
    steps = {"steps": steps} if steps is not None else {}
    return TrainConfig(**{**BASE, **changes, "model": model, "seed": seed, **steps})


def recipe_record(name: str, steps: int | None) -> dict:
    """The recipe's config as JSON with its seed left out, as --out stores and reads it back."""
    return json.loads(json.dumps({**recipe_config(name, 0, steps).to_dict(), "seed": None}))


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), required=True)
    p.add_argument("--recipes", default=",".join(RECIPES), help=f"comma-separated, from {list(RECIPES)}")
    p.add_argument("--seeds", default="0,1,2", help="comma-separated, e.g. 0,1,2")
    p.add_argument("--steps", type=int, default=None,
                   help="generator steps per run (default: each recipe's, 5,000 but 1,500 for wgan-gp)")
    p.add_argument("--n-samples", type=int, default=N_EVAL, help="samples scored per run, and stacked test digits")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=None, help="default: experiments/results/stacked_mnist-<framework>.json")
    p.add_argument("--resume", action="store_true",
                   help="keep the runs already in --out (same settings) and run only the others")
    p.add_argument("--merge", nargs="*", default=[], metavar="RESULTS.json",
                   help="add the runs of these results files (same settings) to --out; implies --resume")
    args = p.parse_args(argv)
    args.recipes = [r for r in args.recipes.split(",") if r]
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    args.out = args.out or f"experiments/results/stacked_mnist-{args.framework}.json"
    unknown = sorted(set(args.recipes) - set(RECIPES))
    if unknown:
        p.error(f"unknown recipes {unknown}; choose from {list(RECIPES)}")
    if not args.recipes or not args.seeds or (args.steps is not None and args.steps < 1) or args.n_samples < 1:
        p.error("give at least one recipe and one seed, and positive --steps and --n-samples")
    return args


def read_results(path: str, args, configs: dict) -> dict | None:
    """The results file at `path` if its runs were scored like this call's and its recipes that
    this call also runs have the same configs; None if there is none; else SystemExit."""
    old = results_file.read_results(path, {"framework": args.framework, "n_samples": args.n_samples,
                                           "eval_seed": EVAL_SEED})
    for name in set(configs) & set(old["configs"] if old else ()):
        if old["configs"][name] != configs[name]:
            raise SystemExit(f"{path} holds runs of recipe {name!r} with another config (steps or settings "
                             "differ); give another --out, or drop --resume and --merge to start afresh")
    return old


def real_floor(framework: str, n: int) -> dict:
    """The metric on n stacked test digits (FLOOR_SEED), with how often the modes are read right."""
    images, labels = load_mnist("test")
    stacked, true_modes = stack_digits(images, labels, n, FLOOR_SEED)
    modes = stacked_modes(scale(stacked), framework)
    return {**score_modes(modes), "seed": FLOOR_SEED, "mode_accuracy": float((modes == true_modes).mean()),
            "data": f"{n:,} stacked images of MNIST test digits (seed {FLOOR_SEED})"}


def one_run(gb, config: TrainConfig, name: str, x, n_samples: int, framework: str) -> dict:
    """Train recipe `name` (config) on x and score n_samples of its generator."""
    trainer = gb.Trainer(config)
    start = time.perf_counter()
    trainer.fit(x)
    train_s = time.perf_counter() - start
    samples = gb.sample(trainer.averaged_generator(), n_samples, seed=EVAL_SEED)
    scored = score_modes(stacked_modes(samples, framework))
    return {"recipe": name, "seed": config.seed, "steps": trainer.step, "train_s": round(train_s, 1), **scored}


def _order(run: dict) -> tuple:
    names = list(RECIPES)
    return (names.index(run["recipe"]) if run["recipe"] in names else len(names), run["recipe"], run["seed"])


def write_results(args, state: dict) -> None:
    """Rewrite --out atomically with every run so far."""
    record = provenance.record()
    planned = {(r, s) for r in args.recipes for s in args.seeds}
    provenance.write_json_atomic(args.out, {
        **record, "commands": [*state["commands"], record["command"]],
        "complete": planned <= {(r["recipe"], r["seed"]) for r in state["runs"]},
        "framework": args.framework, "threads": args.threads, "n_samples": args.n_samples,
        "eval_seed": EVAL_SEED, "n_train": N_TRAIN,
        "data": f"{N_TRAIN:,} stacked images of MNIST training digits per run, drawn with the run's seed",
        "configs": state["configs"], "real_floor": state["floor"],
        "runs": sorted(state["runs"], key=_order)})


def previous(args, configs: dict) -> dict:
    """The runs, configs and commands of the files --resume and --merge name (empty without them)."""
    files = results_file.files_to_read(args.out, args.resume, args.merge)
    found = [r for r in (read_results(f, args, configs) for f in files) if r]
    commands = [c for old in found for c in old.get("commands", [old["command"]])]
    return {"runs": results_file.merge_runs(found, key=lambda run: (run["recipe"], run["seed"])),
            "configs": {**{k: v for old in found for k, v in old["configs"].items()}, **configs},
            "commands": list(dict.fromkeys(commands)), "floor": found[0]["real_floor"] if found else None}


def summary(runs: list[dict]) -> str:
    """Per recipe: mean ± standard error of modes and KL over its seeds, as plain text."""
    lines = []
    for name in dict.fromkeys(r["recipe"] for r in sorted(runs, key=_order)):
        group = [r for r in runs if r["recipe"] == name]
        (m, m_se), (k, k_se) = mean_se(r["modes"] for r in group), mean_se(r["kl"] for r in group)
        lines.append(f"{name:10} modes {m:7.1f} ± {m_se:5.1f}   KL {k:.3f} ± {k_se:.3f}   ({len(group)} seeds)")
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    gb = ganbook.backend(args.framework)
    set_threads(args.framework, args.threads)
    configs = {name: recipe_record(name, args.steps) for name in args.recipes}
    state = previous(args, configs)
    done = {(r["recipe"], r["seed"]) for r in state["runs"]}
    if done:
        print(f"already done: {sorted(done)}", flush=True)
    if state["floor"] is None or args.merge:  # a new floor, or runs of other files: save them now
        state["floor"] = state["floor"] or real_floor(args.framework, args.n_samples)
        write_results(args, state)
    floor = state["floor"]
    print(f"real-data floor: modes {floor['modes']}  KL {floor['kl']:.4f}  "
          f"modes read right {floor['mode_accuracy']:.2%}", flush=True)
    for seed in args.seeds:
        x = None  # the seed's 128,000 stacked images, shared by its recipes
        for name in [r for r in args.recipes if (r, seed) not in done]:
            config = recipe_config(name, seed, args.steps)
            if x is None:
                x, _ = training_data(config)
            run = one_run(gb, config, name, x, args.n_samples, args.framework)
            state["runs"].append(run)
            print(f"{name:10} seed {seed}: modes {run['modes']:4d}  KL {run['kl']:.3f}  ({run['train_s']:.0f} s)",
                  flush=True)
            write_results(args, state)
    print(summary(state["runs"]))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
