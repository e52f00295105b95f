"""Run every benchmark: `make bench`, or some: `.venv/bin/python -m bench [vault|sync|...]`."""

import sys

from bench import agenda_bench, dashboard_bench, network_bench, sync_bench, vault_bench

SUITES = {
    "vault": vault_bench.main,
    "sync": sync_bench.main,
    "dashboard": dashboard_bench.main,
    "network": network_bench.main,
    "agenda": agenda_bench.main,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SUITES)
    for name in chosen:
        SUITES[name]()
