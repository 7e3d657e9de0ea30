"""Render the committed benchmark and experiment results as Markdown tables for the book.

    python benchmarks/report.py          # rewrites every table of TABLES

The book's pages include the generated files; tests/test_benchmarks.py fails
when one is out of date with its result file (benchmarks/results/*.json,
experiments/results/*.json).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from ganbook.config import TrainConfig, upgrade
from ganbook.eval.metrics import mean_se
from ganbook.nets.options import LEGACY_KEYS

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


def _versions(record: dict) -> str:
    """'python 3.11.7, ganbook 0.1.0, ...' from a results file's versions."""
    return ", ".join(f"{k} {v}" for k, v in record["versions"].items())


def throughput_table(record: dict) -> str:
    """A Markdown table of one throughput.py result, with what produced it."""
    lines = [
        "| framework | model | update | plain loop (img/s) | ganbook (img/s) | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for r in record["results"]:
        lines.append(f"| {r['framework']} | {r['model']} | {r['update']} | {r['plain_img_s']:.0f} "
                     f"| {r['ganbook_img_s']:.0f} | {r['ratio']:.2f} |")
    versions = _versions(record)
    lines += ["", f"Measured on {record['date']}: {record['hardware']}; {versions}; batch "
                  f"{record['batch_size']}, {record['steps']} steps x {record['repeats']} repeats "
                  f"(medians; the ratio is the median of the repeats' ratios, each repeat timing "
                  f"the two loops back to back). Command: `{record['command']}`."]
    return "\n".join(lines) + "\n"


def _mean_se(row: dict, key: str, scale: float = 1.0, digits: int = 2) -> str:
    """'mean ± se'; 'n/a' when undefined (reverse KL of runs without a high-quality sample)."""
    mean, se = row[key + "_mean"], row[key + "_se"]
    if mean is None or math.isnan(mean):
        return "n/a"
    return f"{mean * scale:.{digits}f} ± {se * scale:.{digits}f}"


def _commands(record: dict) -> str:
    """'Command: `a`.' or, for results merged from several calls, 'Commands: `a`; then `b`.'"""
    commands = record.get("commands", [record["command"]])
    if len(commands) == 1:
        return f"Command: `{commands[0]}`."
    return "Commands: " + "; then ".join(f"`{c}`" for c in commands) + "."


def _before_critic(record: dict, dataset: str, recipe: str) -> dict | None:
    """Mean and standard error of the generator's own samples (raw_*) in runs of a recipe
    with a post-hoc critic; None for recipes without one."""
    runs = [r for r in record["runs"] if (r["dataset"], r["recipe"]) == (dataset, recipe) and "raw_modes" in r]
    if not runs:
        return None
    row = {"all_modes_runs": sum(r["raw_modes"] == r["k"] for r in runs)}
    for key in ("modes", "high_quality", "reverse_kl"):
        row[key + "_mean"], row[key + "_se"] = mean_se(r["raw_" + key] for r in runs)
    return row


def mode_coverage_table(record: dict, published: bool = True) -> str:
    """ganbook's recipes beside the published numbers (unless published=False), per data set
    (mean ± standard error)."""
    lines = ["| data | recipe or source | seeds | modes | high quality (%) | reverse KL | runs with all modes "
             "| s per run |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for dataset, k in (("ring", 8), ("grid", 25)):
        for row in (r for r in record["summary"] if r["dataset"] == dataset):
            lines.append(f"| {dataset} ({k}) | ganbook: {row['recipe']} | {len(row['seeds'])} "
                         f"| {_mean_se(row, 'modes', 1, 1)} "
                         f"| {_mean_se(row, 'high_quality', 100, 1)} | {_mean_se(row, 'reverse_kl', 1, 3)} "
                         f"| {row['all_modes_runs']}/{len(row['seeds'])} | {row['wall_s_mean']:.0f} |")
            raw = _before_critic(record, dataset, row["recipe"])
            if raw:
                lines.append(f"| {dataset} ({k}) | ganbook: {row['recipe']}, G alone (before the critic) "
                             f"| {len(row['seeds'])} | {_mean_se(raw, 'modes', 1, 1)} "
                             f"| {_mean_se(raw, 'high_quality', 100, 1)} | {_mean_se(raw, 'reverse_kl', 1, 3)} "
                             f"| {raw['all_modes_runs']}/{len(row['seeds'])} | - |")
        for pub in (p for p in record["published"] if p["dataset"] == dataset and published):
            kl = "-" if pub["reverse_kl"] is None else f"{pub['reverse_kl']:.2f}"
            lines.append(f"| {dataset} ({k}) | published: {pub['source']} | - | {pub['modes']:.1f} "
                         f"| {pub['high_quality'] * 100:.1f} | {kl} | - | - |")
    versions = _versions(record)
    hw = record["hardware"]
    lines += ["", f"ganbook rows: {record['framework']}, mean ± standard error over seeds, {record['n_eval_samples']:,} samples "
                  f"per run, {record['threads']} CPU thread(s) per run on {hw['machine']} with {hw['cpu_count']} "
                  f"CPUs; {versions}; measured {record['date'][:10]}. "
                  + _commands(record)]
    return "\n".join(lines) + "\n"


def mode_coverage_table_other_backend(record: dict) -> str:
    """The same table for a run in the other framework, without the published rows."""
    return mode_coverage_table(record, published=False)


FRAMEWORK_NAMES = {"torch": "PyTorch", "tf": "TensorFlow"}


def mnist_quality_table(record: dict) -> str:
    """Sample quality along one DCGAN run (experiments/mnist_quality.py), with the real-data
    reference; for a conditional generator also how often the classifier names the class asked for."""
    labelled = any(row.get("accuracy") is not None for row in record["curve"])
    extra = " label accuracy |" if labelled else ""
    lines = ["| step | training time (s) | classifier score | FD | KID | precision | recall | classes |" + extra,
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: |" * labelled]

    def cells(row):
        accuracy = f" {row['accuracy']:.1%} |" if labelled else ""
        return (f"{row['classifier_score'][0]:.2f} | {row['fd']:.1f} | {row['kid'][0]:.3f} "
                f"| {row['precision']:.2f} | {row['recall']:.2f} | {row['classes']}/10 |" + accuracy)

    for row in record["curve"]:
        lines.append(f"| {row['step']:,} | {row['train_s']:.0f} | " + cells(row))
    lines.append("| real-data reference | - | " + cells(record["real_reference"]))
    cfg = record["config"]
    versions = _versions(record)
    status = ("" if record["complete"] else
              f" The run was stopped at step {record['curve'][-1]['step']:,} of the {cfg['steps']:,} planned.")
    kind = "conditional DCGAN" if TrainConfig.from_dict(cfg).conditional else "DCGAN"
    lines += ["", f"{FRAMEWORK_NAMES[record['framework']]} {kind}, seed {cfg['seed']}; settings other than "
                  f"`TrainConfig`'s defaults: {_config_change(cfg, {})}. Trained on the {record['data']}; "
                  f"{record['n_eval']:,} samples per evaluation. {record['reference']} "
                  f"{record['hardware']['machine']}, {record['threads']} CPU thread(s); {versions}; "
                  f"measured {record['date'][:10]}.{status} " + _commands(record)]
    return "\n".join(lines) + "\n"


def mnist_seeds_table(record: dict) -> str:
    """One recipe over several seeds (experiments/mnist_seeds.py): each run's final scores,
    the real-data reference, and how many runs failed."""
    lines = ["| seed | classifier score | FD | precision | recall | classes | reverse KL | training time (s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def cells(row):
        return (f"{row['classifier_score'][0]:.2f} | {row['fd']:.1f} | {row['precision']:.2f} "
                f"| {row['recall']:.2f} | {row['classes']}/10 | {row['reverse_kl']:.3f}")

    for run in record["runs"]:
        lines.append(f"| {run['seed']} | " + cells(run) + f" | {run['train_s']:.0f} |")
    lines.append("| real-data reference | " + cells(record["real_reference"]) + " | - |")
    cfg = record["config"]
    failed = sum(run["failed"] for run in record["runs"])
    status = "" if record["complete"] else " Incomplete: the seeds above are those done so far."
    kind = {"mlp": "fully connected GAN", "dcgan": "DCGAN"}.get(cfg["model"]["name"], cfg["model"]["name"])
    lines += ["", f"{FRAMEWORK_NAMES[record['framework']]} {kind}, {cfg['steps']:,} steps per seed; "
                  f"settings other than `TrainConfig`'s defaults: {_config_change(cfg, {})}. Trained on the "
                  f"{record['data']}; {record['n_eval']:,} samples scored per run. {record['reference']} "
                  f"Failed runs (a class missing, or a score below {record['fail_below']:g}): "
                  f"{failed} of {len(record['runs'])}. {record['hardware']['machine']}, "
                  f"{record['threads']} CPU thread(s) per run (training times are wall-clock and "
                  f"grow with what else the machine runs); {_versions(record)}; measured "
                  f"{record['date'][:10]}.{status} " + _commands(record)]
    return "\n".join(lines) + "\n"


def stored_run(path: Path) -> dict:
    """A chapter 4 notebook's results file (ganbook.book.notebook.save_results): its
    summary line and evaluate's report as {label: (model cell, reference cell)}."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the notebook's default run "
                                "(python scripts/execute_notebook.py <notebook>), which writes it")
    saved = json.loads(path.read_text())
    return {"summary": saved["summary"], "rows": {label: (model, real) for label, model, real, _
                                                  in saved["report"]["rows"]}}


NOTEBOOK_ROWS = ("classifier score", "Frechet distance", "precision", "recall", "classes covered",
                 "reverse KL of classes")


def notebook_results_table(folder: Path) -> str:
    """The four chapter 4 notebooks' stored runs scored side by side, beside the real-data
    reference, with each run's summary line as its provenance."""
    names = {("mlp", "torch"): "fully connected, PyTorch", ("mlp", "tf"): "fully connected, TensorFlow",
             ("dcgan", "torch"): "DCGAN, PyTorch", ("dcgan", "tf"): "DCGAN, TensorFlow"}
    runs = {key: stored_run(folder / key[0] / "results" / f"{key[1]}.json") for key in names}
    lines = ["| generator | " + " | ".join(NOTEBOOK_ROWS) + " |", "| --- |" + " ---: |" * len(NOTEBOOK_ROWS)]
    for key, run in runs.items():
        lines.append(f"| {names[key]} | " + " | ".join(run["rows"][r][0] for r in NOTEBOOK_ROWS) + " |")
    first = next(iter(runs.values()))
    lines.append("| real-data reference | " + " | ".join(first["rows"][r][1] for r in NOTEBOOK_ROWS) + " |")
    samples = first["rows"]["samples"][0]
    lines += ["", f"Each notebook's stored default run, {samples} samples from its generator (the weight "
                  "average) scored by `ganbook.evaluate` against 10,000 training digits; the real-data "
                  f"reference is {samples} test digits scored the same way (in PyTorch). Runs: "
                  + "; ".join(f"{names[k]}: {run['summary']}" for k, run in runs.items())
                  + ". Measured by the notebooks themselves. Command: `python scripts/execute_notebook.py "
                  "book/04_mnist/mlp/torch.ipynb` (and likewise for the other three)."]
    return "\n".join(lines) + "\n"


def _recorded_options(cfg: dict) -> dict:
    """The model's options as a result file wrote them, named and ordered as there: files
    of an older ganbook hold them as `model_kwargs` (with names such as d_dense, today's
    dense); newer ones as the options of the model dict (TrainConfig.to_dict)."""
    if "model_kwargs" in cfg:  # an older result file
        return dict(cfg["model_kwargs"])
    return {k: v for k, v in cfg["model"].items() if k != "name"}


def _config_change(cfg: dict, base: dict) -> str:
    """The settings where config dict cfg differs from base ({}: TrainConfig's defaults):
    the model and its options, then the other TrainConfig fields. Both dicts are read in
    today's form (ganbook.config.upgrade); options keep the names of their result file."""
    new = upgrade(cfg)
    base = {**TrainConfig().to_dict(), **upgrade(base)}  # fields newer than the baseline's file: defaults
    model, base_model = new["model"], base["model"]
    changes = []
    if model["name"] != base_model["name"]:  # another model: its options against that model's defaults
        changes.append(f"model={model['name']}")
        base_model = TrainConfig(model=model["name"]).to_dict()["model"]
    changes += [f"{k}={v}" for k, v in _recorded_options(cfg).items()
                if model[LEGACY_KEYS.get(k, k)] != base_model.get(LEGACY_KEYS.get(k, k))]
    changes += [f"{k}={new[k]}" for k in sorted(new) if k not in ("model", "steps", "seed", "progress", "log_every")
                and new[k] != base.get(k)]
    return ", ".join(changes) or "none (the baseline)"


def _provenance(record: dict) -> str:
    """Hardware, threads, versions, date, completeness and command of a per-seed record."""
    versions = _versions(record)
    status = "" if record["complete"] else f" Incomplete: {len(record['runs'])} seed(s) done of those planned."
    return (f"{record['hardware']['machine']}, {record['threads']} CPU thread(s); {versions}; "
            f"measured {record['date'][:10]}.{status} " + _commands(record))


def augmentation_table(record: dict) -> str:
    """Held-out accuracy with and without conditional-GAN digits, per seed and mean ± se."""
    lines = ["| seed | real digits only | real + generated | difference | label fidelity of the generated |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    for r in record["runs"]:
        lines.append(f"| {r['seed']} | {r['real_only']:.2%} | {r['augmented']:.2%} "
                     f"| {100 * (r['augmented'] - r['real_only']):+.2f} points | {r['label_fidelity']:.1%} |")
    m = record["summary"]
    lines.append(f"| mean ± se | {m['real_only']['mean']:.2%} ± {m['real_only']['se']:.2%} "
                 f"| {m['augmented']['mean']:.2%} ± {m['augmented']['se']:.2%} "
                 f"| {100 * m['difference']['mean']:+.2f} ± {100 * m['difference']['se']:.2f} points "
                 f"| {m['label_fidelity']['mean']:.1%} |")
    lines += ["", f"{record['framework']}: {record['per_class']} labelled digits per class from the "
                  f"{record['data']}; conditional GAN {record['gan_steps']:,} steps on them alone; "
                  f"{record['fake_per_class']} generated digits per class added; classifiers "
                  f"{record['clf_steps']:,} steps each; accuracy on {record['test']}. " + _provenance(record)]
    return "\n".join(lines) + "\n"


def superres_table(record: dict) -> str:
    """PSNR of the three upsampling methods, per seed and mean ± se."""
    methods = ("bicubic", "pixel loss", "pixel + adversarial")
    lines = ["| seed | " + " | ".join(f"{m} (dB)" for m in methods) + " |",
             "| ---: |" + " ---: |" * len(methods)]
    for r in record["runs"]:
        lines.append(f"| {r['seed']} | " + " | ".join(f"{r[m]:.2f}" for m in methods) + " |")
    lines.append("| mean ± se | " + " | ".join(
        f"{record['summary'][m]['mean']:.2f} ± {record['summary'][m]['se']:.2f}" for m in methods) + " |")
    lines += ["", f"{record['framework']}: trained {record['steps']:,} steps on the {record['data']} "
                  f"(adversarial weight {record['adv_weight']:g}); PSNR on {record['test']}. "
                  + _provenance(record)]
    return "\n".join(lines) + "\n"


STACKED_SEEDS = 3  # the Stacked MNIST protocol: every recipe over three seeds


def stacked_mnist_table(record: dict) -> str:
    """Stacked MNIST (experiments/stacked_mnist.py): per recipe, the modes covered (of 1,000)
    and KL(q || uniform) of the modes' histogram, mean ± standard error over seeds, both
    recomputed from the stored histograms; then the published numbers and the real-data floor."""
    from ganbook.eval.stacked import histogram_scores

    published = (("DCGAN", 99, 3.40), ("Unrolled GAN", 48.7, 4.32), ("VEEGAN", 150, 2.95), ("PacDCGAN2", 1000, 0.06))
    lines = ["| recipe or source | steps | seeds | modes (of 1,000) | KL to uniform | mean training time (s) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in dict.fromkeys(run["recipe"] for run in record["runs"]):
        group = [run for run in record["runs"] if run["recipe"] == name]
        row = {}
        scores = [histogram_scores(run["histogram"]) for run in group]
        row["modes_mean"], row["modes_se"] = mean_se(s["modes"] for s in scores)
        row["kl_mean"], row["kl_se"] = mean_se(s["kl"] for s in scores)
        steps = "/".join(f"{s:,}" for s in sorted({run["steps"] for run in group}))
        lines.append(f"| ganbook: {name} | {steps} | {len(group)} | {_mean_se(row, 'modes', 1, 1)} "
                     f"| {_mean_se(row, 'kl', 1, 3)} | {sum(run['train_s'] for run in group) / len(group):.0f} |")
    for source, modes, kl in published:
        lines.append(f"| published: {source} (Lin et al. 2018, Table 3) | - | - | {modes:g} | {kl:.2f} | - |")
    floor = record["real_floor"]
    real = histogram_scores(floor["histogram"])
    lines.append(f"| real-data floor: {floor['n']:,} stacked test digits | - | - "
                 f"| {real['modes']} | {real['kl']:.3f} | - |")
    configs = record["configs"]
    base = configs.get("ns")  # the base recipe; the others are read as changes from it
    settings = ("ns: changes from `TrainConfig`'s defaults; the others: changes from ns" if base
                else "changes from `TrainConfig`'s defaults")
    recipes = "; ".join(f"{name}: {_config_change(cfg, base if base and name != 'ns' else {})}"
                        for name, cfg in configs.items())
    seeds = {name: len({run["seed"] for run in record["runs"] if run["recipe"] == name}) for name in configs}
    short = sorted(name for name, n in seeds.items() if n < STACKED_SEEDS)
    status = (f" Incomplete: {', '.join(short)} ha{'s' if len(short) == 1 else 've'} fewer than the protocol's "
              f"{STACKED_SEEDS} seeds so far." if short else "")
    status += "" if record["complete"] else " The last call stopped before its planned runs were done."
    lines += ["", f"ganbook rows: {FRAMEWORK_NAMES[record['framework']]}, mean ± standard error over seeds; "
                  f"{record['n_samples']:,} samples per run (noise seed {record['eval_seed']}), each channel "
                  "classified by the book's MNIST classifier; modes and KL recomputed from the stored "
                  f"histograms. Trained on {record['data']}. Settings ({settings}): {recipes}. Published rows "
                  "as published in Lin et al. 2018 (PacGAN), Table 3, with their own networks. The real-data floor: "
                  f"{floor['data']}, scored the same way ({floor['mode_accuracy']:.1%} of their modes read "
                  f"right). {record['hardware']['machine']}, {record['threads']} CPU thread(s) per run; "
                  f"{_versions(record)}; measured {record['date'][:10]}.{status} " + _commands(record)]
    return "\n".join(lines) + "\n"


# result file -> (generated Markdown file, renderer)
TABLES = {
    ROOT / "benchmarks" / "results" / "throughput-cpu.json": (BOOK / "benchmarks" / "throughput_table.md",
                                                              throughput_table),
    ROOT / "experiments" / "results" / "mode_coverage.json": (BOOK / "06_challenges" / "mode_coverage_table.md",
                                                              mode_coverage_table),
    ROOT / "experiments" / "results" / "mode_coverage-tf.json": (BOOK / "06_challenges" / "mode_coverage_table_tf.md",
                                                                 mode_coverage_table_other_backend),
    BOOK / "04_mnist": (BOOK / "04_mnist" / "notebook_results.md", notebook_results_table),
    ROOT / "experiments" / "results" / "mnist_cdcgan-torch.json": (BOOK / "04_mnist" / "cdcgan_quality_torch.md",
                                                                   mnist_quality_table),
    ROOT / "experiments" / "results" / "mnist_mlp-tf.json": (BOOK / "04_mnist" / "mlp_seeds_tf.md", mnist_seeds_table),
    ROOT / "experiments" / "results" / "mnist_mlp-torch.json": (BOOK / "04_mnist" / "mlp_seeds_torch.md",
                                                                mnist_seeds_table),
    ROOT / "experiments" / "results" / "augmentation-torch.json": (BOOK / "05_applications" / "augmentation_table.md",
                                                                   augmentation_table),
    ROOT / "experiments" / "results" / "superres-torch.json": (BOOK / "05_applications" / "superres_table.md",
                                                               superres_table),
    ROOT / "experiments" / "results" / "stacked_mnist-torch.json": (BOOK / "07_objectives" / "stacked_mnist_table.md",
                                                                    stacked_mnist_table),
}


def _load(source: Path):
    """A result file's record; a folder (chapter 4's notebooks) is passed as it is."""
    return source if source.is_dir() else json.loads(source.read_text())


def render() -> dict[Path, str]:
    """{output file: its Markdown} for every committed result."""
    return {out: make(_load(source)) for source, (out, make) in TABLES.items()}


def main():
    for path, text in render().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
