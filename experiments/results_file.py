"""Results files of experiments that run one seed at a time: what --resume and --merge read.

A results file records what its runs share (the framework, the number of samples
scored, the recipe's config, ...) and a list of runs. --resume keeps the runs
already in --out; --merge adds those of other files; both refuse a file whose
shared settings differ from this call's. Used by mnist_seeds.py and stacked_mnist.py.
"""
from __future__ import annotations

import json
from pathlib import Path


def files_to_read(out: str, resume: bool, merge: list[str]) -> list[str]:
    """The files whose runs a call keeps: --out when resuming or merging, then the --merge files."""
    return [out] * (resume or bool(merge)) + list(merge)


def _either(names: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b or c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def read_results(path: str, same: dict) -> dict | None:
    """The results file at `path` if it records the values of `same` ({key: value}); None
    if there is no file; else SystemExit naming the keys that must match."""
    if not Path(path).exists():
        return None
    old = json.loads(Path(path).read_text())
    if tuple(old.get(key) for key in same) != tuple(same.values()):
        raise SystemExit(f"{path} holds runs of another recipe ({_either(list(same))} differ); "
                         "give another --out, or drop --resume and --merge to start afresh")
    return old


def merge_runs(found: list[dict], key) -> list[dict]:
    """The runs of the files `found`, one per key(run): a later file's run replaces an earlier one's."""
    return list({key(run): run for old in found for run in old["runs"]}.values())
