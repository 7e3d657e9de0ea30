"""One MNIST recipe over several seeds: the final scores of each run, beside the real-data reference.

    python experiments/mnist_seeds.py --framework tf --seeds 0,1,2 --steps 30000 \
        --set model=mlp g_batchnorm=True batch_size=128 lr_g=2e-4 lr_d=2e-4 ema=0.999 \
        --out experiments/results/mnist_mlp-tf.json

Each seed trains a fresh GAN (TrainConfig defaults changed with --set, as in
mnist_quality.py: TrainConfig fields, the model, and the model's options) on the
60,000 training digits and scores --n-eval samples of the generator it samples
from (the weight average with --set ema=...) with `ganbook.evaluate`. A run
"fails" when its generator misses a class or scores below --fail-below. The
JSON file (rewritten atomically after every seed) holds every run's metrics
and training time, the real-data reference, the config, the data, the command,
versions and hardware; `benchmarks/report.py` renders it for the book. With
--resume, the seeds already in --out (from the same recipe) are kept, not rerun,
so a long run that was stopped goes on from the next seed. Seeds can also run in
parallel processes, each with its own --out; --merge then adds their runs (same
recipe only) to --out, and runs whatever seeds are still missing.
"""
from __future__ import annotations

import argparse
import json
import time

import ganbook
from ganbook import evaluate, provenance
from ganbook.data import scale
from ganbook.data.registry import training_digits
import results_file  # same folder
from mnist_quality import METRICS, make_config, parse_set, scores, set_threads  # same folder


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--framework", choices=("torch", "tf"), required=True)
    p.add_argument("--seeds", default="0,1,2", help="comma-separated, e.g. 0,1,2")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--n-eval", type=int, default=10_000)
    p.add_argument("--fail-below", type=float, default=5.0,
                   help="classifier score under which a run counts as failed")
    p.add_argument("--set", nargs="*", default=[], metavar="KEY=VALUE",
                   help="TrainConfig fields, the model and its options")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--resume", action="store_true",
                   help="keep the seeds already in --out (same recipe) and run only the others")
    p.add_argument("--merge", nargs="*", default=[], metavar="RESULTS.json",
                   help="add the runs of these results files (same recipe) to --out; implies --resume")
    args = p.parse_args(argv)
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    if not args.seeds or args.steps < 1 or args.n_eval < 1:
        p.error("give at least one seed, and positive --steps and --n-eval")
    return args


def one_seed(gb, settings: dict, steps: int, seed: int, x, n_eval: int, framework: str):
    """Train one run of the recipe with `seed`; returns (its metrics and time, the report)."""
    config = make_config({**settings, "seed": seed}, steps)
    trainer = gb.Trainer(config)
    start = time.perf_counter()
    trainer.fit(x.reshape((len(x), -1)) if config.model.flat else x)
    train_s = time.perf_counter() - start
    report = evaluate(trainer.averaged_generator(), n=n_eval, framework=framework)
    return {"seed": seed, "train_s": round(train_s, 1), **scores(report)}, report


def read_results(path: str, config: dict, framework: str, n_eval: int) -> dict | None:
    """The results file at `path` if it holds the same recipe; None if there is none; else an error."""
    return results_file.read_results(path, {"framework": framework, "n_eval": n_eval, "config": config})


def write_results(args, recipe: dict, data: str, runs: list[dict], reference: str, real: dict) -> None:
    """Rewrite --out atomically with every run so far."""
    provenance.write_json_atomic(args.out, {
        **provenance.record(), "complete": set(args.seeds) <= {r["seed"] for r in runs},
        "framework": args.framework, "threads": args.threads, "data": data, "n_eval": args.n_eval,
        "fail_below": args.fail_below, "reference": reference, "config": recipe,
        "real_reference": real, "runs": sorted(runs, key=lambda r: r["seed"])})


def main(argv=None) -> None:
    args = parse_args(argv)
    gb = ganbook.backend(args.framework)
    set_threads(args.framework, args.threads)
    settings = parse_set(args.set)
    # The recipe: every run's config with its seed left out, as --out stores and reads it back.
    recipe = json.loads(json.dumps({**make_config({**settings, "seed": 0}, args.steps).to_dict(), "seed": None}))
    files = results_file.files_to_read(args.out, args.resume, args.merge)
    found = [r for r in (read_results(f, recipe, args.framework, args.n_eval) for f in files) if r]
    runs = results_file.merge_runs(found, key=lambda run: run["seed"])
    done = {run["seed"] for run in runs}
    if done:
        print(f"seeds {sorted(done)} are already in {', '.join(files)}", flush=True)
    images, _, data = training_digits()
    if args.merge and found:
        write_results(args, recipe, data, runs, found[0]["reference"], found[0]["real_reference"])
    x = scale(images)[..., None]
    for seed in [s for s in args.seeds if s not in done]:
        run, report = one_seed(gb, settings, args.steps, seed, x, args.n_eval, args.framework)
        run["failed"] = run["classes"] < 10 or run["classifier_score"][0] < args.fail_below
        runs.append(run)
        print(f"seed {seed}: score {run['classifier_score'][0]:.3f}  FD {run['fd']:.3g}  "
              f"recall {run['recall']:.3f}  classes {run['classes']}  ({run['train_s']:.0f} s)", flush=True)
        write_results(args, recipe, data, runs, report.note(), {key: report["real"][key] for key in METRICS})


if __name__ == "__main__":
    main()
