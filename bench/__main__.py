"""`python -m bench [--sizes 10k,100k,1M] [--only NAME]`: every benchmark, as tables."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil

import bench
from bench.common import SIZES

NOT_BENCHMARKS = {"common"}


def modules() -> list[str]:
    """Every module of `bench/` with a `run(labels)` function, in name order."""
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                  if m.name not in NOT_BENCHMARKS and not m.name.startswith("_"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default=",".join(SIZES), help="e.g. 10k,100k")
    parser.add_argument("--only", help=f"one benchmark module: {', '.join(modules())}")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    labels = [s for s in args.sizes.split(",") if s in SIZES]
    for name in [args.only] if args.only else modules():
        importlib.import_module(f"bench.{name}").run(labels)


if __name__ == "__main__":
    main()
