"""`make run`: the sync server on SQLite with a demo team, a demo phone vault synced to it,
the supervisor pages with a fictional team of eight, and the field app on that vault (a web
server when there is no display).

Everything is fictional and lives under .demo/. Stop with Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.demo import DEMO_PASSPHRASE, seed  # noqa: E402
from app.services import enroll, open_vault  # noqa: E402

DEMO = REPO / ".demo"
PORT = int(os.environ.get("DICHTBIJ_PORT", "8765"))
APP_PORT = int(os.environ.get("DICHTBIJ_APP_PORT", "8550"))
URL = f"http://127.0.0.1:{PORT}"
DB = f"sqlite:///{DEMO / 'server.db'}"
BIN = Path(sys.executable).parent


def server_cli(*args: str) -> str:
    result = subprocess.run(
        [str(BIN / "dichtbij-server"), "--db", DB, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    DEMO.mkdir(exist_ok=True)
    first_time = not (DEMO / "server.db").exists()
    server = subprocess.Popen(
        [str(BIN / "dichtbij-server"), "--db", DB, "serve", "--port", str(PORT)]
    )
    try:
        for _ in range(100):
            try:
                if requests.get(URL + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        vault_dir = DEMO / "phone"
        if first_time:
            server_cli("admin", "create-team", "Demo Team")
            code = server_cli(
                "admin",
                "create-user",
                "demo.outreacher",
                "--team",
                "Demo Team",
                "--role",
                "outreacher",
            )
            app = enroll(vault_dir, DEMO_PASSPHRASE, URL, code, device_name="demo-gsm")
            seed(app)
        else:
            app = open_vault(vault_dir, DEMO_PASSPHRASE)
        report = app.sync()
        print(f"\nDichtbij demo (fictieve gegevens) — server {URL} (API: {URL}/docs)")
        print(f"Demo-gsm: {vault_dir}, wachtzin '{DEMO_PASSPHRASE}'")
        print(f"Sync: {report.as_dict()}")
        for case in app.cases():
            print(f"  - {case.name}: {len(app.notes(case.id))} notities")
        app.close()
        # The supervisor view: a fictional team with a year of activity (made on the first
        # run); every run prints a fresh password for its teamcoach.
        login, password = server_cli("admin", "seed-demo").split(" ", 1)
        print(f"\nTeamoverzicht: {URL}/dashboard (gebruiker {login}, wachtwoord {password})")
        env = f"DICHTBIJ_PASSPHRASE='{DEMO_PASSPHRASE}'"
        print(f"\nProbeer: {env} {BIN / 'dichtbij'} --data {vault_dir} note list --json")
        web = not os.environ.get("DISPLAY")
        app_args = [str(BIN / "dichtbij"), "--data", str(vault_dir), "app", "--port", str(APP_PORT)]
        app_proc = subprocess.Popen(app_args + (["--web"] if web else []))
        where = f"http://127.0.0.1:{APP_PORT}" if web else "het venster"
        print(f"De app draait in {where}; ontgrendel met de wachtzin hierboven. Stop met Ctrl-C.")
        try:
            server.wait()
        finally:
            if app_proc.poll() is None:
                app_proc.send_signal(signal.SIGINT)
                app_proc.wait(10)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
