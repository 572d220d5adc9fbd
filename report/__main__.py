"""`python -m report`: run the notebooks into build/ (report.run)."""

import os
import signal
import sys


def _stop_on_sigterm(signum, frame) -> None:
    # A terminated run cleans up like an interrupted one: its partial files go, the report stays.
    raise KeyboardInterrupt(f"stopped by signal {signum}")


# First, before the imports that take a second: a signal at any moment is an interruption, said in words, never a traceback.
signal.signal(signal.SIGTERM, _stop_on_sigterm)
try:
    from .run import main

    code = main()
except KeyboardInterrupt:
    # Before the run began (while Python imported what it needs) or after it ended: nothing half-done to undo.
    print("interrupted outside a run: the report is whole, as the last finished run left it.", file=sys.stderr)
    code = 130
if code == 130:
    # Interrupted: the run has ended its kernels and removed its partial files; end now.
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
