"""The load bench (issue 23): simulated viewers over Streamlit's websocket protocol against
our app and a bare page, one process and N behind the proxy. `python -m bench.load --help`."""

from __future__ import annotations

QUICK = ["--configs", "app1,bare1", "--viewers", "10,50", "--arrival", "burst0", "--pages", "2"]


def run(labels: list[str]) -> None:
    """Under `python -m bench`: a quick run on the sample (the sizes do not apply; the full
    table is `make bench-load`)."""
    from bench.load.__main__ import main

    main(QUICK)
