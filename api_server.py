"""BrandTruth's entry point from a clone: `python api_server.py [--dev]` is `brandtruth serve [--dev]`.

python api_server.py          API on API_HOST:API_PORT; Temporal at TEMPORAL_HOST, or degraded mode
python api_server.py --dev    also starts the embedded Temporal dev server (unless one already
                              answers at TEMPORAL_HOST) and a worker in-process; serves the demo
                              brand sites at /demo/<name>/ and allows loopback URLs for them
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))  # a clone runs its own copy, installed or not

from brandtruth.serve import main  # noqa: E402

if __name__ == "__main__":
    main()
