"""`python -m bench [--sizes 10k,100k,1M] [--only NAME]`: every benchmark, as tables."""

from __future__ import annotations

import argparse
import importlib
import logging

from bench.common import SIZES

# one module per area; each has run(labels)
MODULES = ["overview"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default=",".join(SIZES), help="e.g. 10k,100k")
    parser.add_argument("--only", help="one benchmark module")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    labels = [s for s in args.sizes.split(",") if s in SIZES]
    for name in [args.only] if args.only else MODULES:
        importlib.import_module(f"bench.{name}").run(labels)


if __name__ == "__main__":
    main()
