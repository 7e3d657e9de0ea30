"""Render the committed benchmark results as Markdown tables for the book.

    python benchmarks/report.py          # rewrites book/benchmarks/throughput_table.md

The book's benchmarks page includes the generated file; tests/test_benchmarks.py
fails when it is out of date with benchmarks/results/*.json.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TABLES = {"throughput-cpu.json": ROOT / "book" / "benchmarks" / "throughput_table.md"}


def throughput_table(record: dict) -> str:
    """A Markdown table of one throughput.py result, with what produced it."""
    lines = [
        "| framework | model | update | plain loop (img/s) | ganbook (img/s) | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    for r in record["results"]:
        lines.append(f"| {r['framework']} | {r['model']} | {r['update']} | {r['plain_img_s']:.0f} "
                     f"| {r['ganbook_img_s']:.0f} | {r['ratio']:.2f} |")
    versions = ", ".join(f"{k} {v}" for k, v in record["versions"].items())
    lines += ["", f"Measured on {record['date']}: {record['hardware']}; {versions}; batch "
                  f"{record['batch_size']}, {record['steps']} steps x {record['repeats']} repeats "
                  f"(median). Command: `{record['command']}`."]
    return "\n".join(lines) + "\n"


def render() -> dict[Path, str]:
    """{output file: its Markdown} for every committed result."""
    return {out: throughput_table(json.loads((RESULTS / name).read_text()))
            for name, out in TABLES.items()}


def main():
    for path, text in render().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
