"""Mode coverage on the 2-D ring and grid: ganbook's recipes against PacGAN and VEEGAN.

    python experiments/mode_coverage.py [--framework torch|tf] [--datasets ring,grid]
        [--recipes vanilla,recommended,...] [--seeds 0,1,2,3,4] [--steps N]
        [--threads 2] [--out experiments/results/mode_coverage.json]

Each recipe (a set of TrainConfig overrides, see RECIPES) is trained on each
data set for each seed with ganbook's Trainer; the generator then draws 2,500
samples with a fixed noise seed (a recipe with a post-hoc critic fits it and
keeps 2,500 by rejection sampling; its run also records the generator's own
samples' metrics as raw_*) and `ganbook.eval.metrics.mode_coverage` counts the
covered modes, the fraction of high-quality samples (within 3 std of a centre)
and the reverse KL of the mode histogram, as PacGAN (Lin et al. 2018, Table 1)
and VEEGAN (Srivastava et al. 2017, Table 1) do. The JSON file holds every run
and, per (data set, recipe), the mean and standard error over seeds.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import ganbook
from ganbook.book import provenance
from ganbook.config import TrainConfig
from ganbook.data import mixture_centers
from ganbook.data.registry import training_data
from ganbook.eval.metrics import mean_se, mode_coverage
from ganbook.nets.options import ModelOptions
from ganbook.studies.recipes import PUBLISHED, RECIPES, recipe_config, recipe_critic

N_EVAL = 2500  # samples per evaluation, as in both papers
EVAL_SEED = 12345  # noise seed of the evaluation samples (fixed for every run)
METRICS = ("modes", "high_quality", "reverse_kl")


def set_threads(framework: str, threads: int) -> None:
    """Import ganbook's `framework` backend and limit the framework's CPU threads
    (the toy networks gain little from more)."""
    ganbook.backend(framework)  # first: it quiets TensorFlow's log
    if framework == "torch":
        import torch
        torch.set_num_threads(threads)
    else:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


def train_and_score(config: TrainConfig, framework: str = "torch", critic: dict | None = None) -> dict:
    """Train one run (and its critic) and score 2,500 samples; returns the metrics, steps and wall seconds."""
    gb = ganbook.backend(framework)
    x, _ = training_data(config)
    centers, std = mixture_centers(config.dataset)
    start = time.perf_counter()
    trainer = gb.Trainer(config)
    history = trainer.fit(x)
    samples = trainer.generate(N_EVAL, seed=EVAL_SEED)
    extra = {}
    if critic is not None:
        raw = mode_coverage(samples, centers, std)
        extra = {"raw_" + k: raw[k] for k in METRICS}
        G = trainer.averaged_generator()
        fitted, _ = gb.fit_critic(G, x, seed=config.seed, **critic["fit"])
        samples, extra["acceptance"] = gb.rejection_sample(G, fitted, N_EVAL, seed=EVAL_SEED,
                                                           quantile=critic["quantile"])
    seconds = time.perf_counter() - start
    result = mode_coverage(samples, centers, std)
    return {**{k: result[k] for k in METRICS}, **extra, "n": result["n"], "steps": trainer.step,
            "wall_s": round(seconds, 2), "final_d_loss": history["d_loss"][-1],
            "final_g_loss": history["g_loss"][-1]}


def summarize(runs: list[dict]) -> list[dict]:
    """Per (data set, recipe): mean and standard error over seeds of each metric and wall time."""
    groups: dict[tuple, list[dict]] = {}
    for run in runs:
        groups.setdefault((run["dataset"], run["recipe"]), []).append(run)
    rows = []
    for (dataset, recipe), group in groups.items():
        row = {"dataset": dataset, "recipe": recipe, "seeds": [r["seed"] for r in group],
               "steps": group[0]["steps"]}
        for key in (*METRICS, "wall_s"):
            row[key + "_mean"], row[key + "_se"] = mean_se(r[key] for r in group)
        row["all_modes_runs"] = sum(r["modes"] == r["k"] for r in group)
        rows.append(row)
    return rows


def fmt(mean: float, se: float, scale: float = 1.0, digits: int = 2) -> str:
    """'mean ± se' with `digits` decimals, after multiplying by `scale`."""
    if math.isnan(mean):
        return "n/a"
    return f"{mean * scale:.{digits}f} ± {se * scale:.{digits}f}"


def table(rows: list[dict]) -> str:
    """The summary beside the published numbers, as plain text."""
    head = f"{'data':5} {'recipe / source':28} {'modes':>14} {'high quality %':>16} {'reverse KL':>14} {'runs all':>8} {'s/run':>7}"
    lines = [head, "-" * len(head)]
    for dataset in ("grid", "ring"):
        for row in (r for r in rows if r["dataset"] == dataset):
            lines.append(f"{dataset:5} {row['recipe']:28} {fmt(row['modes_mean'], row['modes_se'], 1, 1):>14} "
                         f"{fmt(row['high_quality_mean'], row['high_quality_se'], 100, 1):>16} "
                         f"{fmt(row['reverse_kl_mean'], row['reverse_kl_se'], 1, 3):>14} "
                         f"{row['all_modes_runs']:>3}/{len(row['seeds']):<4} {row['wall_s_mean']:>7.1f}")
        for (source, ds), (modes, hq, kl) in PUBLISHED.items():
            if ds == dataset:
                kl_text = f"{kl:.2f}" if kl is not None else "-"
                lines.append(f"{dataset:5} {'[' + source + ']':28} {modes:>14.1f} {hq * 100:>16.1f} {kl_text:>14}")
    return "\n".join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), default="torch")
    p.add_argument("--datasets", default="ring,grid")
    p.add_argument("--recipes", default=",".join(RECIPES))
    p.add_argument("--seeds", default="0,1,2,3,4")
    p.add_argument("--steps", type=int, default=None, help="override every recipe's steps")
    p.add_argument("--threads", type=int, default=1, help="CPU threads of the framework (1 is fastest on a busy 2-core machine)")
    p.add_argument("--out", default="experiments/results/mode_coverage.json")
    p.add_argument("--merge", action="store_true",
                   help="keep the runs already in --out that this call does not redo")
    args = p.parse_args(argv)
    args.datasets = [d for d in args.datasets.split(",") if d]
    args.recipes = [r for r in args.recipes.split(",") if r]
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    unknown = sorted(set(args.recipes) - set(RECIPES))
    if unknown:
        p.error(f"unknown recipes {unknown}; choose from {list(RECIPES)}")
    return args


def previous_runs(args) -> tuple[list[dict], list[str]]:
    """With --merge: the runs of --out that this call does not redo, and its commands."""
    out = Path(args.out)
    if not (args.merge and out.exists()):
        return [], []
    old = json.loads(out.read_text())
    if old.get("framework") != args.framework:
        raise SystemExit(f"--merge: {out} holds {old.get('framework')} runs, this call is {args.framework}")
    redo = {(d, r, s) for d in args.datasets for r in args.recipes for s in args.seeds}
    kept = [run for run in old["runs"] if (run["dataset"], run["recipe"], run["seed"]) not in redo]
    return kept, old.get("commands", [old["command"]])


def recipe_record(name: str) -> dict:
    """RECIPES[name] as JSON: a model's options as their dict ({"name": "toy", ...})."""
    return {k: v.to_dict() if isinstance(v, ModelOptions) else v for k, v in RECIPES[name].items()}


def payload(args, runs: list[dict], started: float, complete: bool, commands: list[str]) -> dict:
    """Everything the JSON file records."""
    record = provenance.record()
    return {**record, "commands": [*commands, record["command"]],
            "complete": complete, "framework": args.framework, "threads": args.threads,
            "n_eval_samples": N_EVAL, "eval_seed": EVAL_SEED,
            "total_wall_s": round(time.perf_counter() - started, 1),
            "recipes": {name: recipe_record(name) for name in sorted({r["recipe"] for r in runs})},
            "published": [{"source": s, "dataset": d, "modes": m, "high_quality": h, "reverse_kl": k}
                          for (s, d), (m, h, k) in PUBLISHED.items()],
            "summary": summarize(runs), "runs": runs}


def main(argv=None) -> None:
    args = parse_args(argv)
    set_threads(args.framework, args.threads)
    started, out = time.perf_counter(), Path(args.out)
    runs, commands = previous_runs(args)
    for dataset in args.datasets:
        k = len(mixture_centers(dataset)[0])
        for recipe in args.recipes:
            for seed in args.seeds:
                config = recipe_config(recipe, dataset, seed, args.steps)
                run = {"dataset": dataset, "recipe": recipe, "seed": seed, "k": k, "threads": args.threads,
                       **train_and_score(config, args.framework, recipe_critic(recipe)),
                       "config": config.to_dict(), "critic": recipe_critic(recipe)}
                runs.append(run)
                print(f"{dataset} {recipe:14} seed {seed}: modes {run['modes']}/{k} "
                      f"hq {run['high_quality']:.3f} rkl {run['reverse_kl']:.3f} "
                      f"{run['wall_s']:.0f}s", flush=True)
                provenance.write_json_atomic(out, payload(args, runs, started, False, commands))
    provenance.write_json_atomic(out, payload(args, runs, started, True, commands))
    print(table(summarize(runs)))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
