"""Tables and figures for docs/explanation/cost.md from a results file of scripts/benchmark.py.

    .venv/bin/python scripts/benchmark_report.py [docs/explanation/cost-results.json]

The code lives in `gatewaylab.benchreport`.
"""

import sys

from gatewaylab.benchreport import main

if __name__ == "__main__":
    sys.exit(main())
