"""What a stored notebook keeps of its outputs: no progress bars.

A progress bar (tqdm's, written to stderr) redraws one line with carriage
returns while a cell runs. Stored, every redraw becomes a line of the notebook
file (thousands, for a long run) and shows on Colab and GitHub.
`strip_progress` drops them after a run (scripts/execute_notebook.py);
`progress_lines` finds any left (tests/book/test_notebooks.py).
"""
from __future__ import annotations

import re

# tqdm's default bar: "train:  42%|████▏     | 4200/10000 [..." (also without a description).
PROGRESS = re.compile(r"\d+%\|[^|]*\|\s*\d+/\d+")


def _text(output) -> str:
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else text


def _kept_lines(text: str) -> list[str]:
    """The lines of a stream's text that are not progress bars; a line redrawn with
    carriage returns keeps its last non-bar state, as a terminal would show it."""
    kept = []
    for line in text.split("\n"):
        parts = [p for p in line.split("\r") if p.strip() and not PROGRESS.search(p)]
        if parts:
            kept.append(parts[-1])
    return kept


def progress_lines(nb) -> int:
    """How many progress-bar states the notebook's stored stream outputs hold."""
    count = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                count += sum(bool(PROGRESS.search(p)) for p in re.split(r"[\r\n]", _text(output)))
    return count


def strip_progress(nb) -> int:
    """Drop progress bars from the stderr outputs of nb (in place); returns how many
    outputs were changed or removed. Other stderr lines (warnings) are kept."""
    changed = 0
    for cell in nb["cells"]:
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = _text(output)
                kept = _kept_lines(text)
                if "\n".join(kept) != text.rstrip("\n"):
                    changed += 1
                if not kept:
                    continue
                output["text"] = "\n".join(kept) + "\n"
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs
    return changed
