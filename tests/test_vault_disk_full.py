"""A full disk: a save that reached the journal is a save, whatever the snapshot after it
does; a save that could not be written says so in its own Dutch sentence."""

import contextlib
import errno
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from app.core.errors import StorageFull
from app.messages import describe
from app.services import open_vault
from app.vault import snapshot
from tests.conftest import FAST_KDF, PASSPHRASE

SMALL_JOURNAL = {"journal_min": 2048, "journal_max": 8192}


def _open(path, create=False):
    return open_vault(path, PASSPHRASE, create=create, kdf=FAST_KDF, **SMALL_JOURNAL)


def test_a_failed_snapshot_after_a_durable_save_is_a_warning(vault_dir, monkeypatch):
    app = _open(vault_dir, create=True)
    case_id = app.add_case("Gezin Vol")
    real_write = snapshot.write

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(snapshot, "write", disk_full)
    saved = [app.add_note(case_id, f"notitie {i} " + "x" * 300) for i in range(20)]
    # Before: the save whose snapshot failed raised, so the worker typed it again.
    assert {n.id for n in app.notes()} == set(saved)
    assert app.sync_status()["storage_warning"] == "disk_full"

    monkeypatch.setattr(snapshot, "write", real_write)
    journal = vault_dir / "journal.bin"
    grown = journal.stat().st_size
    for i in range(5):
        saved.append(app.add_note(case_id, f"ruimte {i} " + "y" * 300))
    assert journal.stat().st_size < grown  # tried again, and folded into a snapshot
    assert app.sync_status()["storage_warning"] is None
    app.close()
    again = _open(vault_dir)
    assert {n.id for n in again.notes()} == set(saved)
    again.close()


def test_a_journal_that_cannot_be_started_after_a_snapshot_fails_the_next_save_only(
    vault_dir, monkeypatch
):
    from app.vault import journal

    app = _open(vault_dir, create=True)
    case_id = app.add_case("Gezin Half")
    real_create = journal.create
    failures = {"left": 1}

    def create_once_full(*args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(errno.ENOSPC, "full")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(journal, "create", create_once_full)
    saved = []
    while failures["left"]:
        saved.append(app.add_note(case_id, "tot de snapshot " + "z" * 300))
    saved.append(app.add_note(case_id, "na de snapshot"))  # starts the new journal first
    app.close()
    again = _open(vault_dir)
    assert {n.id for n in again.notes()} == set(saved)
    again.close()


@contextlib.contextmanager
def _tmpfs(size_kb: int):
    """A real small file system (root only): mount, yield its path, unmount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    where = Path("/tmp") / f"dichtbij-full-{uuid.uuid4().hex[:8]}"
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)],
        capture_output=True,
    )
    if done.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False)  # a file still open
        where.rmdir()


def _fill(path: Path) -> None:
    with open(path, "wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 4096)


def test_a_really_full_disk(tmp_path):
    with _tmpfs(1024) as disk:
        vault = disk / "vault"
        app = _open(vault, create=True)
        try:
            saved = _fill_up_and_free(app, disk / "filler")
        finally:
            app.close()  # before unmounting, also when the test fails
        again = _open(vault)
        assert {n.id for n in again.notes()} == saved
        again.close()


def _fill_up_and_free(app, filler: Path) -> set[str]:
    case_id = app.add_case("Gezin Echt Vol")
    saved = [app.add_note(case_id, f"vooraf {i} " + "v" * 400) for i in range(60)]
    _fill(filler)
    # Room for a few frames, not for another snapshot of everything.
    os.truncate(filler, max(filler.stat().st_size - 24 * 1024, 0))
    refused = None
    for i in range(200):
        try:
            saved.append(app.add_note(case_id, f"op een vol toestel {i} " + "w" * 400))
        except StorageFull as exc:
            refused = exc
            break
    assert refused is not None and "vol" in describe(refused)
    assert app.sync_status()["storage_warning"] == "disk_full"
    assert not list(app.vault.data_dir.glob("*.tmp"))  # no half-written snapshot eats space
    assert {n.id for n in app.notes()} == set(saved)
    filler.unlink()
    saved.append(app.add_note(case_id, "er is weer plaats"))
    app.vault.compact()
    return set(saved)
