"""`python -m bench.load.profiled OUT.pstat run app.py …`: `streamlit run` under yappi (CPU
clock, every thread: script runs happen outside the main thread, which cProfile would miss).
SIGUSR1 clears the counts (after a warm-up); the stats are saved at exit (SIGTERM)."""

import atexit
import signal
import sys

import yappi
from streamlit.web.cli import main

OUT = sys.argv.pop(1)


def _save() -> None:
    yappi.stop()
    yappi.get_func_stats().save(OUT, type="pstat")


def _clear(*_: object) -> None:
    yappi.clear_stats()


yappi.set_clock_type("cpu")
yappi.start()
atexit.register(_save)
signal.signal(signal.SIGUSR1, _clear)
sys.argv[0] = "streamlit"
main()
