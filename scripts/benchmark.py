"""What a gateway costs: run every path (direct and through each gateway) on this machine.

    .venv/bin/python scripts/benchmark.py [--quick] [--out results.json]

Starts every server it needs on free loopback ports and stops them all at the end (also on
Ctrl-C). Then `scripts/benchmark_report.py results.json` makes the page's tables and figures.
The code lives in `gatewaylab.bench`.
"""

import sys

from gatewaylab.bench import main

if __name__ == "__main__":
    sys.exit(main())
