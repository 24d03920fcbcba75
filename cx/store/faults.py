"""Named moments at which a fault test kills the process (`CX_FAULT=<name>`): the points a
write can be interrupted at, reproduced exactly in CI rather than hoped for with a timed kill.
Unset, a point costs one dictionary lookup."""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    """Die here, as `kill -9` would, when `CX_FAULT` names this point."""
    if os.environ.get("CX_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
