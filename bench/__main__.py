"""Run every benchmark: `make bench` or `.venv/bin/python -m bench [vault]`."""

import sys

from bench import sync_bench, vault_bench

SUITES = {"vault": vault_bench.main, "sync": sync_bench.main}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SUITES)
    for name in chosen:
        SUITES[name]()
