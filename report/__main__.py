"""`python -m report`: run the notebooks into build/ (report.run)."""

import os
import signal
import sys

from .run import main


def _stop_on_sigterm(signum, frame) -> None:
    # A terminated run cleans up like an interrupted one: its partial files go, the report stays.
    raise KeyboardInterrupt(f"stopped by signal {signum}")


signal.signal(signal.SIGTERM, _stop_on_sigterm)
code = main()
if code == 130:
    # Interrupted: end now, without waiting for notebook threads; their kernels notice their parent is gone and exit.
    sys.stderr.flush()
    os._exit(code)
sys.exit(code)
