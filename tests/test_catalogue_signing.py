"""The organisation's signed catalogue: the phone takes a newer one only if the signature by
the key pinned at enrolment covers exactly the text; otherwise the previous one stays."""

import copy
import json
import subprocess
import sys

import pytest
from sqlalchemy import update

from app.core.errors import UntrustedAnswer
from app.core.rights import catalogue as shipped
from app.services import enroll
from app.sync import catalogue as signed
from sync_server import catalogue as published
from sync_server.errors import ApiError
from sync_server.models import PublishedCatalogue
from tests.conftest import FAST_KDF, PASSPHRASE, REPO

NEW_RIGHT = "proefrecht_fictief"


def newer_catalogue(version: str) -> str:
    """The shipped catalogue, a version on, with one right renamed and one right added."""
    raw = copy.deepcopy(shipped())
    raw["version"], raw["date"] = version, "2099-01-31"
    raw["rights"][0]["name"] = "Leefloon (naam van de organisatie)"
    extra = copy.deepcopy(raw["rights"][0])
    extra.update(id=NEW_RIGHT, name="Proefrecht (fictief)", exclusions=[])
    raw["rights"].append(extra)
    return json.dumps(raw, ensure_ascii=False)


@pytest.fixture(scope="module")
def org_key():
    return signed.new_signing_key()


# ---- the phone's checks, without a server --------------------------------------------------


def test_a_valid_newer_catalogue_is_accepted(org_key):
    private, public = org_key
    text = newer_catalogue("2099.1")
    offered = {"text": text, "signature": signed.sign(text, private)}
    accepted = signed.accept(offered, public, shipped())
    assert accepted is not None and accepted["version"] == "2099.1"
    assert NEW_RIGHT in signed.allowed_right_ids(accepted)


def test_tampered_text_is_refused(org_key):
    private, public = org_key
    text = newer_catalogue("2099.1")
    signature = signed.sign(text, private)
    tampered = text.replace("OCMW", "Loket van de server", 1)
    with pytest.raises(UntrustedAnswer):
        signed.accept({"text": tampered, "signature": signature}, public, shipped())


def test_a_signature_by_another_key_is_refused(org_key):
    _, public = org_key
    other, _ = signed.new_signing_key()
    text = newer_catalogue("2099.1")
    with pytest.raises(UntrustedAnswer):
        signed.accept({"text": text, "signature": signed.sign(text, other)}, public, shipped())


def test_an_older_or_equal_version_keeps_the_current_one(org_key):
    private, public = org_key
    current = json.loads(newer_catalogue("2099.10"))
    for version in ("2099.9", "2099.10", "2025.1"):
        text = newer_catalogue(version)
        offered = {"text": text, "signature": signed.sign(text, private)}
        assert signed.accept(offered, public, current) is None, version


def test_a_signed_file_that_is_no_catalogue_is_refused(org_key):
    private, public = org_key
    broken = json.loads(newer_catalogue("2099.1"))
    del broken["rights"][3]["loket"]
    text = json.dumps(broken)
    with pytest.raises(UntrustedAnswer, match="invalid"):
        signed.accept({"text": text, "signature": signed.sign(text, private)}, public, shipped())


def test_without_a_pinned_key_nothing_is_accepted(org_key):
    private, _ = org_key
    text = newer_catalogue("2099.1")
    with pytest.raises(UntrustedAnswer):
        signed.accept({"text": text, "signature": signed.sign(text, private)}, None, shipped())


def test_versions_compare_as_numbers():
    assert signed.version_key("2025.10") > signed.version_key("2025.9")
    with pytest.raises(ValueError):
        signed.version_key("2025.x")


# ---- through a real server ------------------------------------------------------------------


def admin(server, *args):
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "--db", server.db_url, "admin", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_published_catalogue_reaches_the_phone_and_bad_ones_do_not(server, tmp_path):
    keyfile = tmp_path / "org.key"
    made = admin(server, "catalogue-keygen", str(keyfile))
    assert made.returncode == 0, made.stderr
    public = made.stdout.strip().splitlines()[-1]
    assert keyfile.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert admin(server, "catalogue-keygen", str(keyfile)).returncode == 2  # never overwritten

    phone = enroll(tmp_path / "phone", PASSPHRASE, server.url, server.user("cat1"), kdf=FAST_KDF)
    case_id = phone.add_case("Gezin Catalogus (fictief)")
    phone.save_rights_profile(case_id, {"income": ["leefloon"]}, [])
    assert phone.sync().catalogue is None  # nothing published yet
    assert phone.catalogue()["version"] == shipped()["version"]

    source = tmp_path / "catalogue.json"
    source.write_text(newer_catalogue("2099.1"), encoding="utf-8")
    done = admin(server, "publish-catalogue", str(source), "--key", str(keyfile))
    assert done.returncode == 0, done.stderr
    again = admin(server, "publish-catalogue", str(source), "--key", str(keyfile))
    assert again.returncode == 1 and "not newer" in again.stderr

    assert phone.sync().catalogue == "updated"
    assert phone.catalogue()["version"] == "2099.1"
    assert NEW_RIGHT in [s.right for s in phone.screening(case_id).suggestions]
    # A right only the organisation's catalogue knows still syncs: the server knows it too.
    phone.set_right(case_id, NEW_RIGHT, status="mogelijk")
    report = phone.sync()
    assert report.pushed == 1 and report.pending == 0

    # A server that alters the published text: the phone refuses and keeps 2099.1.
    with server.db.transaction() as session:
        published.publish(session, newer_catalogue("2099.2"), _sign_with(keyfile, "2099.2"))
        session.execute(
            update(PublishedCatalogue)
            .where(PublishedCatalogue.version == "2099.2")
            .values(text=newer_catalogue("2099.2").replace("OCMW", "Ander loket", 1))
        )
    assert "does not verify" in phone.sync().catalogue
    assert phone.catalogue()["version"] == "2099.1"
    assert phone.sync_status()["catalogue_refused"]

    # A new organisation key (or a server's own): phones keep trusting the one they pinned.
    other = tmp_path / "other.key"
    public_other = admin(server, "catalogue-keygen", str(other)).stdout.strip().splitlines()[-1]
    assert public_other != public
    source.write_text(newer_catalogue("2099.3"), encoding="utf-8")
    assert admin(server, "publish-catalogue", str(source), "--key", str(other)).returncode == 0
    assert "does not verify" in phone.sync().catalogue
    assert phone.catalogue()["version"] == "2099.1"
    phone.close()


def test_publishing_refuses_a_key_that_is_not_the_registered_one(server, tmp_path):
    _, registered = signed.new_signing_key()
    stranger, _ = signed.new_signing_key()
    text = newer_catalogue("2100.1")
    with server.db.transaction() as session:
        published.set_organisation_key(session, registered)
    with server.db.transaction() as session, pytest.raises(ApiError, match="does not match"):
        published.publish(session, text, signed.sign(text, stranger))


def _sign_with(keyfile, version: str) -> str:
    import base64

    private = base64.b64decode(keyfile.read_text().strip())
    return signed.sign(newer_catalogue(version), private)
