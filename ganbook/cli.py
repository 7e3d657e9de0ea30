"""The `ganbook` command line.

    ganbook data [--split test] [--root DIR]   fetch (or find) and verify MNIST, print where
"""
from __future__ import annotations

import argparse
import os
import sys


def _cmd_data(args) -> int:
    from ganbook.data import cache_dir, load_mnist

    images, labels = load_mnist(args.split, root=args.root)
    where = args.root or os.environ.get("GANBOOK_DATA") or cache_dir()
    print(f"MNIST {args.split}: {len(images)} images {images.shape[1:]}, verified; from {where}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ganbook", description="GANs in PyTorch and TensorFlow.")
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="download (or find) and verify MNIST")
    data.add_argument("--split", choices=["train", "test", "all"], default="all")
    data.add_argument("--root", default=None, help="a local folder with the .gz files")
    data.set_defaults(func=_cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as e:
        print(f"ganbook {args.command}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
