"""Shared fixtures. Vaults made here use a cheap Scrypt cost so hundreds can be opened;
the production cost (N=2^17) is exercised by the CLI tests and the benchmark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services import Services, open_vault

PASSPHRASE = "correct horse battery staple"
FAST_KDF = {"n": 1024, "r": 8, "p": 1}
# A string that must never be found on disk, in logs or on the server.
MARKER = "ZQXJ-marker-7731"

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("DICHTBIJ_TEST_ARTIFACTS", REPO / "test-artifacts"))


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def app(vault_dir: Path):
    services = open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF)
    yield services
    services.close()


def reopen(vault_dir: Path, **options) -> Services:
    return open_vault(vault_dir, PASSPHRASE, **options)
