"""Cheap search for the "recommended" mode-coverage recipe: one process, short runs.

    python experiments/explore_recipes.py --candidates NAME=JSON [NAME=JSON ...]
        [--datasets ring,grid] [--seeds 0] [--checkpoints 2000,4000,8000]
        [--out experiments/results/explore.json]

Each candidate is a base recipe of experiments/mode_coverage.py plus JSON
TrainConfig overrides, e.g. 'r1lr1=r1:{"lr_g":1e-4,"lr_d":1e-4}'. One training
run per (candidate, data set, seed) is scored at every checkpoint step (fit
continues where it stopped), so one run gives a learning curve. Results are
appended to the JSON file, which records the command of every call.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mode_coverage import EVAL_SEED, METRICS, N_EVAL, set_threads

import ganbook
from ganbook.data import mixture_centers
from ganbook.data.registry import training_data
from ganbook.eval.metrics import mode_coverage
from ganbook.book.provenance import write_json_atomic
from ganbook.studies.recipes import recipe_config


def parse_candidate(text: str) -> tuple[str, str, dict]:
    """'name=recipe:{json}' -> (name, recipe, overrides)."""
    name, rest = text.split("=", 1)
    recipe, _, overrides = rest.partition(":")
    return name, recipe, json.loads(overrides) if overrides else {}


def curve(config, framework: str, checkpoints: list[int]) -> list[dict]:
    """Train to each checkpoint step in turn, scoring 2,500 samples at each."""
    x, _ = training_data(config)
    trainer = ganbook.backend(framework).Trainer(config)
    centers, std = mixture_centers(config.dataset)
    points, start = [], time.perf_counter()
    for steps in checkpoints:
        trainer.fit(x, steps=steps)
        result = mode_coverage(trainer.generate(N_EVAL, seed=EVAL_SEED), centers, std)
        points.append({"steps": steps, "wall_s": round(time.perf_counter() - start, 1),
                       **{k: result[k] for k in METRICS}})
    return points


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--candidates", nargs="+", required=True)
    p.add_argument("--datasets", default="ring,grid")
    p.add_argument("--seeds", default="0")
    p.add_argument("--checkpoints", default="2000,4000,8000")
    p.add_argument("--framework", choices=("torch", "tf"), default="torch")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default="experiments/results/explore.json")
    args = p.parse_args(argv)
    set_threads(args.framework, args.threads)
    checkpoints = [int(s) for s in args.checkpoints.split(",")]
    out = Path(args.out)
    log = json.loads(out.read_text()) if out.exists() else {"calls": []}
    call = {"command": " ".join(["python", *sys.argv]), "runs": []}
    log["calls"].append(call)
    for text in args.candidates:
        name, recipe, overrides = parse_candidate(text)
        for dataset in args.datasets.split(","):
            for seed in (int(s) for s in args.seeds.split(",")):
                config = recipe_config(recipe, dataset, seed, checkpoints[-1], overrides)
                points = curve(config, args.framework, checkpoints)
                call["runs"].append({"name": name, "recipe": recipe, "overrides": overrides,
                                     "dataset": dataset, "seed": seed, "curve": points})
                print(name, dataset, seed, " | ".join(
                    f"{q['steps']}: {q['modes']} {q['high_quality']:.3f} {q['reverse_kl']:.3f} "
                    f"{q['wall_s']:.0f}s" for q in points), flush=True)
                write_json_atomic(out, log)


if __name__ == "__main__":
    main()
