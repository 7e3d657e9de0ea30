"""Run a book notebook top to bottom and store its outputs, without progress bars.

    python scripts/execute_notebook.py book/04_mnist/dcgan/torch.ipynb [more.ipynb ...]
        [--timeout 7200]

Each notebook runs in its own folder with a fresh kernel (nbclient), with the
environment this script was started in (so GANBOOK_DATA, GANBOOK_PARAMS and
GANBOOK_QUICK apply as usual). Then:

* progress-bar lines (tqdm's, on stderr) are dropped from the stored outputs:
  they show while a cell runs and mean nothing afterwards;
* the notebook is written atomically, and its jupytext MyST pair (.md) is
  rewritten from it, so the two stay in sync.

A notebook that raises is not written; the error is printed and the exit status is 1.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ganbook.atomic import atomic_write  # noqa: E402
from ganbook.book.outputs import strip_progress  # noqa: E402


def execute(path: Path, timeout: int) -> float:
    """Run the notebook at path in place; returns the seconds it took."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    dropped = strip_progress(nb)
    atomic_write(path, lambda f: f.write(nbformat.writes(nb).encode() + b"\n"))
    jupytext.write(nb, path.with_suffix(".md"), fmt="md:myst")
    print(f"{path}: ran in {seconds:.0f} s; {dropped} progress-bar outputs dropped", flush=True)
    return seconds


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("notebooks", nargs="+", type=Path)
    p.add_argument("--timeout", type=int, default=7200, help="seconds per cell")
    args = p.parse_args(argv)
    status = 0
    for path in args.notebooks:
        try:
            execute(path, args.timeout)
        except Exception as e:  # a failing cell: report it, leave the stored notebook as it was
            print(f"{path}: not written: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
