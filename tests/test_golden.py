"""Golden vaults: every format version ever shipped must still open, with the same content."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from app.core.errors import UnsupportedFormat
from app.services import open_vault
from tests.golden.make_golden import PASSPHRASE

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden_v1(tmp_path):
    copy = tmp_path / "v1"
    shutil.copytree(GOLDEN / "v1", copy)
    return copy


def test_golden_v1_opens_with_its_content(golden_v1):
    app = open_vault(golden_v1, PASSPHRASE)
    [case] = app.cases()
    assert case.name == "Gezin Golden (fictief)"
    assert [m.name for m in case.members] == ["Kind A"]
    assert [c.code for c in case.phase_history] == ["eerste_onthaal", "vraagverduidelijking"]
    notes = app.notes(case.id)
    assert [(n.contact, n.text, n.visibility) for n in notes] == [
        ("informeel", "Geheugensteun", "memo"),
        ("poging", "", "dossier"),
        ("informeel", "Eerste contact aan de schoolpoort", "dossier"),
    ]
    assert notes[2].created_at == "2026-11-02T09:01:00+00:00"
    assert app.attempt_ratio(case.id) == (1, 2)
    app.add_note(case.id, "nieuw na het openen")  # and it stays writable
    app.close()


def test_a_vault_from_a_newer_app_is_refused_clearly(golden_v1):
    path = golden_v1 / "vault.json"
    header = json.loads(path.read_text())
    header.pop("checksum")
    header["format"] = 99
    canonical = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    header["checksum"] = hashlib.sha256(canonical).hexdigest()
    path.write_text(json.dumps(header))
    with pytest.raises(UnsupportedFormat):
        open_vault(golden_v1, PASSPHRASE)
