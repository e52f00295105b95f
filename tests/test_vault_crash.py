"""Crash consistency: SIGKILL a writer at random moments of note saves and snapshots.

The writer is a forked child that reports each note id only after `add_note`
returned (the save was acknowledged). After every kill the vault must open and
hold every acknowledged note. Small journal limits make snapshots frequent, so
kills land inside snapshot writes too.
"""

import os
import random
import signal
import time

import pytest

from app.services import open_vault
from tests.conftest import FAST_KDF, PASSPHRASE

ROUNDS = 220
OPTIONS = {"journal_min": 2048, "journal_max": 6144}


def _writer(vault_dir, case_id, fd, seed):
    """Runs in the child: save notes forever, acknowledging each on the pipe."""
    try:
        app = open_vault(vault_dir, PASSPHRASE, **OPTIONS)
        rng = random.Random(seed)
        i = 0
        while True:
            text = f"note {seed}-{i} " + "x" * rng.randrange(0, 600)
            note_id = app.add_note(case_id, text, domains=["wonen"])
            os.write(fd, (note_id + "\n").encode())
            i += 1
    finally:
        os._exit(1)


def _run_round(vault_dir, case_id, seed, rng):
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _writer(vault_dir, case_id, write_fd, seed)
    os.close(write_fd)
    time.sleep(rng.uniform(0.0, 0.12))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    acked = b""
    while chunk := os.read(read_fd, 65536):
        acked += chunk
    os.close(read_fd)
    return {line for line in acked.decode().split("\n") if len(line) == 36}


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_note(vault_dir):
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF, **OPTIONS)
    case_id = app.add_case("Gezin Crash")
    app.close()
    rng = random.Random(20261122)
    acknowledged: set[str] = set()
    snapshots_seen = set()
    for round_no in range(ROUNDS):
        acknowledged |= _run_round(vault_dir, case_id, round_no, rng)
        app = open_vault(vault_dir, PASSPHRASE, **OPTIONS)  # must always open
        stored = {n.id for n in app.notes(case_id)}
        missing = acknowledged - stored
        assert not missing, f"round {round_no}: {len(missing)} acknowledged notes lost"
        snapshots_seen.add(app.vault._generation)
        app.close()
    assert len(acknowledged) > ROUNDS  # the writer really wrote
    assert len(snapshots_seen) > 20  # and snapshots really happened between kills


def _vault_with_notes(vault_dir, count):
    app = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    case_id = app.add_case("Gezin Torn")
    ids = [app.add_note(case_id, f"n{i}") for i in range(count)]
    app.close()
    return ids


def test_every_possible_torn_final_frame_is_discarded_and_the_rest_kept(vault_dir):
    ids = _vault_with_notes(vault_dir, 3)
    path = vault_dir / "journal.bin"
    full = path.read_bytes()
    last_frame_start = _frame_start_of_last(full)
    for cut in range(last_frame_start + 1, len(full)):
        path.write_bytes(full[:cut])
        app = open_vault(vault_dir, PASSPHRASE)
        assert {n.id for n in app.notes()} == set(ids[:-1]), cut
        assert app.vault.open_report["discarded_tail_bytes"] == cut - last_frame_start
        app.close()
        path.write_bytes(full)


def _frame_start_of_last(full):
    """Offset of the last frame: walk the length prefixes from the start."""
    from app.vault import fileheader

    pos = fileheader.SIZE
    last = pos
    while pos < len(full):
        last = pos
        pos += 8 + int.from_bytes(full[pos : pos + 4], "big")
    return last


def test_garbage_appended_after_the_last_frame_is_discarded(vault_dir):
    ids = _vault_with_notes(vault_dir, 2)
    path = vault_dir / "journal.bin"
    rng = random.Random(7)
    original = path.read_bytes()
    for _ in range(50):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        if len(junk) >= 8:
            junk = junk[:7]  # a longer tail is a (damaged) frame prefix: refused, see tamper tests
        path.write_bytes(original + junk)
        app = open_vault(vault_dir, PASSPHRASE)
        assert {n.id for n in app.notes()} == set(ids)
        app.close()
