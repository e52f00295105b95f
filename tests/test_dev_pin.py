"""`--dev-pin` in the web build: every browser session unlocks for itself, and the file
keystore behind the PIN lives outside the data directory."""

import asyncio

import pytest

from app.core.errors import WrongPassphrase
from app.paths import dev_keystore_dir
from app.services import open_vault
from app.ui.session import UiSession
from app.vault.keystore import FileKeystore
from tests.conftest import FAST_KDF, PASSPHRASE

PIN = "246813"


@pytest.fixture
def keystore_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DICHTBIJ_DEV_KEYSTORE", raising=False)
    return tmp_path / "config"


def test_a_second_browser_session_does_not_inherit_the_unlocked_vault(vault_dir, keystore_home):
    open_vault(vault_dir, PASSPHRASE, create=True, kdf=FAST_KDF).close()
    keystore = FileKeystore(dev_keystore_dir(vault_dir))

    async def scenario():
        first = UiSession(vault_dir, keystore=keystore, allow_weak_keystore=True)
        await first.hold()
        await first.unlock(PASSPHRASE)
        await first.set_pin(PIN)
        assert first.unlocked
        # Another tab of the same web app: the vault in this process is open already.
        second = UiSession(vault_dir, keystore=keystore, allow_weak_keystore=True)
        await second.hold()
        assert not second.unlocked  # before: the open vault, without PIN or passphrase
        with pytest.raises(WrongPassphrase):
            await second.unlock("een heel andere wachtzin")
        assert not second.unlocked
        await second.unlock_with_pin(PIN)
        assert second.unlocked and first.unlocked
        for session in (first, second):
            session.services.close()

    asyncio.run(scenario())


def test_the_dev_keystore_is_kept_outside_the_data_directory(vault_dir, keystore_home):
    vault_dir.mkdir(parents=True)
    old = vault_dir / "dev-keystore"
    old.mkdir()
    (old / "secret").write_bytes(b"x")  # left there by an older build
    where = dev_keystore_dir(vault_dir)
    assert keystore_home in where.parents and vault_dir not in where.parents
    assert (where / "secret").read_bytes() == b"x" and not old.exists()
    assert dev_keystore_dir(vault_dir) == where  # stable per data directory
    assert dev_keystore_dir(vault_dir.parent / "other") != where
